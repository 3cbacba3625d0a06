// Members and distributors in the back office (issue 9), on a desktop screen: an owner asks to move a
// member from one sponsor to another after seeing the preview; the owner who asked cannot approve it,
// a second owner does; the move runs in the background and the member's detail shows the new sponsor
// and a bind-history entry; a freeze and an unfreeze with their reasons; the audit log shows every step;
// the member list's CSV (downloaded from its button) has the member with the new sponsor.
import { readFileSync } from "node:fs";
import { devices, expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { createStaff, myDisplayName, randomPhone, signInWithSms, staffSignIn, testDoorHeaders, testDoorPost } from "./helpers";
import { maskDisplayName } from "../server/members/profile";

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/merchant-members-${name}.png`, fullPage: true });

async function staffPage(browser: Browser, testInfo: TestInfo, role: "owner" | "operator", path: string) {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && /hydrat/i.test(m.text())) throw new Error(`hydration error on ${page.url()}: ${m.text()}`);
  });
  const account = await createStaff(page, role);
  await staffSignIn(page, account, path);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[?.]/g, "\\$&")}$`));
  return { page, account };
}

/** A shopper on their own phone model (the same model twice shares a device fingerprint: SPEC §8). */
async function shopper(browser: Browser, testInfo: TestInfo, device: string, via?: string) {
  const context = await browser.newContext({ ...devices[device], baseURL: testInfo.project.use.baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  if (via) await page.goto(`/r/${via}`);
  const phone = randomPhone();
  await signInWithSms(page, phone, "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  // The back office shows the whole display name; the shopper sees other members masked.
  const name = await myDisplayName(page);
  return { page, phone, code, name, masked: maskDisplayName(name) };
}

test("a sponsor change with its preview, another owner's approval and the bind history; freeze and unfreeze; all in the audit log", async ({ browser }, testInfo) => {
  test.setTimeout(300_000);

  // S1 and S2 are distributors; M signed up through S1's link.
  const s1 = await shopper(browser, testInfo, "Galaxy S9+");
  const s2 = await shopper(browser, testInfo, "iPhone 13");
  const m = await shopper(browser, testInfo, "Pixel 7", s1.code);
  await m.page.goto("/me");
  await expect(m.page.getByTestId("sponsor")).toHaveText(s1.masked);

  // Owner A finds M by the full phone number and asks to move M under S2, after the preview.
  const { page: a } = await staffPage(browser, testInfo, "owner", "/merchant/members");
  await a.goto(`/merchant/members?q=${m.phone}`);
  await expect(a.getByTestId("member-link")).toHaveCount(1);
  await a.getByTestId("member-link").click();
  await expect(a).toHaveURL(/\/merchant\/members\/\d+$/);
  const memberId = Number(/\/members\/(\d+)$/.exec(a.url())![1]);
  // 尾号: the phone's last four digits find M too (among any other member whose phone ends with them), as the search box says.
  await a.goto(`/merchant/members?q=${m.phone.slice(-4)}`);
  await expect(a.getByPlaceholder("手机号或尾号（后 4 位）均可")).toHaveValue(m.phone.slice(-4));
  await expect(a.locator(`[data-testid="member-link"][href="/merchant/members/${memberId}"]`)).toHaveCount(1);
  await shot(a, "phone-tail-search");
  await a.goto(`/merchant/members/${memberId}`);
  await expect(a.getByTestId("member-sponsor")).toHaveText(s1.name);
  await a.getByTestId("sponsor-change-open").click();
  const dialog = a.getByRole("dialog", { name: "改绑上级" });
  await dialog.getByLabel("新推荐人（邀请码或会员编号，如 #12）").fill(m.code);
  await dialog.getByRole("button", { name: "预览变更" }).click();
  await expect(dialog.getByRole("alert")).toContainText("不能把会员绑定到自己名下");
  await dialog.getByLabel("新推荐人（邀请码或会员编号，如 #12）").fill(s2.code);
  await dialog.getByRole("button", { name: "预览变更" }).click();
  const preview = dialog.getByTestId("sponsor-preview");
  await expect(preview).toContainText(`${m.name}：${s1.name} → ${s2.name}`);
  // In a merchant's words (M has nobody below): who moves, and that the uplines follow; no closure-table rows.
  await expect(preview.getByTestId("preview-moved")).toHaveText("只移动该会员本人（没有下级）");
  await expect(preview.getByTestId("preview-closure")).toHaveText(`上级关系将随之更新：${s2.name} 及其上级成为该会员的上级`);
  await expect(preview).not.toContainText("关系链记录");
  await expect(dialog.getByRole("button", { name: "提交审批" })).toBeDisabled();
  await dialog.getByLabel("原因（必填，将写入操作日志）").fill("e2e 主播团队合并");
  await shot(a, "sponsor-preview");
  await dialog.getByRole("button", { name: "提交审批" }).click();
  await expect(dialog).toBeHidden();
  // Each action says what it did (as the withdrawals and adjustments pages do), not only by a card changing.
  await expect(a.getByTestId("member-flash")).toHaveText("改绑申请已提交，等待店主审批（提交人本人不能审批）");
  await shot(a, "sponsor-submitted");
  const request = a.getByTestId("member-sponsor-changes").getByTestId("sponsor-change");
  await expect(request).toHaveAttribute("data-status", "PENDING");
  await expect(request).toContainText("原因：e2e 主播团队合并");
  // The owner who asked may not approve it.
  await expect(request.getByTestId("sponsor-approve")).toHaveCount(0);
  await expect(request).toContainText("自己提交的申请需由另一位店主审批");

  // Owner B finds it among the open requests above the member list and approves it after the same preview.
  const { page: b } = await staffPage(browser, testInfo, "owner", "/merchant/members");
  const open = b.getByTestId("open-sponsor-changes").getByTestId("sponsor-change").filter({ hasText: m.name });
  await expect(open).toHaveAttribute("data-status", "PENDING");
  await open.getByTestId("sponsor-approve").click();
  const approve = b.getByRole("dialog", { name: "批准改绑" });
  await expect(approve.getByTestId("sponsor-preview")).toContainText(`${s1.name} → ${s2.name}`);
  await shot(b, "sponsor-approve");
  await approve.getByRole("button", { name: "批准" }).click();
  await expect(approve).toBeHidden();
  await expect(b.getByTestId("sponsor-change-flash")).toHaveText("已批准改绑，正在后台执行，完成后写入绑定历史");
  await shot(b, "sponsor-approved");
  // The move is a due transition: the test clock's sweep runs it now instead of at the next tick.
  expect((await b.request.post("/api/test/clock", { data: { advanceMs: 0 }, headers: testDoorHeaders() })).ok()).toBe(true);

  // M's detail: the new sponsor, the finished request and its bind-history entry.
  await b.goto(`/merchant/members/${memberId}`);
  await expect(b.getByTestId("member-sponsor-changes").getByTestId("sponsor-change")).toHaveAttribute("data-status", "DONE", { timeout: 30_000 });
  await b.reload();
  await expect(b.getByTestId("member-sponsor")).toHaveText(s2.name);
  await expect(b.getByTestId("member-upline")).toContainText(s2.name);
  await expect(b.getByTestId("member-upline")).not.toContainText(s1.name);
  const entry = b.getByTestId("bind-history-entry");
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(`${s1.name} → ${s2.name}`);
  await expect(entry).toContainText("原因：e2e 主播团队合并");
  await expect(entry).toContainText("移动 1 人");
  await expect(b.getByTestId("bind-history")).toContainText(`注册绑定：${s1.name}`);
  await shot(b, "detail-after-change");
  // The shopper sees the new sponsor too.
  await m.page.reload();
  await expect(m.page.getByTestId("sponsor")).toHaveText(s2.masked);

  // Freeze with a reason, then unfreeze.
  await b.getByTestId("freeze-toggle").click();
  const freeze = b.getByRole("dialog", { name: "冻结会员" });
  await freeze.getByRole("button", { name: "冻结" }).click();
  await expect(freeze.getByRole("alert")).toBeVisible();
  // SPEC §8: the dialog says what a freeze does to withdrawals in flight; M has none.
  await expect(freeze.getByTestId("freeze-waiting-withdrawals")).toHaveText("该会员目前没有等待审核或打款的提现。");
  await freeze.getByLabel("原因（必填，将写入操作日志）").fill("e2e 疑似刷单，待核实");
  // The reason given, the warning that asked for it goes.
  await expect(freeze.getByRole("alert")).toHaveCount(0);
  await shot(b, "freeze-dialog");
  await freeze.getByRole("button", { name: "冻结" }).click();
  await expect(b.getByTestId("member-frozen-state")).toHaveText("已冻结");
  await expect(b.getByTestId("member-flash")).toHaveText(`已冻结 ${m.name}`);
  await shot(b, "frozen");
  await b.getByTestId("freeze-toggle").click();
  const unfreeze = b.getByRole("dialog", { name: "解冻会员" });
  await expect(unfreeze.getByTestId("freeze-waiting-withdrawals")).toHaveCount(0);
  await unfreeze.getByLabel("原因（必填，将写入操作日志）").fill("e2e 核实无误");
  await unfreeze.getByRole("button", { name: "解冻" }).click();
  await expect(b.getByTestId("member-frozen-state")).toHaveText("正常");
  await expect(b.getByTestId("member-flash")).toHaveText(`已解冻 ${m.name}`);

  // 停用 / 恢复分销资格: the dialog says what happens to commissions (未获得, never 作废); each step is confirmed.
  await b.getByTestId("distributor-toggle").click();
  const disable = b.getByRole("dialog", { name: "停用分销资格" });
  await expect(disable).toContainText("本应给该会员的佣金记为「未获得」");
  await expect(disable).not.toContainText("作废");
  await disable.getByLabel("原因（必填，将写入操作日志）").fill("e2e 违规推广");
  await shot(b, "distributor-dialog");
  await disable.getByRole("button", { name: "停用分销资格" }).click();
  await expect(disable).toBeHidden();
  await expect(b.getByTestId("member-flash")).toHaveText(`已停用 ${m.name} 的分销资格`);
  await expect(b.getByTestId("member-detail")).toContainText("分销资格已停用（");
  await expect(b.getByTestId("distributor-toggle")).toHaveText("恢复分销资格");
  await shot(b, "distributor-disabled");
  await b.getByTestId("distributor-toggle").click();
  const enable = b.getByRole("dialog", { name: "恢复分销资格" });
  await enable.getByLabel("原因（必填，将写入操作日志）").fill("e2e 申诉通过");
  await enable.getByRole("button", { name: "恢复分销资格" }).click();
  await expect(b.getByTestId("member-flash")).toHaveText(`已恢复 ${m.name} 的分销资格`);
  await expect(b.getByTestId("distributor-toggle")).toHaveText("停用分销资格");

  // The audit log: the request, the approval (by B), the move, the freeze and the unfreeze with their reasons.
  await b.goto(`/merchant/audit?target=member:${memberId}`);
  const rows = b.getByTestId("audit-row");
  await expect(rows.filter({ hasText: "member.sponsor_change_requested" })).toContainText("e2e 主播团队合并");
  await expect(rows.filter({ hasText: "member.sponsor_change_approved" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "member.sponsor_changed" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "member.frozen" })).toContainText("e2e 疑似刷单，待核实");
  await expect(rows.filter({ hasText: "member.unfrozen" })).toContainText("e2e 核实无误");
  await shot(b, "audit");

  // The member list's CSV from its button: BOM, the list's columns, M with the new sponsor.
  await b.goto(`/merchant/members?q=${m.phone}`);
  await expect(b.getByTestId("member-link")).toHaveCount(1);
  const [download] = await Promise.all([b.waitForEvent("download"), b.getByTestId("export-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^会员列表-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString("utf8").slice(1).trim().split("\n");
  expect(lines[0]).toContain("已结算佣金(元)");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${memberId},${m.name},${m.phone.slice(0, 3)}****${m.phone.slice(-4)},${m.code},`);
  expect(lines[1]).toContain(`,${s2.name} (#`);
  expect(lines[1]).toContain(",0.00,0.00,0.00,");
  expect(bytes.toString("utf8")).not.toContain(m.phone);

  for (const p of [a, b, s1.page, s2.page, m.page]) await p.context().close();
});

test("the back office's lists download as CSV with money in 元; each for its own roles only", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const { page: op } = await staffPage(browser, testInfo, "operator", "/merchant/products");
  await op.goto("/merchant/products?q=fresh-rice");
  await expect(op.getByTestId("product-row")).toHaveCount(1);
  // Products, one row per SKU, from the page's button with its search.
  const [download] = await Promise.all([op.waitForEvent("download"), op.getByTestId("export-csv").click()]);
  const products = readFileSync((await download.path())!).toString("utf8");
  expect(products.charCodeAt(0)).toBe(0xfeff);
  expect(products.slice(1).split("\n")[0]).toBe("商品 ID,商品,分类,规格,SKU 编码,售价(元),库存,上架,排序");
  expect(products).toMatch(/,五常稻花香大米 5kg,生鲜果蔬,,fresh-rice,89\.00,\d+,是,/);
  for (const path of ["/merchant/after-sales/export?status=all", "/merchant/stock/export?threshold=1000", "/merchant/stock/history/export", "/merchant/categories/export", "/merchant/orders/export"]) {
    const res = await op.request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
    expect([...(await res.body()).subarray(0, 3)], path).toEqual([0xef, 0xbb, 0xbf]);
  }
  expect((await (await op.request.get("/merchant/stock/export?threshold=1000")).body()).toString("utf8")).toMatch(/,fresh-rice,89\.00,/);
  // Not the operator's: the money exports, the audit log, the staff list.
  for (const path of ["/merchant/withdrawals/export", "/merchant/adjustments/export", "/merchant/audit/export", "/merchant/staff/export"]) {
    expect((await op.request.get(path)).status(), path).toBe(403);
  }
  // A malformed filter is a 400, not an error page.
  expect((await op.request.get("/merchant/after-sales/export?status=bogus")).status()).toBe(400);

  const { page: owner } = await staffPage(browser, testInfo, "owner", "/merchant/staff");
  const staffCsv = await owner.request.get("/merchant/staff/export");
  expect(staffCsv.status()).toBe(200);
  expect((await staffCsv.body()).toString("utf8")).toMatch(/,测试operator,运营,/);
  await shot(owner, "staff");
  await Promise.all([op.context().close(), owner.context().close()]);
});

const DAY = 86_400_000;

/** The test clock moved on by `advanceMs` (0: only its sweep runs now); its time. */
async function clock(page: Page, advanceMs = 0): Promise<Date> {
  return new Date(((await testDoorPost(page.request, "/api/test/clock", { advanceMs })) as { now: string }).now);
}

/** 00:00 Asia/Shanghai (the rules' zone) on the 1st of the month after `t`, and `t`'s month there ("2026-12"). */
function shanghaiMonth(t: Date): { next: Date; month: string } {
  const local = new Date(t.getTime() + 8 * 3600_000);
  return {
    next: new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - 8 * 3600_000),
    month: `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, "0")}`,
  };
}

// The member page says what a 阶梯奖励 was paid on (its month, the direct sales and the rate, as the member's notice does),
// not a bare amount; and beside 正常, how many risk rejections the member has towards the automatic freeze, as the case does.
test("a member's page shows a stepped bonus's month, sales and rate, and the risk rejections beside the status", async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const { page: owner } = await staffPage(browser, testInfo, "owner", "/merchant/members");
  const rulesBefore = (await testDoorPost(owner.request, "/api/test/config", {})) as { config: { stepBonus: object } };
  try {
    // B's order completes 7 days after delivery, inside the month: with fewer than 9 days left, start on the 1st.
    let now = await clock(owner);
    if (shanghaiMonth(now).next.getTime() - now.getTime() < 9 * DAY) now = await clock(owner, shanghaiMonth(now).next.getTime() - now.getTime() + 60_000);
    await testDoorPost(owner.request, "/api/test/config", { stepBonus: { brackets: [{ minFen: 0, bps: 800 }] } });

    // A's first order right after signing up, 6 × 降噪蓝牙耳机 Pro (2 394 元), is flagged (large_first_order).
    const a = await shopper(browser, testInfo, "Galaxy S9+");
    await testDoorPost(a.page.request, "/api/test/orders", { action: "buy", sku: "digital-earbuds", qty: 6 });
    // B signs up through A's link and buys one 明前西湖龙井 (268 元), delivered.
    const b = await shopper(browser, testInfo, "iPhone 13", a.code);
    const order = (await testDoorPost(b.page.request, "/api/test/orders", { action: "buy", sku: "tea-longjing", qty: 1 })) as { orderId: number; goodsFen: number };
    expect(order.goodsFen).toBe(26800);
    await testDoorPost(b.page.request, "/api/test/orders", { action: "deliver", orderId: order.orderId });

    await owner.goto(`/merchant/members?q=${a.phone}`);
    await owner.getByTestId("member-link").click();
    await expect(owner).toHaveURL(/\/merchant\/members\/\d+$/);
    const memberId = Number(/\/members\/(\d+)$/.exec(owner.url())![1]);
    await expect(owner.getByTestId("member-frozen-state")).toHaveText("正常");
    await expect(owner.getByTestId("member-risk-rejections")).toHaveCount(0);

    // The owner rejects A's flag on the case (one rejection of the three that freeze the account).
    await owner.goto(`/merchant/risk/${memberId}`);
    await owner.getByTestId("risk-open-flags").getByRole("button", { name: "驳回", exact: true }).click();
    const confirm = owner.getByRole("dialog", { name: "确认审核" });
    await confirm.getByLabel("驳回原因（必填，记入审核记录与操作日志）").fill("e2e 刷单核实");
    await confirm.getByRole("button", { name: "确认驳回" }).click();
    await expect(owner).toHaveURL(/\/merchant\/risk$/);

    // B's order completes after the return window; on the 1st A is paid 8% of 268 元 = 21.44 元 for the month.
    const completed = await clock(owner, 7 * DAY + 3_600_000);
    const { next, month } = shanghaiMonth(completed);
    await clock(owner, next.getTime() - completed.getTime() + 60_000);

    await owner.goto(`/merchant/members/${memberId}`);
    const bonus = owner.getByTestId("member-wallet").getByTestId("ledger-bonus");
    await expect(async () => {
      await owner.reload();
      await expect(bonus).toHaveCount(1, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(bonus).toHaveText(`阶梯奖励${month} 直推销售 ¥268.00，按 8%`);
    await expect(owner.getByTestId("member-wallet")).toContainText("¥21.44");
    await expect(owner.getByTestId("member-frozen-state")).toHaveText("正常");
    await expect(owner.getByTestId("member-risk-rejections")).toHaveText("· 风控驳回 1 次（满 3 次冻结）");
    await shot(owner, "bonus-basis-rejections");

    await owner.goto(`/merchant/members/${memberId}?lang=en`);
    await expect(bonus).toHaveText(`Stepped sales bonus${month}: direct sales ¥268.00 at 8%`);
    await expect(owner.getByTestId("member-risk-rejections")).toHaveText("· Risk rejections: 1 (frozen at 3)");
    await shot(owner, "bonus-basis-rejections-en");
    for (const p of [a.page, b.page]) await p.context().close();
  } finally {
    // Later test files see the rules as they were.
    await testDoorPost(owner.request, "/api/test/config", { stepBonus: rulesBefore.config.stepBonus });
    await owner.context().close();
  }
});
