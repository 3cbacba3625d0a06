// Orders and after-sales in the back office (issue 9), on a desktop screen:
// - a delivered order's refund request with a photo, approved by an operator: the order is REFUNDED
//   and the upline's commissions on it are VOID (SPEC §1);
// - bulk shipping by CSV: one bad row ships nothing, the corrected file — saved by Excel as GB18030 — ships every order;
// - a paid order the shop cannot fulfil, refunded by an operator from its detail page;
// - a WeChat Pay refund WeChat never confirms: 退款中, then 退款异常 on the home page, the list's filter and its CSV.
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import iconv from "iconv-lite";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { createStaff, fillAddressForm, fillPhone, masked, randomPhone, readCodeFromOutbox, signInWithSms, staffSignIn, testDoorHeaders, testDoorPost } from "./helpers";
import { wechatPhone } from "./wechat-phone";

/** A new desktop browser context signed in as a fresh staff account of `role`, opened at `path`. */
async function staffPage(browser: Browser, testInfo: TestInfo, role: "operator" | "owner", path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", extraHTTPHeaders: testDoorHeaders() });
  const page = await context.newPage();
  await staffSignIn(page, await createStaff(page, role), path);
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  return page;
}

/** An order bought (and paid in the sandbox) by the signed-in shopper through the test door. */
async function buy(page: Page, sku: string): Promise<{ orderId: number; orderNo: string }> {
  const res = await page.request.post("/api/test/orders", { data: { action: "buy", sku }, headers: testDoorHeaders() });
  expect(res.ok()).toBe(true);
  return (await res.json()) as { orderId: number; orderNo: string };
}

