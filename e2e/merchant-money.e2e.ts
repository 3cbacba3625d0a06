// Money operations in the back office (issue 9), through the real UI on a desktop screen: the owner
// sets a withdrawal fee; a finance user requests a 60 000 元 credit for a shopper and a second finance
// user approves it (two-person rule); the shopper sees the fee before confirming three withdrawals; on a
// phone, a withdrawal's amount and payee show beside its 通过 button; the first finance user
// batch-approves them (two paid, the 50 000 元 one waits for a second approver), the second rejects that one
// with a long reason, readable on a desk-width screen; an operator is refused
// the finance pages; the audit log shows each of these actions.
import { expect, test, type Browser, type Locator, type Page, type TestInfo } from "@playwright/test";
import { createStaff, myDisplayName, randomPhone, signInWithSms, staffSignIn, testDoorPost, verifyIdentity } from "./helpers";

async function newPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  // A React hydration mismatch is a bug on any of these pages.
  page.on("console", (m) => {
    if (m.type() === "error" && /hydrat/i.test(m.text())) throw new Error(`hydration error on ${page.url()}: ${m.text()}`);
  });
  return page;
}

async function staffPage(browser: Browser, testInfo: TestInfo, role: "owner" | "finance" | "operator", path: string) {
  const page = await newPage(browser, testInfo);
  const account = await createStaff(page, role);
  await staffSignIn(page, account, path);
  await expect(page).toHaveURL(new RegExp(`${path.replace("?", "\\?")}$`));
  return { page, account };
}

/**
 * Whether `text` can be read on screen inside `scope` as it is: some element whose own text it is has its centre
 * inside the window, and nothing (a pinned column, the edge of a sideways-scrolling box) covers it there.
 */
function seenOnScreen(scope: Locator, text: string): Promise<boolean> {
  return scope.evaluate((root, wanted) => {
    const own = [...root.querySelectorAll<HTMLElement>("*")].filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim() === wanted));
    return own.some((el) => {
      const r = el.getBoundingClientRect();
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
      if (r.width === 0 || x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) return false;
      const hit = document.elementFromPoint(x, y);
      return hit !== null && el.contains(hit);
    });
  }, text);
}

