// Merchant back office: withdrawal review and risk review through the real UI, signed in as staff
// accounts (password + TOTP). A shopper session is sent to the staff sign-in; a finance user approves
// 李姐's 2 500 元 withdrawal (one approver) and it is paid out by the sandbox provider; a new shopper's
// large first order within 10 minutes of sign-up is flagged (large_first_order), and a risk reviewer
// reviews the case and approves it, then freezes the member from the case (a reason), finds them on the 已冻结 tab and
// unfreezes them from the case again; the member's page names the rule. A member under risk review withdraws 100 元:
// it waits for a person (SPEC §8) and the withdrawal queue marks it, filters it, and links the owner to the case; its
// 通过 is disabled with the reason until the case is decided, then it is approved and paid, no longer shown as 风控待审.
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { createStaff, earnSettledCommission, fillAddressForm, myDisplayName, randomPhone, signInWithSms, staffSignIn, testDoorPost, verifyIdentity } from "./helpers";

/** A new browser context signed in as a fresh staff account of `role`, opened at `path`. */
async function staffPage(browser: Browser, testInfo: TestInfo, role: "owner" | "finance" | "risk" | "operator", path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await staffSignIn(page, await createStaff(page, role), path);
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  return page;
}
const adminPage = (browser: Browser, testInfo: TestInfo, path: string) => staffPage(browser, testInfo, path.startsWith("/merchant/risk") ? "risk" : "finance", path);

test("a shopper session is sent to the staff sign-in on every merchant page", async ({ page }) => {
  test.setTimeout(120_000);
  await signInWithSms(page, randomPhone(), "/");
  for (const path of ["/merchant/withdrawals", "/merchant/risk/1", "/merchant/orders", "/merchant"]) {
    await page.goto(path);
    await expect(page).toHaveURL(new RegExp(`/merchant/login\\?next=${encodeURIComponent(path)}$`));
  }
});

