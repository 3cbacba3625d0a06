// The English UI's layout (an English browser walk): the language switch's 中文 on one line, the orders list's
// headings clear of the pinned actions column at 1440 px, the promotion centre's task steps in one row whatever
// their labels' lengths, a Latin font first on English pages, the audit log's export entries in words, the
// bulk-ship template's English header and the devices table's action whole on the first sign-in's narrow page.
import { mkdirSync } from "node:fs";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { createStaff, signInByRequest, randomPhone, staffSignIn, testDoorHeaders } from "./helpers";

const SHOTS = ".scratch/english-layout";
mkdirSync(SHOTS, { recursive: true });

/** A desktop context at 1440 × 900 whose pages are English (the fm_lang cookie the language switch writes). */
async function englishDesktop(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const baseURL = testInfo.project.use.baseURL!;
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, locale: "en-US", timezoneId: "Asia/Shanghai", extraHTTPHeaders: testDoorHeaders() });
  await context.addCookies([{ name: "fm_lang", value: "en", url: baseURL }]);
  return context.newPage();
}

/** Signs `account` in from the English login page (the password, then the TOTP code when asked). */
async function englishStaffSignIn(page: Page, account: Awaited<ReturnType<typeof createStaff>>, next: string) {
  // staffSignIn reads the Chinese labels: sign in in Chinese, then switch back to English.
  const cookies = await page.context().cookies();
  await page.context().clearCookies({ name: "fm_lang" });
  await staffSignIn(page, account, next);
  await page.context().addCookies(cookies.filter((c) => c.name === "fm_lang"));
}

test("English layout: language switch, orders headings, audit words, bulk-ship template, devices table", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const page = await englishDesktop(browser, testInfo);

  // /merchant/login: 中文 on one line, as tall as English; the body's font is a Latin one first.
  await page.goto("/merchant/login");
  const zhButton = page.getByTestId("lang-switch").getByRole("button", { name: "中文" });
  const enButton = page.getByTestId("lang-switch").getByRole("button", { name: "English" });
  await expect(enButton).toHaveAttribute("aria-pressed", "true");
  const [zhBox, enBox] = [await zhButton.boundingBox(), await enButton.boundingBox()];
  expect(Math.round(zhBox!.height)).toBe(Math.round(enBox!.height));
  expect(zhBox!.height).toBeLessThan(32); // text-xs (16 px line) + py-1: two lines would be 40
  expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/^system-ui/);
  await page.screenshot({ path: `${SHOTS}/merchant-login.png` });

  // An owner with an order to show, an after-sales export in the audit log.
  const shopper = await englishDesktop(browser, testInfo);
  await signInByRequest(shopper, randomPhone());
  expect((await shopper.request.post("/api/test/orders", { data: { action: "buy" }, headers: testDoorHeaders() })).ok()).toBe(true);
  await shopper.context().close();
  const owner = await createStaff(page, "owner");
  await englishStaffSignIn(page, owner, "/merchant/orders");
  await page.goto("/merchant/orders");
  await expect(page.getByRole("heading", { name: "Orders" })).toBeVisible();
  await expect(page.getByTestId("table-orders").locator("tbody tr").first()).toBeVisible();

  // The Shipment heading is not under the pinned Actions column once the table is scrolled to its end (how wide the
  // orders make it depends on the data): the point at its right end is the heading.
  await page.getByTestId("table-orders").locator("table").evaluate((t) => {
    const box = t.parentElement!;
    box.scrollLeft = box.scrollWidth;
  });
  const shipment = page.getByRole("columnheader", { name: "Shipment" });
  const box = (await shipment.boundingBox())!;
  const covered = await page.evaluate(({ x, y }) => {
    const hit = document.elementFromPoint(x, y);
    return hit?.closest("th")?.textContent ?? hit?.tagName ?? null;
  }, { x: box.x + box.width - 4, y: box.y + box.height / 2 });
  expect(covered).toBe("Shipment");
  await page.screenshot({ path: `${SHOTS}/merchant-orders-1440.png` });

  // The bulk-ship template's header is English on the English page.
  await page.getByRole("button", { name: "Bulk ship" }).click();
  const href = await page.getByTestId("bulk-ship-template").getAttribute("href");
  expect(decodeURIComponent(href!.replace(/^data:text\/csv;charset=utf-8,/, ""))).toBe("\uFEFForderNo,carrier,trackingNo\n");
  await page.keyboard.press("Escape");

  // An export, then the audit log names its list and its filter's status in English.
  expect((await page.request.get("/merchant/after-sales/export?status=PENDING")).ok()).toBe(true);
  await page.goto("/merchant/audit");
  const exportRow = page.getByTestId("audit-row").filter({ hasText: "export:after-sales" }).first();
  await expect(exportRow).toContainText("List: After-sales");
  await expect(exportRow).toContainText("Filter: Status: Waiting for the shop");
  await page.screenshot({ path: `${SHOTS}/merchant-audit.png`, fullPage: true });
  await page.context().close();

  // The first sign-in's narrow account page (an owner without two-step verification yet), signed in twice:
  // the other device's "Sign out device" is whole inside the table's box.
  const first = await englishDesktop(browser, testInfo);
  const fresh = await createStaff(first, "owner", { totp: false });
  await englishStaffSignIn(first, fresh, "/merchant/account");
  const second = await englishDesktop(browser, testInfo);
  await englishStaffSignIn(second, fresh, "/merchant/account");
  await second.goto("/merchant/account");
  const revoke = second.getByRole("button", { name: "Sign out device" }).first();
  await expect(revoke).toHaveText("Sign out");
  const tableBox = (await second.getByTestId("staff-session").first().locator("xpath=ancestor::div[contains(@class,'overflow-x-auto')]").boundingBox())!;
  const revokeBox = (await revoke.boundingBox())!;
  expect(revokeBox.x + revokeBox.width).toBeLessThanOrEqual(tableBox.x + tableBox.width + 0.5);
  await second.screenshot({ path: `${SHOTS}/merchant-account-first-sign-in.png`, fullPage: true });
  await first.context().close();
  await second.context().close();
});

test("English promotion centre on a phone: the task's steps in one row, dates as elsewhere", async ({ page, context }, testInfo) => {
  test.setTimeout(120_000);
  await context.addCookies([{ name: "fm_lang", value: "en", url: testInfo.project.use.baseURL! }]);
  await signInByRequest(page, randomPhone());
  const bought = await page.request.post("/api/test/orders", { data: { action: "buy" }, headers: testDoorHeaders() });
  expect(bought.ok(), await bought.text()).toBe(true);
  await page.goto("/promote?tab=tasks");
  const task = page.getByTestId("rebate-task").first();
  await expect(task).toBeVisible();
  // Every step's dot on one line, the longest label ("To be confirmed") included.
  const dots = task.getByTestId("task-step-dot");
  await expect(dots).toHaveCount(4);
  const tops = await dots.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(new Set(tops).size, tops.join(",")).toBe(1);
  await expect(task.getByTestId("task-step").nth(1)).toContainText("To be confirmed");
  expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/^system-ui/);
  await page.screenshot({ path: `${SHOTS}/promote-tasks-pixel7.png`, fullPage: true });
});