test("a delivered order's refund request with a photo is approved by an operator: REFUNDED, the upline's commissions VOID", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  // 孙先生 (sponsor 张老师, whose sponsor is 王店长) buys towels; the order is shipped and delivered.
  await signInWithSms(page, "13800000007", "/");
  await expect(page).toHaveURL(/\/$/);
  const { orderId, orderNo } = await buy(page, "home-towel");
  const delivered = await page.request.post("/api/test/orders", { data: { action: "deliver", orderId }, headers: testDoorHeaders() });
  expect(((await delivered.json()) as { status: string }).status).toBe("DELIVERED");

  // Delivered: the request waits for the merchant. A photo is uploaded with it.
  await page.goto(`/orders/${orderId}`);
  await page.getByRole("button", { name: "申请退款" }).click();
  const sheet = page.getByRole("dialog", { name: "申请退款" });
  await expect(sheet.getByTestId("refund-mode")).not.toContainText("立即全额原路退款");
  await sheet.getByLabel("商品破损").check();
  await sheet.getByLabel("补充说明").fill("收到时外包装破损，毛巾有污渍");
  const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: "#d9480f" } }).png().toBuffer();
  await sheet.locator('input[type="file"]').setInputFiles({ name: "damage.png", mimeType: "image/png", buffer: photo });
  await expect(sheet.getByTestId("refund-photo")).toHaveCount(1);
  // Not a picture: refused with a clear message, nothing attached.
  await sheet.locator('input[type="file"]').setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not an image") });
  await expect(sheet.getByRole("alert")).toHaveText("无法识别的图片文件");
  await expect(sheet.getByTestId("refund-photo")).toHaveCount(1);
  await sheet.getByRole("button", { name: "提交申请" }).click();
  const request = page.getByTestId("refund-request").first();
  await expect(request).toHaveAttribute("data-status", "PENDING");
  await expect(request.getByRole("img", { name: "凭证图片 1" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("shopper-refund-requested.png"), fullPage: true });

  // The operator's home counts the waiting request among the to-dos and leads to the queue.
  const op = await staffPage(browser, testInfo, "operator", "/merchant");
  const todo = op.getByTestId("todo-refunds");
  await expect(todo).toHaveText(/[1-9]\d*$/);
  await op.screenshot({ path: testInfo.outputPath("home-refund-todo.png"), fullPage: true });
  await todo.click();
  await expect(op).toHaveURL(/\/merchant\/after-sales$/);
  // The operator sees the request with its photo and approves it.
  // Shopper uploads need a shopper session: a staff session alone is refused.
  const anonymous = await op.request.post("/api/uploads", { multipart: { file: { name: "x.png", mimeType: "image/png", buffer: photo } } });
  expect(anonymous.status()).toBe(401);
  const row = op.getByTestId("refund-request-row").filter({ hasText: orderNo });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("img", { name: "凭证图片 1" })).toBeVisible();
  await op.screenshot({ path: testInfo.outputPath("after-sales-pending.png"), fullPage: true });
  await row.getByRole("button", { name: "同意退款" }).click();
  const dialog = op.getByRole("dialog", { name: "同意退款" });
  await expect(dialog).toContainText(orderNo);
  // The whole warning wraps inside the dialog, though it opens from the row's nowrap cell: none of it is clipped at the edge.
  await expect(dialog).toContainText("返现任务按规则处理。");
  expect(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
  await dialog.screenshot({ path: testInfo.outputPath("after-sales-approve-confirm.png") });
  await dialog.getByRole("button", { name: "同意退款" }).click();
  await expect(dialog).toHaveCount(0);

  // The order: REFUNDED; 张老师's L1 and 王店长's L2 commissions on it are VOID.
  await op.goto(`/merchant/orders/${orderId}`);
  const detail = op.getByTestId("merchant-order-detail");
  await expect(detail).toHaveAttribute("data-status", "REFUNDED");
  const commissions = op.getByTestId("order-commission");
  await expect(commissions).toHaveCount(2);
  for (const level of ["1", "2"]) await expect(op.locator(`[data-testid="order-commission"][data-level="${level}"]`)).toHaveAttribute("data-status", "VOID");
  await expect(op.getByTestId("order-refund-request")).toHaveAttribute("data-status", "APPROVED");
  await expect(op.getByTestId("order-refund-request").getByRole("img", { name: "凭证图片 1" })).toBeVisible();
  // The refund sent back to the sandbox payment reads in words, not as the provider call's codes ("REFUND DONE").
  await expect(op.getByTestId("order-refund-call")).toHaveText(/^(退款中（正在提交支付渠道）|退款中（等待渠道确认）|已退款（渠道已确认）)$/);
  await op.screenshot({ path: testInfo.outputPath("order-refunded-detail.png"), fullPage: true });

  // The operator finds the order again from the last six digits the shopper reads out.
  await op.goto("/merchant/orders");
  await op.getByRole("search").getByLabel("订单号").fill(orderNo.slice(-6));
  await op.getByRole("search").getByRole("button", { name: "查询" }).click();
  await expect(op).toHaveURL(new RegExp(`orderNo=${orderNo.slice(-6)}`));
  // Only it: the seeded shop's other orders do not carry these digits.
  await expect(op.locator("[data-order-no]")).toHaveCount(1);
  await expect(op.locator(`[data-order-no="${orderNo}"]`)).toBeVisible();
  await op.screenshot({ path: testInfo.outputPath("orders-found-by-digits.png"), fullPage: true });

  // The shopper sees the decision.
  await page.reload();
  await expect(page.getByTestId("refund-request").first()).toHaveAttribute("data-status", "APPROVED");
  await expect(page.getByTestId("order-headline")).toHaveAttribute("data-status", "REFUNDED");
  // Its 推三返一 task is void: the card says why, and asks for nobody more, shows no deadline and no steps ahead.
  await page.goto("/promote");
  const voided = page.getByTestId("rebate-task").filter({ hasText: orderNo });
  await expect(voided).toHaveAttribute("data-status", "VOID");
  await expect(voided.getByTestId("task-reason")).toHaveText("已失效：本单已退款，返现任务作废");
  await expect(voided.getByTestId("task-missing")).toHaveCount(0);
  await expect(voided.getByTestId("task-deadline")).toHaveCount(0);
  await expect(voided.getByTestId("task-step")).toHaveCount(0);
  await voided.screenshot({ path: testInfo.outputPath("promote-task-void.png") });

  // The owner's audit log has the approval.
  const owner = await staffPage(browser, testInfo, "owner", "/merchant/audit");
  await expect(owner.getByText(`order:${orderNo}`).first()).toBeVisible();
  await owner.screenshot({ path: testInfo.outputPath("audit-after-sales.png"), fullPage: true });
  await Promise.all([op.context().close(), owner.context().close()]);
});

