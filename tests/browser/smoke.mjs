// Portal smoke test in headless Chromium: a channel manager signs in and sees the partners
// list (own partners only); a partner user signs in and sees its organisation, never another
// partner's. Usage: node smoke.mjs <base-url> <screenshot-dir>
// Exits non-zero with a message on the first failed expectation.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [base, shots = "."] = process.argv.slice(2);
if (!base) {
  console.error("usage: node smoke.mjs <base-url> <screenshot-dir>");
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
  const manager = await browser.newContext();
  const page = await manager.newPage();
  await signIn(page, "cam.a@vendor.example");
  expect((await page.title()).includes("Tributary"), "home page has no title");
  await page.goto(`${base}/partners`);
  const table = await page.textContent("main table");
  expect(table && table.includes("Alpha Resellers"), "a channel manager's partner list lacks its partner");
  expect(!table.includes("Beta Managed Services"), "a channel manager sees a partner it does not manage");
  await page.screenshot({ path: `${shots}/partners-channel-manager.png`, fullPage: true });
  await page.click("text=Alpha Resellers");
  await page.waitForURL(/\/partners\/[0-9a-f-]+$/);
  expect((await page.textContent("main")).includes("Alpha Resellers"), "partner detail page lacks the partner");

  const partner = await browser.newContext();
  const partnerPage = await partner.newPage();
  await signIn(partnerPage, "user@alpha.example");
  const home = await partnerPage.textContent("main");
  expect(home.includes("Alpha Resellers"), "a partner user's home lacks its organisation");
  expect(!home.includes("Beta Managed Services"), "a partner user sees another partner");
  await partnerPage.goto(`${base}/partners`);
  const own = await partnerPage.textContent("main");
  expect(!own.includes("Beta Managed Services"), "a partner user's partner list shows another partner");
  await partnerPage.screenshot({ path: `${shots}/home-partner-user.png`, fullPage: true });
  console.log("browser smoke test passed");
} finally {
  await browser.close();
}
