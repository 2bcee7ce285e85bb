// Channel-conflict pages in headless Chromium: (a) partner A (Alpha) registers a customer
// through the form — first without a product family, to see the error next to the field
// with what was typed kept — and sees its registration pending review; (b) partner B (Beta)
// registers a spelling variant of the same customer with the same website and sees the
// duplicate decline reason, which never names partner A; (c) A's channel manager opens the
// review queue, compares the candidates and approves in bulk; (d) the pipeline chart. The
// data (products, the Globex GmbH account, …) is prepared by crates/server/tests/browser.rs.
// Usage: node conflict.mjs <base-url> <screenshot-dir>
// Exits non-zero with a message on the first failed expectation.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [base, shots = "."] = process.argv.slice(2);
if (!base) {
  console.error("usage: node conflict.mjs <base-url> <screenshot-dir>");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const password = process.env.TRIBUTARY_TEST_PASSWORD;
const close = new Date(Date.now() + 60 * 86400 * 1000).toISOString().slice(0, 10);

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(page, email) {
  await page.goto(`${base}/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
}

/// Fills the registration form (the page is on /registrations/new).
async function fillDeal(page, name, website, families) {
  await page.fill("#f-customer_name", name);
  await page.fill("#f-website", website);
  await page.selectOption("#f-country", "DE");
  await page.fill("#f-city", "Berlin");
  await page.fill("#f-contact_name", "Anna Schmidt");
  await page.fill("#f-contact_email", "anna@globex.de");
  for (const family of families) await page.check(`input[name=product_families][value="${family}"]`);
  await page.fill("#f-value", "48000.00");
  await page.selectOption("#f-currency", "EUR");
  await page.fill("#f-expected_close", close);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  // (a) Partner A registers Globex through the form.
  const alphaContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const alpha = await alphaContext.newPage();
  await signIn(alpha, "user@alpha.example");
  await Promise.all([alpha.waitForURL(`${base}/registrations`), alpha.click("nav[aria-label=Main] >> text=Deal registrations")]);
  await Promise.all([alpha.waitForURL(`${base}/registrations/new`), alpha.click("main a:has-text('Register a deal')")]);
  await fillDeal(alpha, "Globex GmbH", "https://www.globex.de", []);
  await Promise.all([alpha.waitForURL(`${base}/registrations`), alpha.click("button:has-text('Register')")]);
  const error = await alpha.textContent("#f-product_families-error");
  expect(error.includes("name at least one product family"), `no error next to the families: ${error}`);
  expect((await alpha.inputValue("#f-customer_name")) === "Globex GmbH", "the typed name was not kept");
  expect((await alpha.inputValue("#f-expected_close")) === close, "the typed date was not kept");
  await alpha.screenshot({ path: `${shots}/conflict-register-errors.png`, fullPage: true });
  await alpha.check("input[name=product_families][value=Firewalls]");
  await Promise.all([alpha.waitForURL(/\/registrations\/[0-9a-f-]+$/), alpha.click("button:has-text('Register')")]);
  const first = await alpha.textContent("main");
  expect(first.includes("Pending review"), `A's registration is not pending review: ${first}`);
  const reference = (await alpha.textContent("#facts-title")).replace("Registration ", "").trim();
  await alpha.screenshot({ path: `${shots}/conflict-registration-pending.png`, fullPage: true });

  // (b) Partner B registers a spelling variant of the same customer.
  const betaContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const beta = await betaContext.newPage();
  await signIn(beta, "user@beta.example");
  await beta.goto(`${base}/registrations/new`);
  await fillDeal(beta, "GLOBEX gmbh", "http://globex.de/", ["Firewalls", "Switches"]);
  await beta.screenshot({ path: `${shots}/conflict-register-form.png`, fullPage: true });
  await Promise.all([beta.waitForURL(/\/registrations\/[0-9a-f-]+$/), beta.click("button:has-text('Register')")]);
  const decision = await beta.textContent("#decision");
  expect(decision.includes("Declined"), `B's registration was not declined: ${decision}`);
  expect(decision.includes("Duplicate: this customer was already registered on"), `no duplicate reason: ${decision}`);
  expect(decision.includes("by another partner"), `the reason does not say another partner: ${decision}`);
  const betaPage = await beta.textContent("main");
  expect(!betaPage.includes("Alpha") && !betaPage.includes(reference), "the decline names partner A or its registration");
  expect(await beta.locator("#decision").isVisible(), "the decision is not visible");
  await beta.screenshot({ path: `${shots}/conflict-duplicate-declined.png`, fullPage: true });
  await Promise.all([beta.waitForURL(`${base}/registrations`), beta.click("nav[aria-label=Breadcrumb] >> text=My registrations")]);
  expect((await beta.textContent("main table")).includes("Duplicate"), "B's list lacks the reason");
  await beta.screenshot({ path: `${shots}/conflict-my-registrations.png`, fullPage: true });

  // B checks the account: taken, never by whom.
  await beta.goto(`${base}/reservations/check`);
  await beta.fill("#c-name", "Hooli");
  await beta.fill("#c-website", "hooli.de");
  await Promise.all([beta.waitForURL(/name=Hooli/), beta.click("button:has-text('Check')")]);
  expect((await beta.textContent("#answer")).includes("reserved by you"), "Beta's own reservation is not recognised");
  await beta.screenshot({ path: `${shots}/conflict-check-yours.png`, fullPage: true });

  // (c) A's channel manager reviews: candidates side by side, bulk approval.
  const camContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const cam = await camContext.newPage();
  await signIn(cam, "cam.a@vendor.example");
  await Promise.all([cam.waitForURL(`${base}/registrations`), cam.click("nav[aria-label=Main] >> text=Registrations")]);
  await Promise.all([cam.waitForURL(`${base}/registrations/review`), cam.click("nav.subnav >> text=Review queue")]);
  const queue = await cam.textContent("main table");
  expect(queue.includes(reference) && !queue.includes("GLOBEX gmbh"), "the queue is not A's pending registration only");
  await cam.click("main tr.expand-row details summary");
  const compare = cam.locator("main table.compare").first();
  expect(await compare.isVisible(), "the candidates do not open");
  const compared = await compare.textContent();
  expect(compared.includes("Globex GmbH") && compared.includes("domain globex.de = globex.de"), `no explanation: ${compared}`);
  await cam.screenshot({ path: `${shots}/conflict-review-queue.png`, fullPage: true });
  await cam.check("input[data-check-all]");
  await cam.fill("#b-comment", "Welcome aboard");
  await Promise.all([cam.waitForURL(/done=approved&count=1/), cam.click("button:has-text('Approve checked')")]);
  expect((await cam.textContent("#bulk-done")).includes("Approved 1 registration."), "the bulk approval is not confirmed");
  await cam.screenshot({ path: `${shots}/conflict-review-done.png`, fullPage: true });

  // (d) The pipeline with its chart.
  await Promise.all([cam.waitForURL(`${base}/registrations/pipeline`), cam.click("nav.subnav >> text=Pipeline")]);
  expect((await cam.locator("#pipeline-chart rect.bar").count()) === 7, "the chart lacks a bar per status");
  await cam.screenshot({ path: `${shots}/conflict-pipeline.png`, fullPage: true });

  // A sees the approval and its reason.
  await alpha.reload();
  expect((await alpha.textContent("#decision")).includes("Approved: Welcome aboard"), "A does not see the approval");
  await alpha.screenshot({ path: `${shots}/conflict-registration-approved.png`, fullPage: true });
  // A reserves the account with its subsidiaries and offices from the check page.
  await alpha.goto(`${base}/reservations/check`);
  await alpha.fill("#c-name", "Globex GmbH");
  await alpha.fill("#c-website", "globex.de");
  await alpha.selectOption("#c-country", "DE");
  await Promise.all([alpha.waitForURL(/name=Globex/), alpha.click("button:has-text('Check')")]);
  expect((await alpha.textContent("#answer")).includes("Globex GmbH is available"), "Globex is not available to A");
  await alpha.check("input[name=scope][value=hierarchy]");
  await alpha.screenshot({ path: `${shots}/conflict-check-available.png`, fullPage: true });
  await Promise.all([alpha.waitForURL(`${base}/reservations`), alpha.click("button:has-text('Reserve Globex GmbH')")]);
  const reservations = await alpha.textContent("main table");
  expect(reservations.includes("Globex GmbH") && reservations.includes("subsidiaries"), `the reservation is not listed: ${reservations}`);
  await alpha.screenshot({ path: `${shots}/conflict-my-reservations.png`, fullPage: true });
  console.log("browser conflict test passed");
} finally {
  await browser.close();
}