test("bulk shipping by CSV: a wrong row ships nothing; the corrected file ships every order", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  await signInWithSms(page, "13800000008", "/");
  await expect(page).toHaveURL(/\/$/);
  const a = await buy(page, "fresh-kiwi");
  const b = await buy(page, "snack-beef");

  const op = await staffPage(browser, testInfo, "operator", "/merchant/orders");
  // UTF-8 with a BOM (the template, Excel's "CSV UTF-8") or GB18030 (Excel/WPS's plain "CSV" on Chinese Windows).
  const upload = async (csv: string, encoding: "utf-8" | "gb18030" = "utf-8") => {
    await op.getByRole("button", { name: "批量发货" }).click();
    const dialog = op.getByRole("dialog", { name: "批量发货（CSV）" });
    await expect(dialog).toContainText("用 Excel 或 WPS 直接另存为 CSV 即可");
    const buffer = encoding === "gb18030" ? iconv.encode(csv, "gb18030") : Buffer.from(`\uFEFF${csv}`, "utf8");
    await dialog.locator('input[type="file"]').setInputFiles({ name: "shipments.csv", mimeType: "text/csv", buffer });
    await dialog.getByRole("button", { name: "上传并发货" }).click();
    return dialog;
  };

  // Line 3 names an unknown carrier, line 4 an order that does not exist with a tracking number Excel turned into
  // 7.83123E+13: the whole file is refused, with each line and every one of its reasons (2 lines, 3 problems).
  const refused = await upload(`订单号,物流公司,运单号\n${a.orderNo},顺丰,SF1400000001\n${b.orderNo},火星快递,MARS001\nFM20260101000000,中通,7.83123E+13\n`);
  await expect(refused.getByTestId("bulk-ship-errors")).toContainText("有 2 行错误，本次未发货任何订单");
  await expect(refused.getByTestId("bulk-ship-error")).toHaveCount(3);
  await expect(refused.getByTestId("bulk-ship-error").first()).toContainText(`第 3 行 ${b.orderNo}`);
  await expect(refused.getByTestId("bulk-ship-error").nth(1)).toHaveText("第 4 行 FM20260101000000：订单不存在");
  await expect(refused.getByTestId("bulk-ship-error").nth(2)).toHaveText("第 4 行 FM20260101000000：运单号被 Excel 转成了科学计数法，请把运单号列设为文本后重新保存");
  await op.screenshot({ path: testInfo.outputPath("bulk-ship-refused.png"), fullPage: true });
  await refused.getByRole("button", { name: "取消" }).click();
  await op.goto(`/merchant/orders/${a.orderId}`);
  await expect(op.getByTestId("merchant-order-detail")).toHaveAttribute("data-status", "PAID");
  // The payment's provider by its name, not its code.
  await expect(op.getByTestId("merchant-order-detail")).toContainText("沙箱支付（测试）");

  await op.goto("/merchant/orders");
  const done = await upload(`订单号,物流公司,运单号\r\n${a.orderNo},顺丰,SF1400000001\r\n${b.orderNo},中通快递,ZT7800000002\r\n`, "gb18030");
  await expect(done.getByTestId("bulk-ship-done")).toHaveText("已发货 2 单");
  await done.getByRole("button", { name: "关闭" }).click();
  for (const [order, tracking] of [[a, "SF1400000001"], [b, "ZT7800000002"]] as const) {
    await op.goto(`/merchant/orders/${order.orderId}`);
    await expect(op.getByTestId("merchant-order-detail")).toHaveAttribute("data-status", "SHIPPED");
    await expect(op.getByTestId("merchant-order-detail")).toContainText(tracking);
  }
  await op.screenshot({ path: testInfo.outputPath("bulk-shipped-detail.png"), fullPage: true });

  // The shopper's order shows the parcel.
  await page.goto(`/orders/${b.orderId}`);
  await expect(page.getByTestId("order-headline")).toHaveAttribute("data-status", "SHIPPED");
  await expect(page.getByTestId("order-shipment")).toHaveText(/中通快递 ZT7800000002/);

  // The owner's audit log has each shipment, by the operator, from the CSV.
  const owner = await staffPage(browser, testInfo, "owner", "/merchant/audit");
  for (const [order, tracking] of [[a, "SF1400000001"], [b, "ZT7800000002"]] as const) {
    await owner.goto(`/merchant/audit?action=order.ship&target=order:${order.orderNo}`);
    const entry = owner.getByTestId("audit-row");
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText("测试operator");
    await expect(entry).toContainText(tracking);
    await expect(entry).toContainText("方式: 批量发货（CSV）");
  }
  await owner.screenshot({ path: testInfo.outputPath("audit-bulk-ship.png"), fullPage: true });
  await Promise.all([op.context().close(), owner.context().close()]);
});