/** Whether `el` is on top all along its middle line: no other element (a pinned column, the edge of a scrolling box) covers any of it. */
function uncovered(el: Locator): Promise<boolean> {
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const y = r.top + r.height / 2;
    return r.width > 0 && [r.left + 1, r.left + r.width / 2, r.right - 1].every((x) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && node.contains(hit);
    });
  });
}

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screens/merchant-money-${name}.png`, fullPage: true });

test("finance: fee, two-person adjustment, batch approval, operator refused, all in the audit log", async ({ browser }, testInfo) => {
  test.setTimeout(300_000);

  // The owner sets a fee of 0.6 %, at least 1 元.
  const { page: owner } = await staffPage(browser, testInfo, "owner", "/merchant/withdrawals");
  const settings = owner.getByTestId("money-settings");
  await settings.getByRole("button", { name: "修改" }).click();
  await settings.getByLabel("手续费率（基点，1 基点 = 0.01%）").fill("60");
  await settings.getByLabel("最低手续费（元）").fill("1");
  await settings.getByLabel("调账双人审批门槛（元）").fill("1000");
  await settings.getByRole("button", { name: "保存" }).click();
  await expect(settings.getByTestId("fee-setting")).toHaveText("手续费：0.6% ，最低 ¥1.00");
  await shot(owner, "settings");

  // A shopper verifies their identity.
  const phone = randomPhone();
  const shopper = await newPage(browser, testInfo);
  await signInWithSms(shopper, phone, "/wallet");
  await expect(shopper).toHaveURL(/\/wallet$/);
  await shopper.getByRole("button", { name: "先完成实名认证" }).click();
  await verifyIdentity(shopper, "林小满", "林*满");

  // Finance A requests a 60 000 元 credit: above the 1 000 元 threshold, it waits for someone else.
  const { page: fa } = await staffPage(browser, testInfo, "finance", "/merchant/adjustments");
  await expect(fa.getByRole("navigation").getByRole("link", { name: "手工调账" })).toHaveAttribute("aria-current", "page");
  await fa.getByRole("button", { name: "新建调账" }).click();
  const form = fa.getByRole("dialog");
  await form.getByLabel("会员（手机号 / ID）").fill(phone);
  await form.getByLabel("金额（元）").fill("60000");
  await form.getByLabel("原因（必填，记入操作日志）").fill("线下活动奖励补发");
  await form.getByRole("button", { name: "提交调账" }).click();
  await expect(fa.getByRole("status")).toContainText("等待另一位财务或店主审批");
  const adjRow = fa.getByTestId("adjustment-row").filter({ hasText: "线下活动奖励补发" });
  await expect(adjRow.locator("[data-status]")).toHaveAttribute("data-status", "PENDING_APPROVAL");
  await expect(adjRow).toContainText("本人申请，需他人审批");
  await expect(adjRow.getByRole("button", { name: "批准" })).toHaveCount(0);
  await shot(fa, "adjustment-requested");

  // Finance B approves it; the shopper's available balance has it.
  const { page: fb } = await staffPage(browser, testInfo, "finance", "/merchant/adjustments");
  const rowB = fb.getByTestId("adjustment-row").filter({ hasText: "线下活动奖励补发" });
  await rowB.getByRole("button", { name: "批准" }).click();
  await expect(fb.getByRole("dialog")).toContainText("可提现将增加 ¥60,000.00");
  await fb.getByRole("dialog").getByRole("button", { name: "批准" }).click();
  await expect(fb.getByRole("status")).toContainText("已生效");
  await expect(rowB.locator("[data-status]")).toHaveAttribute("data-status", "APPLIED");
  await shot(fb, "adjustment-approved");
  await shopper.reload();
  await expect(shopper.getByTestId("balance-available")).toHaveText("60,000.00");
  // The withdrawal form opens behind 去提现 once there is money.
  await shopper.getByRole("button", { name: "去提现" }).click();

  // Three withdrawals, each confirmed after seeing the fee: 2 500 and 3 000 元 (one approver), 50 000 元 (two).
  for (const [amount, fee, net, shown] of [["2500", "15.00", "2,485.00", "2,500.00"], ["3000", "18.00", "2,982.00", "3,000.00"], ["50000", "300.00", "49,700.00", "50,000.00"]]) {
    await shopper.getByLabel("提现金额").fill(amount!);
    await shopper.getByRole("button", { name: "申请提现" }).click();
    await expect(shopper.getByTestId("withdraw-fee")).toHaveText(`¥${fee}`);
    await expect(shopper.getByTestId("withdraw-net")).toHaveText(`¥${net}`);
    if (amount === "2500") await shopper.screenshot({ path: "test-results/screens/merchant-money-shopper-fee.png", fullPage: true });
    await shopper.getByRole("button", { name: "确认提现" }).click();
    await expect(shopper.getByTestId("withdraw-ok")).toContainText(`提现 ¥${shown} 已提交`);
  }
  await expect(shopper.getByTestId("balance-available")).toHaveText("4,500.00");

  // On a 390×844 phone, the approver sees a withdrawal's amount and payee together with its 通过 button, without
  // scrolling the list sideways (the actions column is pinned over the amount column there).
  const payee = await myDisplayName(shopper);
  const mobile = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "zh-CN", timezoneId: "Asia/Shanghai", storageState: await fa.context().storageState() });
  const fm = await mobile.newPage();
  await fm.goto(`/merchant/withdrawals?member=${phone}&status=PENDING_REVIEW`);
  const mobileRow = fm.getByTestId("merchant-withdrawal").filter({ hasText: "¥2,500.00" });
  const approveOnPhone = mobileRow.getByRole("button", { name: "通过", exact: true });
  await approveOnPhone.scrollIntoViewIfNeeded();
  await expect(approveOnPhone).toBeInViewport();
  await expect.poll(() => seenOnScreen(mobileRow, "¥2,500.00")).toBe(true);
  await expect.poll(() => seenOnScreen(mobileRow, payee)).toBe(true);
  await expect(approveOnPhone).toBeInViewport();
  await fm.screenshot({ path: "test-results/screens/merchant-money-phone-approve.png" });
  await mobile.close();

  // Finance A batch-approves the shopper's three pending withdrawals.
  await fa.goto(`/merchant/withdrawals?member=${phone}&status=PENDING_REVIEW`);
  const rows = fa.getByTestId("merchant-withdrawal");
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: "¥50,000.00" })).toContainText("¥300.00");
  await fa.getByRole("checkbox", { name: "全选本页可审核" }).check();
  await fa.getByTestId("batch-approve").click();
  await expect(fa.getByTestId("batch-approve")).toHaveText("批量通过（3）");
  const confirm = fa.getByRole("dialog", { name: "批量通过 3 笔提现" });
  await expect(confirm).toContainText("合计申请金额 ¥55,500.00");
  await confirm.getByRole("button", { name: "确定" }).click();
  const results = fa.getByTestId("batch-results");
  await expect(results.getByTestId("batch-summary")).toHaveText("通过 2 笔，已记录待第二人审核 1 笔，未处理 0 笔");
  await expect(results.locator('[data-outcome="approved"]')).toHaveCount(2);
  // Queued for the provider (打款中): sent right after the answer, in the background.
  await expect(results.locator('[data-outcome="approved"]').first()).toContainText("打款中");
  await expect(results.locator('[data-outcome="recorded"]')).toContainText("待审核");
  await shot(fa, "batch-approved");

  // The 50 000 元 one is still pending, with A's approval recorded: A cannot select it again.
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("¥50,000.00");
  await expect(rows.first().getByTestId("withdrawal-approvals")).toHaveText("1/2");
  await expect(rows.first()).toContainText("您已审核");
  await expect(fa.getByRole("checkbox", { name: "全选本页可审核" })).toBeDisabled();

  // Finance B rejects it with a long reason. On a desk-width screen the table fits its box, so no column is pinned
  // over the reason: it shows beside its status, two lines at most, the whole text in its tooltip.
  const longReason = "会员实名信息与收款账户不一致，请在钱包中更换为本人实名的收款账户后重新申请提现；如对审核结果有疑问，请联系客服并准备好身份证明材料以便核实";
  await fb.goto(`/merchant/withdrawals?member=${phone}`);
  const big = fb.getByTestId("merchant-withdrawal").filter({ hasText: "¥50,000.00" });
  await big.getByRole("button", { name: "驳回", exact: true }).click();
  const rejecting = fb.getByRole("dialog");
  await rejecting.getByLabel("驳回原因（会员可见）").fill(longReason);
  await rejecting.getByRole("button", { name: "确认驳回" }).click();
  await expect(big.locator("[data-status]")).toHaveAttribute("data-status", "REJECTED");
  const reason = big.getByTestId("withdrawal-reason");
  await expect(reason).toHaveAttribute("title", longReason);
  await expect(fb.getByTestId("table-withdrawals")).toHaveAttribute("data-overflowing", "false");
  await expect.poll(() => uncovered(reason)).toBe(true);
  // A failed payout reads 打款失败 (the money went back to the member), not a bare 失败.
  await expect(fb.getByRole("combobox", { name: "状态", exact: true }).locator('option[value="FAILED"]')).toHaveText("打款失败");
  await fb.screenshot({ path: "test-results/screens/merchant-withdrawals-reason.png", fullPage: true });

  // The finance CSV of this member: BOM, fee and amount paid out in 元 with two decimals.
  // The background send pays both within moments.
  await expect(async () => {
    const csv = await fa.request.get(`/merchant/withdrawals/export?member=${phone}&status=PAID`);
    const bytes = await csv.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text).toContain(",2500.00,15.00,2485.00,已到账,");
    expect(text).toContain(",3000.00,18.00,2982.00,已到账,");
  }).toPass({ timeout: 20_000 });
  await expect(fa.getByTestId("reconciler-last-run")).toBeVisible();

  // The shopper sees two paid out.
  await expect(async () => {
    await shopper.reload();
    await expect(shopper.getByTestId("withdrawal-row").filter({ hasText: "已到账" })).toHaveCount(2, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });

  // An operator is refused the finance pages, and the sidebar does not offer them.
  const { page: op } = await staffPage(browser, testInfo, "operator", "/merchant");
  for (const path of ["/merchant/withdrawals", "/merchant/adjustments"]) {
    await op.goto(path);
    await expect(op.getByTestId("forbidden")).toBeVisible();
  }
  await shot(op, "operator-forbidden");
  await expect(op.getByRole("navigation").getByRole("link", { name: "提现审核" })).toHaveCount(0);
  await expect(op.getByRole("navigation").getByRole("link", { name: "手工调账" })).toHaveCount(0);
  expect((await op.request.get("/merchant/withdrawals/export")).status()).toBe(403);
  expect((await op.request.get("/merchant/adjustments/export")).status()).toBe(403);

  // The owner sees every step in the audit log.
  await owner.goto("/merchant/audit?action=adjustment.");
  const audit = owner.getByTestId("audit-row");
  await expect(audit.filter({ hasText: "adjustment.requested" })).not.toHaveCount(0);
  await expect(audit.filter({ hasText: "adjustment.approved" })).not.toHaveCount(0);
  await shot(owner, "audit-adjustments");
  await owner.goto("/merchant/audit?action=withdrawal.approved");
  await expect(audit.first()).toBeVisible();
  expect(await audit.count()).toBeGreaterThanOrEqual(3);
  await owner.goto("/merchant/audit?action=settings.money_changed");
  await expect(audit.first()).toContainText("settings.money_changed");
  await shot(owner, "audit-withdrawals");

  // The risk queue renders on the shared table without a hydration error.
  const risk = await newPage(browser, testInfo);
  await staffSignIn(risk, await createStaff(risk, "risk"), "/merchant/risk");
  await expect(risk.getByTestId("table-risk")).toBeVisible();
  await expect(risk.getByTestId("table-page")).toContainText("第 1 /");
  await risk.waitForLoadState("networkidle");
  await shot(risk, "risk-queue");
});

// SPEC §8: a frozen member cannot withdraw, also when frozen after asking. The queue says so before anyone approves:
// the pending row shows 已冻结, its 通过 is disabled with the reason beside it, 全选本页可审核 leaves it out, and 驳回
// (the money back to the member's balance) stays. The frozen shopper stays signed in (SPEC §8 stops only earning and
// withdrawing; §5 lets them buy): their paid order in transit and their wallet stay in view, 钱包 and 推广中心 say
// why nothing can be withdrawn, and they can still buy.
test("finance: a member frozen after asking cannot be approved in the queue, only rejected", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);

  // A verified shopper (an ID number of their own: one ID number verifies one account).
  const phone = randomPhone();
  const shopper = await newPage(browser, testInfo);
  await signInWithSms(shopper, phone, "/wallet");
  await expect(shopper).toHaveURL(/\/wallet$/);
  await shopper.getByRole("button", { name: "先完成实名认证" }).click();
  await verifyIdentity(shopper, "沈冬青", "沈*青");
  // A paid order, awaiting shipment when the freeze comes.
  const bought = (await testDoorPost(shopper.request, "/api/test/orders", { action: "buy" })) as { orderId: number; orderNo: string; payment: string };
  expect(bought.payment).toBe("paid");

  // Finance credits 3 000 元; the owner approves it when the day's total needs a second person.
  const { page: fin } = await staffPage(browser, testInfo, "finance", "/merchant/adjustments");
  await fin.getByRole("button", { name: "新建调账" }).click();
  const form = fin.getByRole("dialog");
  await form.getByLabel("会员（手机号 / ID）").fill(phone);
  await form.getByLabel("金额（元）").fill("3000");
  await form.getByLabel("原因（必填，记入操作日志）").fill("冻结会员提现 e2e 入账");
  await form.getByRole("button", { name: "提交调账" }).click();
  await expect(fin.getByTestId("adjustment-row").filter({ hasText: "冻结会员提现 e2e 入账" })).toHaveCount(1);
  const { page: owner } = await staffPage(browser, testInfo, "owner", "/merchant/adjustments");
  const adj = owner.getByTestId("adjustment-row").filter({ hasText: "冻结会员提现 e2e 入账" });
  if ((await adj.locator("[data-status]").getAttribute("data-status")) === "PENDING_APPROVAL") {
    await adj.getByRole("button", { name: "批准" }).click();
    await owner.getByRole("dialog").getByRole("button", { name: "批准" }).click();
  }
  await expect(adj.locator("[data-status]")).toHaveAttribute("data-status", "APPLIED");

  // The shopper asks for 2 500 元: above the automatic limit, it waits for review.
  await shopper.reload();
  await expect(shopper.getByTestId("balance-available")).toHaveText("3,000.00");
  await shopper.getByRole("button", { name: "去提现" }).click();
  await shopper.getByLabel("提现金额").fill("2500");
  await shopper.getByRole("button", { name: "申请提现" }).click();
  // A fee (the test above sets one) is confirmed first.
  const confirm = shopper.getByRole("button", { name: "确认提现" });
  await expect(shopper.getByTestId("withdraw-ok").or(confirm)).toBeVisible();
  // The fee (when the test above set one) is held apart: 提现中 shows the 2 500 元 less the fee confirmed here.
  let feeFen = 0;
  if (await confirm.isVisible()) {
    feeFen = Math.round(Number((await shopper.getByTestId("withdraw-fee").textContent())!.replace(/[¥,]/g, "")) * 100);
    await confirm.click();
  }
  const withdrawing = ((250_000 - feeFen) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
  await expect(shopper.getByTestId("withdraw-ok")).toHaveText("提现 ¥2,500.00 已提交，当前状态：待审核");

  // Then the owner freezes the member.
  await owner.goto(`/merchant/members?q=${phone}`);
  await owner.getByTestId("member-link").click();
  await expect(owner).toHaveURL(/\/merchant\/members\/\d+$/);
  await owner.getByTestId("freeze-toggle").click();
  const freeze = owner.getByRole("dialog", { name: "冻结会员" });
  await freeze.getByLabel("原因（必填，将写入操作日志）").fill("e2e 申请提现后冻结");
  await freeze.getByRole("button", { name: "冻结" }).click();
  await expect(owner.getByTestId("member-frozen-state")).toHaveText("已冻结");

  // The shopper is still signed in: the wallet shows the balance (500 元 left, 2 500 元 being withdrawn) and says why
  // none of it can be withdrawn; no 去提现.
  const frozenBanner = "账户已冻结：不能提现，也不再获得佣金和返现；如有疑问请联系客服";
  await shopper.goto("/wallet");
  await expect(shopper).toHaveURL(/\/wallet$/);
  await expect(shopper.getByTestId("wallet-frozen")).toHaveText(frozenBanner);
  await expect(shopper.getByTestId("balance-available")).toHaveText("500.00");
  await expect(shopper.getByTestId("balance-withdrawing")).toHaveText(withdrawing);
  await expect(shopper.getByTestId("withdraw-frozen")).toHaveText("账户冻结期间不能提现，余额仍保留在钱包中");
  await expect(shopper.getByRole("button", { name: "去提现" })).toHaveCount(0);
  await shot(shopper, "frozen-shopper-wallet");
  // Their order in transit, listed and opened.
  await shopper.goto("/orders");
  await expect(shopper).toHaveURL(/\/orders/);
  await expect(shopper.locator(`[data-testid="order-card"][data-order-no="${bought.orderNo}"]`)).toBeVisible();
  await shot(shopper, "frozen-shopper-orders");
  await shopper.goto(`/orders/${bought.orderId}`);
  await expect(shopper).toHaveURL(new RegExp(`/orders/${bought.orderId}$`));
  await expect(shopper.getByText(bought.orderNo).first()).toBeVisible();
  // Unshipped and paid: 申请退款 is offered to the frozen shopper as to anyone.
  await expect(shopper.getByRole("button", { name: "申请退款" })).toBeVisible();
  await shot(shopper, "frozen-shopper-order");
  // 推广中心 says the same, with no link to hand out.
  await shopper.goto("/promote");
  await expect(shopper).toHaveURL(/\/promote$/);
  await expect(shopper.getByTestId("promote-frozen")).toContainText(frozenBanner);
  await expect(shopper.getByTestId("share-link")).toHaveCount(0);
  await shot(shopper, "frozen-shopper-promote");
  // And they can still buy (their new order opens no 推三返一 task, SPEC §5).
  expect(((await testDoorPost(shopper.request, "/api/test/orders", { action: "buy" })) as { payment: string }).payment).toBe("paid");

  // The queue: 已冻结 beside 待审核, 通过 disabled with the reason, nothing for 全选本页可审核 to take; 驳回 offered.
  await fin.goto(`/merchant/withdrawals?member=${phone}&status=PENDING_REVIEW`);
  const row = fin.getByTestId("merchant-withdrawal");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("withdrawal-frozen")).toHaveText("已冻结");
  await expect(row.getByRole("button", { name: "通过", exact: true })).toBeDisabled();
  await expect(row.getByTestId("withdrawal-approve-blocked")).toHaveAttribute("data-blocked", "frozen");
  await expect(row.getByTestId("withdrawal-approve-blocked-reason")).toHaveText("会员已冻结，不能通过：请驳回，金额退回余额");
  await expect(row.getByRole("checkbox")).toHaveCount(0);
  await expect(fin.getByRole("checkbox", { name: "全选本页可审核" })).toBeDisabled();
  await expect(fin.getByTestId("batch-approve")).toBeDisabled();
  await fin.screenshot({ path: testInfo.outputPath("withdrawal-frozen-pending.png"), fullPage: true });
  await shot(fin, "frozen-pending");

  // 驳回 (the 2 500 元 go back to the member's balance, which the frozen shopper sees, still without 去提现).
  await row.getByRole("button", { name: "驳回", exact: true }).click();
  const rejecting = fin.getByRole("dialog");
  await rejecting.getByLabel("驳回原因（会员可见）").fill("账户已冻结，提现驳回");
  await rejecting.getByRole("button", { name: "确认驳回" }).click();
  await expect(fin.getByRole("status").filter({ hasText: "已驳回" })).toBeVisible();
  await expect(fin.getByTestId("merchant-withdrawal")).toHaveCount(0);
  await shopper.goto("/wallet");
  await expect(shopper.getByTestId("balance-available")).toHaveText("3,000.00");
  await expect(shopper.getByTestId("wallet-frozen")).toHaveText(frozenBanner);
  await expect(shopper.getByTestId("withdraw-frozen")).toBeVisible();
  await expect(shopper.getByRole("button", { name: "去提现" })).toHaveCount(0);
  await shot(shopper, "frozen-shopper-wallet-after-reject");
});