test("a finance user approves 李姐's 2 500 元 withdrawal and it is paid out (已到账)", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const admin = await adminPage(browser, testInfo, "/merchant/withdrawals");
  await expect(admin.getByRole("navigation").getByRole("link", { name: "提现审核" })).toHaveAttribute("aria-current", "page");
  const row = admin.getByTestId("merchant-withdrawal").filter({ hasText: "李姐" }).filter({ hasText: "¥2,500.00" }).first();
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "PENDING_REVIEW");
  await expect(row.locator("[data-status]")).toHaveText("待审核");
  await expect(row.getByTestId("withdrawal-approvals")).toHaveText("0/1");
  const id = await row.getByTestId("withdrawal-no").getAttribute("data-id");
  await admin.screenshot({ path: testInfo.outputPath("withdrawals-pending.png"), fullPage: true });

  // 驳回 needs a reason: the message is clear and nothing changes.
  await row.getByRole("button", { name: "驳回", exact: true }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByRole("button", { name: "确认驳回" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("请填写驳回原因");
  await dialog.getByRole("button", { name: "取消" }).click();

  // 通过 asks first (it pays out at once): the member, the amounts and what happens next, the whole warning wrapped in
  // the dialog; 取消 changes nothing.
  const no = (await row.getByTestId("withdrawal-no").textContent())!;
  await row.getByRole("button", { name: "通过", exact: true }).click();
  const approveDialog = admin.getByRole("dialog", { name: `通过提现 ${no}` });
  const summary = approveDialog.getByTestId("withdrawal-approve-summary");
  await expect(summary.locator("dd").nth(0)).toContainText("李姐");
  await expect(summary.locator("dd").nth(1)).toHaveText("¥2,500.00");
  await expect(summary.locator("dd").nth(2)).toHaveText("¥0.00");
  await expect(summary.locator("dd").nth(3)).toHaveText("¥2,500.00");
  await expect(approveDialog.getByTestId("withdrawal-approve-next")).toHaveText("确认后立即自动打款：¥2,500.00 将通过支付渠道打到上方的收款账户，打款发出后无法撤回。");
  expect(await approveDialog.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
  await approveDialog.screenshot({ path: testInfo.outputPath("withdrawal-approve-confirm.png") });
  await approveDialog.getByRole("button", { name: "取消" }).click();
  await expect(approveDialog).toHaveCount(0);
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "PENDING_REVIEW");
  await row.getByRole("button", { name: "通过", exact: true }).click();
  await approveDialog.getByRole("button", { name: "确认通过" }).click();
  await expect(approveDialog).toHaveCount(0);
  await expect(admin.getByRole("status").filter({ hasText: "已通过" })).toContainText("已通过，当前状态：已到账");
  const paid = admin.getByTestId("merchant-withdrawal").filter({ has: admin.locator(`[data-testid="withdrawal-no"][data-id="${id}"]`) });
  await expect(paid.locator("[data-status]")).toHaveAttribute("data-status", "PAID");
  await expect(paid.locator("[data-status]")).toHaveText("已到账");
  await expect(paid.getByTestId("withdrawal-approvals")).toHaveText("1/1");
  await expect(paid.getByRole("button", { name: "通过", exact: true })).toHaveCount(0);
  await admin.screenshot({ path: testInfo.outputPath("withdrawals-paid.png"), fullPage: true });

  // The finance CSV: BOM, the paid withdrawal in 元 with two decimals, the approver by name.
  const csv = await admin.request.get("/merchant/withdrawals/export?status=PAID");
  expect(csv.headers()["content-disposition"]).toContain("filename*=UTF-8''");
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const line = bytes.toString("utf8").split("\n").find((l) => l.startsWith(`WD${id},`));
  // Requested, fee, paid out (no fee configured), status, approvers.
  expect(line).toContain(",2500.00,0.00,2500.00,已到账,1,测试finance:通过,");
  // Finance has no order pages: the sidebar does not offer them.
  await expect(admin.getByRole("navigation").getByRole("link", { name: "订单管理" })).toHaveCount(0);
  await admin.context().close();
});

test("risk: a large first order right after sign-up is flagged; the admin reviews the case and approves", async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  // A new shopper buys 6 × 降噪蓝牙耳机 Pro (2 394 元) right after signing up.
  const phone = randomPhone();
  await signInWithSms(page, phone, "/checkout?sku=digital-earbuds&qty=6");
  await expect(page).toHaveURL(/\/checkout\?sku=digital-earbuds&qty=6$/);
  const nickname = await myDisplayName(page);
  await fillAddressForm(page, { name: "陈大勇", phone: phone, region: ["广东省", "深圳市", "南山区"], detail: "科技园南路 8 号 1201 室" });
  await expect(page.getByTestId("checkout-address")).toContainText("陈大勇");
  await expect(page.getByTestId("checkout-line")).toContainText("降噪蓝牙耳机 Pro");
  await page.getByRole("button", { name: "提交订单" }).click();
  await expect(page).toHaveURL(/\/pay\/sandbox\//);
  const orderNo = (await page.getByTestId("cashier-order-no").textContent())!.trim();
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page.getByTestId("pay-result")).toHaveText("支付成功", { timeout: 20_000 });

  // The admin sees them in the queue with the rule.
  const admin = await adminPage(browser, testInfo, "/merchant/risk");
  const item = admin.getByTestId("risk-queue-item").filter({ hasText: nickname }).filter({ has: admin.locator('[data-rule="large_first_order"]') });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("注册后立即大额首单");
  await admin.screenshot({ path: testInfo.outputPath("risk-queue.png"), fullPage: true });
  const open = item.getByRole("link", { name: "查看并处理" });
  const memberId = /\/merchant\/risk\/(\d+)$/.exec((await open.getAttribute("href")) ?? "")?.[1];
  expect(memberId).toBeTruthy();
  await open.click();
  await expect(admin).toHaveURL(new RegExp(`/merchant/risk/${memberId}$`));

  // The case: the rule with its evidence (the order and its amount), the member, the tree.
  await expect(admin.getByTestId("risk-member")).toContainText(nickname);
  const flag = admin.locator('[data-testid="risk-flag"][data-rule="large_first_order"]');
  await expect(flag).toContainText("注册后立即大额首单");
  await expect(flag.locator('[data-key="order"]')).toContainText(orderNo);
  await expect(flag.locator('[data-key="goodsFen"]')).toContainText("商品金额");
  await expect(flag.locator('[data-key="goodsFen"]')).toContainText("¥2,394.00");
  await expect(admin.getByTestId("risk-tree")).toContainText("上级链");
  await expect(admin.getByTestId("risk-history")).toContainText("暂无审核记录");
  await admin.screenshot({ path: testInfo.outputPath("risk-case.png"), fullPage: true });

  // 通过 asks for confirmation; 取消 backs out; 确认通过 decides and returns to the queue.
  await admin.getByRole("button", { name: "通过", exact: true }).click();
  const dialog = admin.getByRole("dialog", { name: "确认审核" });
  await expect(dialog).toContainText(`确定通过 ${nickname}`);
  // The held items as shoppers see them (审核中), not 冻结: the account's freeze is the button beside it.
  await expect(dialog).toContainText("审核中的佣金与返现任务将恢复");
  await expect(dialog).not.toContainText("冻结");
  await admin.screenshot({ path: testInfo.outputPath("risk-approve-dialog.png"), fullPage: true });
  await dialog.getByRole("button", { name: "取消" }).click();
  await expect(dialog).toHaveCount(0);
  // The decision sits in the open flags' card (no bar fixed over the page), its note kept with it.
  await admin.getByTestId("risk-open-flags").getByRole("button", { name: "通过", exact: true }).click();
  await dialog.getByLabel("备注（选填，记入审核记录与操作日志）").fill("已电话核实为本人购买");
  await dialog.getByRole("button", { name: "确认通过" }).click();
  await expect(admin).toHaveURL(/\/merchant\/risk$/);
  await expect(admin.getByRole("navigation").getByRole("link", { name: "风控审核" })).toHaveAttribute("aria-current", "page");
  await expect(admin.getByTestId("risk-queue-item").filter({ has: admin.locator(`a[href="/merchant/risk/${memberId}"]`) })).toHaveCount(0);
  // The queue says what was done: the member approved, and what resumed.
  const flash = admin.getByTestId("risk-flash");
  await expect(flash).toHaveAttribute("data-decision", "approve");
  await expect(flash).toContainText(`已通过 ${nickname} 的审核`);
  await admin.screenshot({ path: testInfo.outputPath("risk-queue-after.png"), fullPage: true });
  // Told once: the queue opened again says nothing.
  await admin.reload();
  await expect(admin.getByTestId("risk-tab-queue")).toBeVisible();
  await expect(flash).toHaveCount(0);

  // The case keeps the decision in its history.
  await admin.goto(`/merchant/risk/${memberId}`);
  await expect(admin.locator('[data-testid="risk-decision"][data-status="APPROVED"]')).toContainText("注册后立即大额首单");
  await expect(admin.getByTestId("risk-decision-note")).toHaveText("备注：已电话核实为本人购买");
  await expect(admin.getByRole("button", { name: "通过", exact: true })).toHaveCount(0);

  // The reviewer freezes and unfreezes from the case (the risk role has no member pages), each with a reason.
  // (Lifting the freeze three rejections make, which only a risk role may: tests/risk-unfreeze.test.ts.)
  const caseMember = admin.getByTestId("risk-member");
  await caseMember.getByTestId("risk-freeze-toggle").click();
  const freeze = admin.getByRole("dialog", { name: "冻结会员" });
  await freeze.getByRole("button", { name: "冻结", exact: true }).click();
  await expect(freeze.getByRole("alert")).toHaveText("请填写原因（2-200 字）");
  await freeze.getByLabel("原因（必填，将写入操作日志）").fill("同设备批量下单，先行冻结");
  await freeze.getByRole("button", { name: "冻结", exact: true }).click();
  await expect(admin.getByRole("dialog")).toBeHidden();
  await expect(caseMember).toContainText("已冻结");
  await expect(caseMember.getByTestId("risk-freeze-toggle")).toHaveText("解冻");

  // Its flags decided, the queue no longer lists the member: the 已冻结 tab does, with who froze them and why, and
  // leads back to the case, where the freeze is lifted.
  await admin.goto("/merchant/risk");
  await admin.getByTestId("risk-tab-frozen").click();
  await expect(admin).toHaveURL(/\/merchant\/risk\?view=frozen$/);
  const frozenRow = admin.getByTestId("risk-frozen-item").filter({ has: admin.locator(`a[href="/merchant/risk/${memberId}"]`) });
  await expect(frozenRow).toHaveCount(1);
  await expect(frozenRow).toContainText(nickname);
  await expect(frozenRow.locator('[data-status="staff"]')).toHaveText("人工冻结");
  await expect(frozenRow).toContainText("测试risk");
  await expect(frozenRow.getByTestId("frozen-reason")).toHaveText("同设备批量下单，先行冻结");
  await admin.screenshot({ path: "test-results/screens/merchant-risk-frozen.png", fullPage: true });
  await frozenRow.getByRole("link", { name: "查看并解冻" }).click();
  await expect(admin).toHaveURL(new RegExp(`/merchant/risk/${memberId}$`));

  await caseMember.getByTestId("risk-freeze-toggle").click();
  const unfreeze = admin.getByRole("dialog", { name: "解冻会员" });
  await expect(unfreeze).toContainText("风控审核造成的冻结也一并解除");
  await expect(unfreeze.getByLabel("原因（必填，将写入操作日志）")).toHaveValue("");
  await unfreeze.getByLabel("原因（必填，将写入操作日志）").fill("核实为本人正常购买，解除冻结");
  await admin.screenshot({ path: "test-results/screens/merchant-risk-unfreeze-dialog.png" });
  await unfreeze.getByRole("button", { name: "解冻", exact: true }).click();
  await expect(admin.getByRole("dialog")).toBeHidden();
  await expect(caseMember).not.toContainText("已冻结");
  await expect(caseMember.getByTestId("risk-freeze-toggle")).toHaveText("冻结");
  await admin.screenshot({ path: "test-results/screens/merchant-risk-unfreeze.png", fullPage: true });
  // Unfrozen, the member leaves the 已冻结 tab.
  await admin.goto("/merchant/risk?view=frozen");
  await expect(admin.getByTestId("table-risk-frozen").getByTestId("table-page")).toContainText("共");
  await expect(frozenRow).toHaveCount(0);
  await admin.context().close();

  // The member's page lists the risk event by the rule's name, not its code.
  const operator = await staffPage(browser, testInfo, "operator", `/merchant/members/${memberId}`);
  const events = operator.getByTestId("member-risk");
  await expect(events).toContainText("注册后立即大额首单");
  await expect(events).not.toContainText("large_first_order");
  await operator.context().close();
});