test("an operator refunds a paid order from its detail page, through the confirmation that says what goes back", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  await signInWithSms(page, randomPhone(), "/");
  await expect(page).toHaveURL(/\/$/);
  const { orderId, orderNo } = await buy(page, "home-towel");

  const op = await staffPage(browser, testInfo, "operator", `/merchant/orders/${orderId}`);
  const detail = op.getByTestId("merchant-order-detail");
  await expect(detail).toHaveAttribute("data-status", "PAID");
  await op.getByTestId("order-refund").click();
  const dialog = op.getByRole("dialog", { name: `退款：${orderNo}` });
  await expect(dialog).toContainText(/全额原路退回实付 ¥\d{1,3}(?:,\d{3})*\.\d{2}/);
  await expect(dialog).toContainText("本单产生的佣金作废，本单带来的推三返一进度取消");
  await op.screenshot({ path: testInfo.outputPath("order-refund-dialog.png"), fullPage: true });
  await dialog.getByRole("button", { name: "确认退款" }).click();
  await expect(dialog).toHaveCount(0);

  // The detail reloads: 已退款, and nothing more to refund.
  await expect(detail).toHaveAttribute("data-status", "REFUNDED");
  await expect(detail.getByRole("heading", { level: 1 })).toContainText("已退款");
  await expect(op.getByTestId("order-refund")).toHaveCount(0);
  await op.screenshot({ path: testInfo.outputPath("order-refunded-by-operator.png"), fullPage: true });

  // The shopper's order reads refunded too.
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId("order-headline")).toHaveAttribute("data-status", "REFUNDED");
  await op.context().close();
});

test("the orders table sorts on the server, sizes its pages, and remembers the columns hidden with its picker", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  // A new shopper with three orders of towels: 1, 5 and 2 packs.
  const phone = randomPhone();
  await signInWithSms(page, phone, "/");
  await expect(page).toHaveURL(/\/$/);
  for (const qty of [1, 5, 2]) {
    const res = await page.request.post("/api/test/orders", { data: { action: "buy", sku: "home-towel", qty }, headers: testDoorHeaders() });
    expect(res.ok()).toBe(true);
  }

  const op = await staffPage(browser, testInfo, "operator", "/merchant/orders");
  await op.goto(`/merchant/orders?phone=${phone}`);
  const rows = op.getByTestId("merchant-order");
  const pageInfo = op.getByTestId("table-page");
  await expect(pageInfo).toHaveText("第 1 / 1 页，共 3 条");
  // Newest first by default: the two-pack order (118 元) heads the list.
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText("¥118.00");

  // Sorting by the goods amount, in the header's direction, then the other way.
  const header = op.getByRole("columnheader", { name: /商品金额/ });
  await header.getByRole("button").click();
  await expect(op).toHaveURL(/sort=goodsFen\.(asc|desc)/);
  const firstIsLargest = (await header.getAttribute("aria-sort")) === "descending";
  await expect(rows.first()).toContainText(firstIsLargest ? "¥295.00" : "¥59.00");
  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", firstIsLargest ? "ascending" : "descending");
  await expect(rows.first()).toContainText(firstIsLargest ? "¥59.00" : "¥295.00");
  await expect(rows.last()).toContainText(firstIsLargest ? "¥295.00" : "¥59.00");
  await op.getByLabel("每页条数").selectOption("50");
  await expect(op).toHaveURL(/size=50/);
  await expect(rows).toHaveCount(3);

  // The column picker hides 下单时间; the choice survives a reload.
  await expect(op.getByRole("columnheader", { name: "下单时间" })).toBeVisible();
  await op.getByRole("button", { name: "显示列" }).click();
  await op.getByRole("checkbox", { name: "下单时间" }).uncheck();
  await expect(op.getByRole("columnheader", { name: "下单时间" })).toHaveCount(0);
  await op.reload();
  await expect(rows).toHaveCount(3);
  await expect(op.getByRole("columnheader", { name: "下单时间" })).toHaveCount(0);
  await expect(op.getByRole("columnheader", { name: /商品金额/ })).toBeVisible();
  await op.screenshot({ path: testInfo.outputPath("orders-table-sorted.png"), fullPage: true });
  await op.context().close();
});

