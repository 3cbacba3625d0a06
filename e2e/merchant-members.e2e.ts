// Back office members on a desktop screen: two shoppers sign up (B through A's share link), an
// operator finds A by phone in /merchant/members, opens the detail, expands the first downline level
// and sees B, freezes A with a reason (the audit log has it); support sees the same pages read-only;
// the CSV export starts with a BOM. Screenshots of each page.
import { expect, test, type Page } from "@playwright/test";
import { createStaff, masked, randomPhone, signInWithSms, staffSignIn } from "./helpers";

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test("an operator lists members, opens one, expands its downline and freezes it; support only reads", async ({ page, browser }) => {
  const baseURL = test.info().project.use.baseURL;
  // A and B sign up in their own browsers; B through A's share link.
  const phoneA = randomPhone();
  const ctxA = await browser.newContext({ baseURL, locale: "zh-CN" });
  const a = await ctxA.newPage();
  await signInWithSms(a, phoneA, "/promote");
  await expect(a).toHaveURL(/\/promote$/);
  const code = (await a.getByTestId("my-code").textContent())!.trim();
  await ctxA.close();
  const ctxB = await browser.newContext({ baseURL, locale: "zh-CN" });
  const b = await ctxB.newPage();
  await b.goto(`/r/${code}`);
  await expect(b.getByTestId("inviter")).toBeVisible();
  const phoneB = randomPhone();
  await signInWithSms(b, phoneB, "/me");
  await expect(b).toHaveURL(/\/me$/);
  await ctxB.close();

  const operator = await createStaff(page, "operator");
  await staffSignIn(page, operator, "/merchant/members");
  await expect(page).toHaveURL(/\/merchant\/members$/);
  await expect(page.getByTestId("member-row").first()).toBeVisible();
  await shot(page, "members-list");

  // Search by the full phone number (lookup hash): exactly A, with B as a direct.
  await page.getByLabel("昵称 / 邀请码 / 手机号").fill(phoneA);
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${phoneA}`));
  await expect(page.getByTestId("member-row")).toHaveCount(1);
  const row = page.getByTestId("member-row");
  await expect(row).toContainText(masked(phoneA));
  await expect(row).toContainText(code);
  await expect(row.locator("td").nth(5)).toHaveText("1");
  await shot(page, "members-search");

  // Export with the same filter: a BOM, the header, A's row.
  const csv = await page.request.get(`/merchant/members/export?q=${phoneA}`);
  expect(csv.ok()).toBe(true);
  const body = await csv.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = body.toString("utf8");
  expect(text).toContain("已结算佣金(元)");
  expect(text).toContain(masked(phoneA));
  expect(text).not.toContain(phoneA);

  await row.getByTestId("member-link").click();
  await expect(page).toHaveURL(/\/merchant\/members\/\d+$/);
  const detailUrl = page.url();
  await expect(page.getByTestId("member-name")).toBeVisible();
  await expect(page.getByTestId("member-upline")).toContainText("无推荐人");
  const level = page.getByTestId("downline-level").first();
  await expect(level).toContainText("第 1 级 · 1 人");
  await level.getByRole("button").click();
  await expect(level.getByTestId("downline-member")).toHaveCount(1);
  await expect(level.getByTestId("downline-member")).toContainText(`会员${phoneB.slice(-4)}`);
  await shot(page, "member-detail-downline");

  // Freeze with a reason; the badge changes and the audit log has the entry.
  await page.getByTestId("freeze-toggle").click();
  const dialog = page.getByRole("dialog", { name: "冻结会员" });
  await dialog.getByLabel("原因").fill("疑似刷单，先冻结核查");
  await shot(page, "member-freeze-dialog");
  await dialog.getByRole("button", { name: "冻结" }).click();
  await expect(page.getByTestId("member-frozen-state")).toContainText("已冻结");
  await expect(page.getByTestId("freeze-toggle")).toHaveText("解冻");
  await shot(page, "member-frozen");
  // B's detail shows A (frozen) in the upline.
  await page.getByTestId("downline-level").first().getByRole("button").click();
  await page.getByTestId("downline-member").getByRole("link").click();
  await expect(page.getByTestId("member-upline")).toContainText("上 1 级");
  await expect(page.getByTestId("member-upline")).toContainText("已冻结");
  await shot(page, "member-detail-upline");

  // Support: same pages, no freeze button.
  const ctxS = await browser.newContext({ baseURL, locale: "zh-CN", viewport: { width: 1440, height: 900 } });
  const s = await ctxS.newPage();
  const support = await createStaff(s, "support");
  await staffSignIn(s, support, "/merchant/members?frozen=yes");
  await expect(s.getByTestId("member-row").first()).toContainText(masked(phoneA));
  await s.goto(detailUrl);
  await expect(s.getByTestId("member-detail")).toContainText("只读");
  await expect(s.getByTestId("freeze-toggle")).toHaveCount(0);
  await shot(s, "member-detail-support");
  await ctxS.close();

  // The owner sees the freeze in the audit log.
  const owner = await createStaff(page, "owner");
  await page.context().clearCookies();
  await staffSignIn(page, owner, "/merchant/audit?action=member.");
  await expect(page.getByTestId("audit-row").first()).toContainText("member.frozen");
  await expect(page.getByTestId("audit-row").first()).toContainText("疑似刷单");
  await shot(page, "audit-member-frozen");
});