test("risk: three refunds within 30 days are flagged; the case lists the refunded orders counted; the reviewer rejects", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  // A new shopper pays three orders (the test door) and the shop refunds each from its order page.
  await signInWithSms(page, randomPhone(), "/");
  await expect(page).toHaveURL(/\/$/);
  const nickname = await myDisplayName(page);
  const bought: { orderId: number; orderNo: string; goodsFen: number }[] = [];
  for (let i = 0; i < 3; i++) bought.push((await testDoorPost(page.request, "/api/test/orders", { action: "buy", sku: "home-towel" })) as { orderId: number; orderNo: string; goodsFen: number });
  const owner = await staffPage(browser, testInfo, "owner", `/merchant/orders/${bought[0]!.orderId}`);
  for (const o of bought) {
    await owner.goto(`/merchant/orders/${o.orderId}`);
    await owner.getByTestId("order-refund").click();
    await owner.getByRole("dialog", { name: `退款：${o.orderNo}` }).getByRole("button", { name: "确认退款" }).click();
    await expect(owner.getByTestId("merchant-order-detail")).toHaveAttribute("data-status", "REFUNDED");
  }

  // The third refund flagged them: the case lists the three refunded orders (newest first), each linking to the order
  // for a role that reads orders, with the amount refunded (the goods: no shipping, no credit) and when.
  await owner.goto(`/merchant/risk?member=${encodeURIComponent(nickname)}`);
  const item = owner.getByTestId("risk-queue-item").filter({ hasText: nickname }).filter({ has: owner.locator('[data-rule="refund_abuse"]') });
  await expect(item).toHaveCount(1);
  await item.getByRole("link", { name: "查看并处理" }).click();
  await expect(owner).toHaveURL(/\/merchant\/risk\/\d+$/);
  const casePath = new URL(owner.url()).pathname;
  const flag = owner.locator('[data-testid="risk-flag"][data-rule="refund_abuse"]');
  await expect(flag.locator('[data-key="order"]')).toContainText(bought[2]!.orderNo);
  await expect(flag.locator('[data-key="refundsIn30Days"]')).toContainText("3");
  const refunds = flag.getByTestId("risk-refunds");
  await expect(refunds).toContainText("计入的退款订单（3）");
  await expect(refunds.getByTestId("risk-refund")).toHaveCount(3);
  for (const [i, o] of [...bought].reverse().entries()) {
    const r = refunds.getByTestId("risk-refund").nth(i);
    await expect(r).toHaveAttribute("data-order-no", o.orderNo);
    await expect(r.getByRole("link", { name: o.orderNo })).toHaveAttribute("href", `/merchant/orders/${o.orderId}`);
    await expect(r).toContainText(`¥${(o.goodsFen / 100).toFixed(2)}`);
    await expect(r.locator("td").nth(2)).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  }
  await owner.screenshot({ path: testInfo.outputPath("risk-case-refunds.png"), fullPage: true });
  await owner.context().close();

  // The risk role reads no orders: the numbers, without links. It rejects (a reason), and the queue says so.
  const admin = await adminPage(browser, testInfo, casePath);
  const riskRefunds = admin.locator('[data-testid="risk-flag"][data-rule="refund_abuse"]').getByTestId("risk-refund");
  await expect(riskRefunds).toHaveCount(3);
  await expect(riskRefunds.first()).toContainText(bought[2]!.orderNo);
  await expect(riskRefunds.locator("a")).toHaveCount(0);
  await admin.getByTestId("risk-open-flags").getByRole("button", { name: "驳回", exact: true }).click();
  const dialog = admin.getByRole("dialog", { name: "确认审核" });
  await dialog.getByLabel("驳回原因（必填，记入审核记录与操作日志）").fill("恶意退款");
  await dialog.getByRole("button", { name: "确认驳回" }).click();
  await expect(admin).toHaveURL(/\/merchant\/risk$/);
  const flash = admin.getByTestId("risk-flash");
  await expect(flash).toHaveAttribute("data-decision", "reject");
  await expect(flash).toContainText(`已驳回 ${nickname} 的审核`);
  await admin.screenshot({ path: testInfo.outputPath("risk-queue-after-reject.png"), fullPage: true });
  await admin.context().close();
});