/** The orders list has its rows (or says it has none): what is missing from it then is not merely still loading. */
async function listLoaded(page: Page) {
  await expect(page.getByTestId("merchant-order").first().or(page.getByText("暂无数据"))).toBeVisible();
  await page.waitForLoadState("networkidle");
}

/** The 退款异常 count the home page's notice gives (no notice: none). */
async function stuckNoticeCount(page: Page): Promise<number> {
  await page.goto("/merchant");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const notice = page.getByTestId("notice-stuckRefunds");
  if ((await notice.count()) === 0) return 0;
  return Number(/退款异常 (\d+) 笔/.exec((await notice.textContent()) ?? "")![1]);
}

test("a WeChat Pay refund WeChat never confirms: 退款中, then 退款异常 on the home page, its filtered list and CSV", async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const baseURL = testInfo.project.use.baseURL;
  const op = await staffPage(browser, testInfo, "operator", "/merchant");
  const stuckBefore = await stuckNoticeCount(op);

  // A shopper inside WeChat signs in through WeChat (binding a phone) and pays towels with WeChat Pay JSAPI.
  const wx = await wechatPhone(browser, baseURL, `oE2E${randomBytes(12).toString("hex")}`);
  let orderId: number;
  try {
    const shopper = await wx.newPage();
    await shopper.goto("/login?callbackUrl=%2Fme");
    await expect(shopper.getByRole("heading", { name: "绑定手机号" })).toBeVisible();
    const phone = randomPhone();
    await fillPhone(shopper, phone);
    await shopper.getByTestId("legal-consent").check();
    await shopper.getByRole("button", { name: "获取验证码" }).click();
    await expect(shopper.getByText(`验证码已发送至 ${masked(phone)}`)).toBeVisible();
    await shopper.getByPlaceholder("6 位验证码").fill(await readCodeFromOutbox(shopper, phone));
    await shopper.getByRole("button", { name: "绑定并登录" }).click();
    await expect(shopper).toHaveURL(/\/me$/);
    await shopper.goto("/checkout?sku=home-towel&qty=1");
    await fillAddressForm(shopper, { name: "赵六", phone: "13955556666", region: ["江苏省", "南京市", "鼓楼区"], detail: "中山北路 30 号 3 楼" });
    await expect(shopper.getByTestId("checkout-address")).toContainText("赵六");
    await shopper.getByRole("button", { name: "提交订单" }).click();
    await expect(shopper).toHaveURL(/\/pay\/wechatpay\//);
    await shopper.getByRole("button", { name: "确认支付" }).click();
    await expect(shopper.getByTestId("pay-result")).toHaveText("支付成功", { timeout: 20_000 });
    orderId = Number(/\/orders\/(\d+)\/result/.exec(shopper.url())![1]);
  } finally {
    await wx.close();
  }

  // The operator refunds it: WeChat accepts the refund as processing and never says more.
  await op.goto(`/merchant/orders/${orderId}`);
  const detail = op.getByTestId("merchant-order-detail");
  await expect(detail).toHaveAttribute("data-status", "PAID");
  await expect(detail).toContainText("微信支付");
  const orderNo = (await detail.getByRole("heading", { level: 1 }).locator(".font-mono").textContent())!.trim();
  await op.getByTestId("order-refund").click();
  await op.getByRole("dialog", { name: `退款：${orderNo}` }).getByRole("button", { name: "确认退款" }).click();
  await expect(detail).toHaveAttribute("data-status", "REFUNDED");
  await expect(detail).toHaveAttribute("data-refund", "pending");
  await expect(op.getByTestId("order-refund-call")).toHaveAttribute("data-stage", "awaiting");
  await expect(op.getByTestId("order-refund-call")).toHaveText("退款中（等待渠道确认）");

  // 退款中 in the status filter: the order is in progress there, every row of it is; not yet 退款异常, nor on the home page.
  const rows = op.getByTestId("merchant-order");
  const search = op.getByRole("search");
  await op.goto("/merchant/orders");
  await search.getByLabel("订单状态").selectOption({ label: "退款中" });
  await search.getByRole("button", { name: "查询" }).click();
  await expect(op).toHaveURL(/status=REFUND_PENDING/);
  // The unfiltered rows stay on screen until the filtered ones come.
  await listLoaded(op);
  const ours = rows.filter({ has: op.locator(`[data-order-no="${orderNo}"]`) });
  await expect(ours.getByTestId("order-status")).toHaveAttribute("data-refund", "pending");
  await expect(ours.getByTestId("order-status")).toHaveText("退款中");
  await expect(rows.locator('[data-testid="order-status"]:not([data-refund="pending"])')).toHaveCount(0);
  await op.screenshot({ path: testInfo.outputPath("orders-refund-pending.png"), fullPage: true });
  await op.goto("/merchant/orders?status=REFUND_STUCK");
  await listLoaded(op);
  await expect(rows).toHaveCount(stuckBefore);
  await expect(op.locator(`[data-order-no="${orderNo}"]`)).toHaveCount(0);
  expect(await stuckNoticeCount(op)).toBe(stuckBefore);

  // Fifteen days on, still unconfirmed: the scheduler's sweep (every 15 s) stops asking after 14 days; the refund is stuck.
  await testDoorPost(op.request, "/api/test/clock", { advanceMs: 15 * 86_400_000 });
  await expect(async () => expect(await stuckNoticeCount(op)).toBe(stuckBefore + 1)).toPass({ timeout: 90_000, intervals: [5_000] });
  const notice = op.getByTestId("notice-stuckRefunds");
  await expect(notice).toContainText(`退款异常 ${stuckBefore + 1} 笔`);
  await op.screenshot({ path: testInfo.outputPath("home-stuck-refunds.png"), fullPage: true });

  // The notice opens the list filtered to 退款异常: the order, and only the stuck ones.
  await notice.click();
  await expect(op).toHaveURL(/\/merchant\/orders\?status=REFUND_STUCK$/);
  await expect(search.getByLabel("订单状态")).toHaveValue("REFUND_STUCK");
  await expect(op.getByTestId("table-page")).toHaveText(`第 1 / 1 页，共 ${stuckBefore + 1} 条`);
  await expect(rows).toHaveCount(stuckBefore + 1);
  await expect(ours.getByTestId("order-status")).toHaveAttribute("data-refund", "stuck");
  await expect(ours.getByTestId("order-status")).toHaveText("退款异常");
  await op.screenshot({ path: testInfo.outputPath("orders-refund-stuck.png"), fullPage: true });

  // Its CSV: the same orders, ours reading 退款异常.
  const [download] = await Promise.all([op.waitForEvent("download"), op.getByTestId("export-csv").click()]);
  const csv = readFileSync((await download.path())!).toString("utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/^订单号,买家,/);
  expect(lines).toHaveLength(stuckBefore + 2);
  const line = lines.find((l) => l.startsWith(`${orderNo},`));
  expect(line, csv).toBeDefined();
  expect(line).toContain(",退款异常,");

  // No longer 退款中; the detail says why.
  await op.goto("/merchant/orders?status=REFUND_PENDING");
  await listLoaded(op);
  await expect(op.locator(`[data-order-no="${orderNo}"]`)).toHaveCount(0);
  await op.goto(`/merchant/orders/${orderId}`);
  await expect(detail).toHaveAttribute("data-refund", "stuck");
  await expect(op.getByTestId("order-refund-call")).toHaveAttribute("data-stage", "unconfirmed");
  await op.screenshot({ path: testInfo.outputPath("order-refund-unconfirmed.png"), fullPage: true });
  await op.context().close();
});

test("优先发货: the order paid in a tier that carries it is badged, filtered, first to ship, and told to its shopper", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  // A new shopper (tier member). For one purchase the member tier carries priority shipping (SPEC §7), then no longer.
  await signInWithSms(page, randomPhone(), "/");
  await expect(page).toHaveURL(/\/$/);
  const rules = (await (await page.request.post("/api/test/config", { data: {}, headers: testDoorHeaders() })).json()) as { config: { tiers: { name: string; benefits?: object }[] } };
  const tiers = rules.config.tiers;
  const withPriority = tiers.map((t) => (t.name === "member" ? { ...t, benefits: { ...t.benefits, priorityShipping: true } } : t));
  let priority: { orderId: number; orderNo: string };
  try {
    expect((await page.request.post("/api/test/config", { data: { tiers: withPriority }, headers: testDoorHeaders() })).ok()).toBe(true);
    priority = await buy(page, "home-towel");
  } finally {
    expect((await page.request.post("/api/test/config", { data: { tiers }, headers: testDoorHeaders() })).ok()).toBe(true);
  }
  // Paid after the change: the tier no longer carries it, and the first order keeps its flag.
  const plain = await buy(page, "home-towel");

  // The shopper's order says it, in Chinese and in English; the other order does not.
  await page.goto(`/orders/${priority.orderId}`);
  await expect(page.getByTestId("order-priority")).toContainText("优先发货");
  await expect(page.getByTestId("order-priority")).toContainText("您的会员等级享有优先发货");
  await page.screenshot({ path: testInfo.outputPath("shopper-priority-order.png"), fullPage: true });
  await page.context().addCookies([{ name: "fm_lang", value: "en", url: testInfo.project.use.baseURL! }]);
  await page.reload();
  await expect(page.getByTestId("order-priority")).toContainText("Priority shipping");
  await page.screenshot({ path: testInfo.outputPath("shopper-priority-order-en.png"), fullPage: true });
  await page.context().clearCookies({ name: "fm_lang" });
  await page.goto(`/orders/${plain.orderId}`);
  await expect(page.getByTestId("order-headline")).toHaveAttribute("data-status", "PAID");
  await expect(page.getByTestId("order-priority")).toHaveCount(0);

  // 待发货: the priority orders come first, whatever their age; ours is among them with its badge, the other is not.
  const op = await staffPage(browser, testInfo, "operator", "/merchant/orders");
  const rows = op.getByTestId("merchant-order");
  const row = (o: { orderNo: string }) => rows.filter({ has: op.locator(`[data-order-no="${o.orderNo}"]`) });
  await op.goto("/merchant/orders?status=PAID&size=100");
  await listLoaded(op);
  await expect(row(priority).getByTestId("order-priority")).toHaveText("优先发货");
  await expect(row(plain)).toHaveCount(1);
  await expect(row(plain).getByTestId("order-priority")).toHaveCount(0);
  const badged = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-testid="order-priority"]') !== null));
  expect(badged.indexOf(false)).toBeGreaterThan(0);
  expect(badged.slice(badged.indexOf(false))).not.toContain(true);
  await op.screenshot({ path: testInfo.outputPath("orders-to-ship-priority-first.png"), fullPage: true });

  // 仅优先发货 in the search form: only badged rows, ours among them; the CSV link carries the filter.
  const search = op.getByRole("search");
  await op.goto("/merchant/orders");
  await search.getByLabel("优先发货").selectOption({ label: "仅优先发货" });
  await search.getByRole("button", { name: "查询" }).click();
  await expect(op).toHaveURL(/priority=1/);
  await listLoaded(op);
  await expect(row(priority)).toHaveCount(1);
  await expect(row(plain)).toHaveCount(0);
  await expect(rows.filter({ hasNot: op.getByTestId("order-priority") })).toHaveCount(0);
  await expect(op.getByTestId("export-csv")).toHaveAttribute("href", /priority=1/);
  await op.screenshot({ path: testInfo.outputPath("orders-priority-only.png"), fullPage: true });

  // The order's page: the badge beside its status and the note to ship it first.
  await op.goto(`/merchant/orders/${priority.orderId}`);
  const detail = op.getByTestId("merchant-order-detail");
  await expect(detail.getByRole("heading", { level: 1 }).getByTestId("order-priority")).toHaveText("优先发货");
  await expect(op.getByTestId("order-priority-note")).toContainText("请优先安排发货");
  await op.screenshot({ path: testInfo.outputPath("order-detail-priority.png"), fullPage: true });
  await op.goto(`/merchant/orders/${plain.orderId}`);
  await expect(detail).toHaveAttribute("data-status", "PAID");
  await expect(op.getByTestId("order-priority")).toHaveCount(0);
  await op.context().close();
});

