// Incentive pages in headless Chromium: (a) a partner user sees the earnings card on the
// home page, opens Earnings → the latest statement and reads its explanation: the band
// math, the exchange rate with its date, withholding and net, and the transactions behind
// the line; (b) finance closes the quarter again from the portal and watches the progress
// bar until the close is done, then reviews the period's statements; (c) finance types a
// plan's bands in the editor and sees a gap between them reported at its row. The data
// (the worked example's graduated plan, Alpha's 300,000 USD of 2026-Q1 sales, the USD→EUR
// rate, German withholding, and the first close) is prepared by crates/server/tests/browser.rs.
// Usage: node incentives.mjs <base-url> <screenshot-dir>
// Exits non-zero with a message on the first failed expectation.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [base, shots = "."] = process.argv.slice(2);
if (!base) {
  console.error("usage: node incentives.mjs <base-url> <screenshot-dir>");
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
  // (a) The partner opens its statement and reads the explanation.
  const partner = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await partner.newPage();
  await signIn(page, "user@alpha.example");
  const card = page.locator("#earnings-card");
  await card.waitFor();
  expect((await card.textContent()).includes("7,452.00 EUR"), "the home page's earnings card lacks the net");
  await Promise.all([page.waitForURL(`${base}/earnings`), page.click("nav[aria-label=Main] >> text=Earnings")]);
  const latest = page.locator("#latest-statement");
  expect((await latest.textContent()).includes("2026-Q1"), "the latest statement is not 2026-Q1");
  expect(await page.locator("main table").first().isVisible(), "the statements table is not shown");
  await page.screenshot({ path: `${shots}/incentives-earnings.png`, fullPage: true });
  await Promise.all([page.waitForURL(/\/incentives\/statements\/[0-9a-f-]+$/), latest.locator("a").first().click()]);
  const explanation = page.locator("table.explanation").first();
  await explanation.waitFor();
  expect(await explanation.isVisible(), "the explanation is not visible");
  const text = await explanation.textContent();
  for (const expected of [
    "300,000.00 USD",
    "100,000.00 × 2 % = 2,000.00",
    "150,000.00 × 3 % = 4,500.00",
    "50,000.00 × 5 % = 2,500.00",
    "1 USD = 0.92 EUR (rate on or before 2026-03-31)",
    "9,000.00 × 0.92 = 8,280.00 → 8,280.00 EUR (half-even)",
    "10 % of 8,280.00 EUR = 828.00 EUR",
    "7,452.00 EUR",
  ]) {
    expect(text.includes(expected), `the explanation lacks “${expected}”: ${text}`);
  }
  const main = await page.textContent("main");
  expect(!main.includes("Beta Managed Services"), "a partner sees another partner");
  expect(!main.includes("Submit for approval"), "a partner is offered the vendor's actions");
  const drill = page.locator("details.drill-down").first();
  await drill.locator("summary").click();
  const facts = drill.locator("table tbody tr");
  await facts.first().waitFor();
  expect((await facts.count()) === 3, `the line has ${await facts.count()} transactions, not 3`);
  await page.screenshot({ path: `${shots}/incentives-statement.png`, fullPage: true });

  // (b) Finance closes the quarter again and watches the progress until it is done.
  const vendor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const finance = await vendor.newPage();
  await signIn(finance, "finance@vendor.example");
  await Promise.all([finance.waitForURL(`${base}/incentives/plans`), finance.click("nav[aria-label=Main] >> text=Incentives")]);
  await Promise.all([finance.waitForURL(`${base}/incentives/close`), finance.click("nav.subnav >> text=Period close")]);
  await finance.fill("#c-period", "2026-Q1");
  await Promise.all([finance.waitForURL(/\/incentives\/close\/[0-9a-f-]+$/), finance.click("button:has-text('Start the close')")]);
  await finance.locator("#close-status >> text=Done").waitFor({ timeout: 30000 });
  expect((await finance.textContent("#close-status")).includes("recalculated"), "the close does not say what it wrote");
  await finance.screenshot({ path: `${shots}/incentives-close.png`, fullPage: true });
  await Promise.all([finance.waitForURL(/\/incentives\/statements\?period=2026-Q1/), finance.click("text=Review the statements of 2026-Q1")]);
  const rows = await finance.textContent("main table");
  expect(rows.includes("Alpha Resellers") && rows.includes("7,452.00 EUR"), `the review list lacks Alpha's statement: ${rows}`);
  await finance.screenshot({ path: `${shots}/incentives-statements.png`, fullPage: true });

  // (c) The plan editor: bands typed in the table (one added with the button); a gap
  // between them is shown at its row, with what was typed kept.
  await Promise.all([finance.waitForURL(`${base}/incentives/plans`), finance.click("nav.subnav >> text=Plans")]);
  await Promise.all([finance.waitForURL(`${base}/incentives/plans/new`), finance.click("main a:has-text('New plan')")]);
  await finance.fill("#f-name", "Storage rebate");
  await finance.selectOption("#f-calculation", "graduated");
  const band = (i) => finance.locator("#bands-rows tr:not(.row-error)").nth(i);
  await band(0).locator("input[name=band_from]").fill("0");
  await band(0).locator("input[name=band_to]").fill("100000");
  await band(0).locator("input[name=band_rate]").fill("2");
  await finance.click("button[data-add-row=bands]");
  expect((await finance.locator("#bands-rows tr").count()) === 2, "Add band added no row");
  await band(1).locator("input[name=band_from]").fill("120000");
  await band(1).locator("input[name=band_rate]").fill("3");
  await finance.click("button:has-text('Create draft')");
  const error = finance.locator("#f-band_1");
  await error.waitFor();
  expect((await error.textContent()).includes("the next band must start where this one ends (100000)"), "the band error is not at its row");
  expect((await band(1).locator("input[name=band_from]").inputValue()) === "120000", "the typed band was not kept");
  await finance.screenshot({ path: `${shots}/incentives-plan-form.png`, fullPage: true });
  await band(1).locator("input[name=band_from]").fill("100000");
  await Promise.all([finance.waitForURL(/\/incentives\/plans\/[0-9a-f-]+$/), finance.click("button:has-text('Create draft')")]);
  expect((await finance.textContent("main")).includes("Graduated: 0–100,000 at 2 %, from 100,000 at 3 %"), "the draft does not read back in words");
  console.log("browser incentive test passed");
} finally {
  await browser.close();
}
