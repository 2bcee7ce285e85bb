// Claims and payouts in headless Chromium: (a) a partner user submits a claim with a PDF
// proof from the Claims page and sees it awaiting its decision; (b) its channel manager
// opens the claim, reads the proof's name and approves it with a comment, which the partner
// then reads; (c) finance double-clicks "Create the batch" and gets one batch (the form's
// idempotency key), marks it paid after confirming, and opens the reconciliation, where
// nothing is unexplained. The approved statements are prepared by
// crates/server/tests/browser.rs. Usage: node payouts.mjs <base-url> <screenshot-dir>
// Exits non-zero with a message on the first failed expectation.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [base, shots = "."] = process.argv.slice(2);
if (!base) {
  console.error("usage: node payouts.mjs <base-url> <screenshot-dir>");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const password = process.env.TRIBUTARY_TEST_PASSWORD;

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(page, email) {
  await page.goto(`${base}/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  // (a) The partner's claim with its proof.
  const partner = await (await browser.newContext()).newPage();
  await signIn(partner, "user@alpha.example");
  await partner.click("nav[aria-label=Main] >> text=Claims");
  await partner.waitForURL(`${base}/claims`);
  await partner.click("text=Submit a claim");
  await partner.waitForURL(`${base}/claims/new`);
  await partner.fill("#f-amount", "250.00");
  await partner.fill("#f-description", "SPIFF for the Globex renewal");
  await partner.fill("#f-deal_ref", "DR-2026-000042");
  await partner.setInputFiles("#f-proof", {
    name: "globex-order.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% signed order\n%%EOF\n"),
  });
  await partner.screenshot({ path: `${shots}/claim-form.png`, fullPage: true });
  await Promise.all([partner.waitForURL(/\/claims\/[0-9a-f-]+$/), partner.click("text=Submit the claim")]);
  const claimUrl = partner.url();
  let text = await partner.textContent("main");
  expect(text.includes("Awaiting decision"), "the new claim does not wait for its decision");
  expect(text.includes("globex-order.pdf"), "the claim's page lacks its proof");
  await partner.screenshot({ path: `${shots}/claim-submitted.png`, fullPage: true });

  // (b) The channel manager approves it.
  const manager = await (await browser.newContext()).newPage();
  await signIn(manager, "cam.a@vendor.example");
  await manager.goto(`${base}/claims`);
  await Promise.all([manager.waitForURL(claimUrl), manager.click("text=SPIFF for the Globex renewal")]);
  await manager.fill("#d-comment", "Order confirmed with Globex");
  await Promise.all([manager.waitForURL(claimUrl), manager.click("#decision-form button[value=approve]")]);
  expect((await manager.textContent("main")).includes("Approved."), "the approved claim does not say so");
  await partner.reload();
  text = await partner.textContent("main");
  expect(text.includes("Order confirmed with Globex"), "the partner does not read the decision's comment");
  await partner.screenshot({ path: `${shots}/claim-approved.png`, fullPage: true });

  // (c) Finance: one batch however often the button is pressed.
  const finance = await (await browser.newContext()).newPage();
  await signIn(finance, "finance@vendor.example");
  await finance.goto(`${base}/payouts`);
  await finance.screenshot({ path: `${shots}/payouts.png`, fullPage: true });
  await Promise.all([
    finance.waitForURL(/\/payouts\/batches\/[0-9a-f-]+$/),
    finance.dblclick("#batch-form button[type=submit]"),
  ]);
  await finance.waitForLoadState("load");
  const batchUrl = finance.url();
  text = await finance.textContent("main");
  expect(text.includes("Alpha Resellers") && text.includes("Beta Managed Services"), "the batch lacks a payment");
  await finance.screenshot({ path: `${shots}/payout-batch.png`, fullPage: true });
  await finance.goto(`${base}/payouts`);
  const batches = await finance.$$eval("main table tbody tr", (rows) => rows.length);
  expect(batches === 1, `a double click made ${batches} batches`);
  await finance.goto(batchUrl);
  finance.once("dialog", (dialog) => dialog.accept());
  await Promise.all([finance.waitForURL(batchUrl), finance.click("#mark-paid-form button")]);
  await finance.waitForSelector(".badge.status-paid");
  await finance.goto(`${base}/payouts/reconciliation`);
  text = await finance.textContent("main");
  expect(text.includes("0.00 EUR unexplained"), "the reconciliation leaves something unexplained");
  expect(!(await finance.$(".badge-no")), "a partner's difference is unexplained");
  await finance.screenshot({ path: `${shots}/payout-reconciliation.png`, fullPage: true });
  console.log("payouts browser test passed");
} finally {
  await browser.close();
}