test("at a desk (1280 and 1366 px, zh and en) the products, orders and audit tables fit; the order shows the 规格 bought; 下架 asks first", async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);
  const TRACKING = "SF1234567890123456";
  const phone = randomPhone();
  await signInWithSms(page, phone, "/");
  await expect(page).toHaveURL(/\/$/);
  const { orderId, orderNo } = await buy(page, "fresh-strawberry-1kg");

  const owner = await staffPage(browser, testInfo, "owner", "/merchant/orders");
  await owner.goto(`/merchant/orders?phone=${phone}`);
  const row = owner.getByTestId("merchant-order").filter({ has: owner.locator(`[data-order-no="${orderNo}"]`) });
  // The list names the variant bought (OrderLine.skuLabel, the seed's 规格 option).
  await expect(row).toContainText("丹东红颜草莓 现摘现发（规格：1kg 尝鲜装） ×1");
  await row.getByRole("button", { name: "发货" }).click();
  const ship = owner.getByRole("dialog");
  await ship.getByLabel("物流公司").selectOption({ index: 1 });
  await ship.getByLabel("运单号").fill(TRACKING);
  await ship.getByRole("button", { name: "确认发货" }).click();
  await expect(row.getByTestId("order-status")).toHaveAttribute("data-status", "SHIPPED");

  // The detail's 商品明细 line: the product, its SKU code and the variant in words.
  await owner.goto(`/merchant/orders/${orderId}`);
  await expect(owner.getByTestId("order-line-sku-label")).toHaveText("规格：1kg 尝鲜装");
  await owner.screenshot({ path: testInfo.outputPath("order-detail-sku-label.png") });

  // 下架 takes a product off sale for every shopper: it asks first, naming the product; 取消 changes nothing.
  await owner.goto(`/merchant/products?q=${encodeURIComponent("丹东红颜草莓")}`);
  const productRow = owner.getByTestId("product-row").filter({ hasText: "丹东红颜草莓 现摘现发" });
  await expect(productRow).toContainText("已上架");
  await productRow.getByTestId("product-shelf-toggle").click();
  const confirm = owner.getByRole("dialog", { name: "下架「丹东红颜草莓 现摘现发」？" });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText("所有顾客都看不到");
  await owner.screenshot({ path: testInfo.outputPath("products-takeoff-confirm.png") });
  await confirm.getByRole("button", { name: "取消" }).click();
  await expect(confirm).toBeHidden();
  await owner.reload();
  await expect(productRow).toContainText("已上架");

  // Each table's rows fit its box: nothing hides under the pinned 操作 column (the box does not scroll sideways).
  const tables: [string, string][] = [
    ["products", "/merchant/products"],
    ["orders", `/merchant/orders?phone=${phone}`],
    ["audit", "/merchant/audit"],
  ];
  const overflow: string[] = [];
  for (const lang of ["zh", "en"] as const) {
    if (lang === "en") await owner.context().addCookies([{ name: "fm_lang", value: "en", url: testInfo.project.use.baseURL! }]);
    for (const [width, height] of [[1280, 720], [1366, 768]] as const) {
      await owner.setViewportSize({ width, height });
      for (const [id, path] of tables) {
        await owner.goto(path);
        const table = owner.getByTestId(`table-${id}`);
        await expect(table.locator("tbody tr").first()).toBeVisible();
        if (id === "orders") await expect(table.getByTestId("order-row-shipment")).toContainText(TRACKING);
        await owner.screenshot({ path: testInfo.outputPath(`${id}-${lang}-${width}.png`) });
        const m = await table.locator("table").evaluate((t) => ({ scroll: t.parentElement!.scrollWidth, client: t.parentElement!.clientWidth }));
        if (m.scroll > m.client) overflow.push(`${id} ${lang} ${width}: ${m.scroll} > ${m.client}`);
      }
    }
  }
  expect(overflow).toEqual([]);
});