test("a member under risk review: their 100 元 withdrawal waits for a person, marked in the queue with a link to the case", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  // A new shopper's first order of 2 394 元 right after signing up flags them (large_first_order); an invitee's order
  // then earns them a 134 元 commission, settled.
  const phone = randomPhone();
  await signInWithSms(page, phone, "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  await testDoorPost(page.request, "/api/test/orders", { action: "buy", sku: "digital-earbuds", qty: 6 });
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  await earnSettledCommission(browser, testInfo.project.use.baseURL, code);

  // 100 元 is under the 2 000 元 auto-approval limit, yet it waits: the shopper reads 待审核, nothing about risk.
  await page.goto("/wallet");
  await page.getByRole("button", { name: "去提现" }).click();
  await verifyIdentity(page, "林小满", "林*满");
  await page.getByLabel("提现金额").fill("100");
  await page.getByRole("button", { name: "申请提现" }).click();
  // A fee another test set is confirmed first.
  const confirm = page.getByRole("button", { name: "确认提现" });
  await expect(page.getByTestId("withdraw-ok").or(confirm)).toBeVisible();
  if (await confirm.isVisible()) await confirm.click();
  await expect(page.getByTestId("withdraw-ok")).toHaveText("提现 ¥100.00 已提交，当前状态：待审核");
  const mine = page.getByTestId("withdrawal-row").first();
  await expect(mine).toHaveAttribute("data-status", "PENDING_REVIEW");
  await expect(mine).not.toContainText("风控");
  await page.screenshot({ path: testInfo.outputPath("risk-hold-shopper.png"), fullPage: true });

  // Finance sees the mark (they cannot open risk cases: no link) and the recorded reason, and can list only such rows.
  const finance = await staffPage(browser, testInfo, "finance", "/merchant/withdrawals");
  await finance.getByRole("combobox", { name: /^风控/ }).selectOption("flagged");
  await finance.getByRole("button", { name: "查询" }).click();
  await expect(finance).toHaveURL(/[?&]risk=flagged/);
  const row = finance.getByTestId("merchant-withdrawal").filter({ hasText: "¥100.00" }).filter({ has: finance.getByTestId("withdrawal-risk") });
  await finance.getByPlaceholder("手机号 / ID / 昵称").fill(phone);
  await finance.getByRole("button", { name: "查询" }).click();
  // Only that row: the other pending withdrawals (李姐's, unflagged) are filtered out.
  await expect(finance.getByTestId("merchant-withdrawal")).toHaveCount(1);
  await expect(row).toHaveCount(1);
  await expect(row.locator("[data-status]").first()).toHaveAttribute("data-status", "PENDING_REVIEW");
  await expect(row.getByTestId("withdrawal-risk")).toHaveText("风控待审核");
  await expect(row.getByTestId("withdrawal-risk")).toHaveAttribute("title", "该会员有未处理的风控标记：请等风控审核处理后再决定是否通过");
  await expect(row.getByTestId("withdrawal-reason")).toHaveText("风控待审：申请时会员有未处理的风控标记，转人工审核");
  await expect(row.getByTestId("withdrawal-approvals")).toHaveText("0/1");
  // Approving waits for the risk review: 通过 is disabled and says why, the row leaves 批量通过, rejecting stays possible.
  const blocked = row.getByTestId("withdrawal-approve-blocked");
  await expect(blocked).toBeDisabled();
  await expect(blocked).toHaveAttribute("title", "该会员有未处理的风控标记，请先在风控中心处理后再审核（可以驳回）");
  await expect(row.getByTestId("withdrawal-approve-blocked-reason")).toHaveText("该会员有未处理的风控标记，请先在风控中心处理后再审核（可以驳回）");
  await expect(row.getByTestId("withdrawal-risk-resolve")).toHaveCount(0);
  await expect(row.getByRole("checkbox")).toHaveCount(0);
  await expect(row.getByRole("button", { name: "驳回" })).toBeEnabled();
  await finance.screenshot({ path: testInfo.outputPath("risk-hold-queue.png"), fullPage: true });
  await finance.context().close();

  // The owner's mark links to the member's risk case, which shows the flag.
  const owner = await staffPage(browser, testInfo, "owner", "/merchant/withdrawals");
  await owner.goto(`/merchant/withdrawals?member=${phone}&risk=flagged`);
  const ownerRow = owner.getByTestId("merchant-withdrawal");
  await expect(ownerRow).toHaveCount(1);
  await expect(ownerRow).toContainText("¥100.00");
  const link = ownerRow.getByRole("link", { name: "风控待审核" });
  await expect(link).toHaveAttribute("title", "查看该会员的风控事件");
  const caseHref = await link.getAttribute("href");
  await expect(ownerRow.getByRole("link", { name: "去风控中心处理" })).toHaveAttribute("href", caseHref!);
  await owner.screenshot({ path: testInfo.outputPath("risk-hold-queue-owner.png"), fullPage: true });
  await ownerRow.getByRole("link", { name: "去风控中心处理" }).click();
  await expect(owner).toHaveURL(/\/merchant\/risk\/\d+$/);
  await expect(owner.locator('[data-testid="risk-flag"][data-rule="large_first_order"]')).toContainText("注册后立即大额首单");
  await owner.screenshot({ path: testInfo.outputPath("risk-hold-case.png"), fullPage: true });

  // The case decided, the withdrawal is approved and paid; paid, it is no longer shown as 风控待审.
  await owner.getByRole("button", { name: "通过", exact: true }).click();
  await owner.getByRole("dialog", { name: "确认审核" }).getByRole("button", { name: "确认通过" }).click();
  await expect(owner).toHaveURL(/\/merchant\/risk$/);
  await owner.goto(`/merchant/withdrawals?member=${phone}`);
  const decided = owner.getByTestId("merchant-withdrawal").filter({ hasText: "¥100.00" });
  await expect(decided.getByTestId("withdrawal-risk")).toHaveCount(0);
  await expect(decided.getByTestId("withdrawal-reason")).toHaveText("风控待审：申请时会员有未处理的风控标记，转人工审核");
  await decided.getByRole("button", { name: "通过", exact: true }).click();
  await owner.getByRole("dialog", { name: /^通过提现 / }).getByRole("button", { name: "确认通过" }).click();
  await expect(owner.getByRole("status").filter({ hasText: "已通过" })).toBeVisible();
  await expect(decided.locator("[data-status]").first()).toHaveAttribute("data-status", "PAID");
  await expect(decided.getByTestId("withdrawal-reason")).toHaveCount(0);
  await owner.context().close();
});
