// The back office's order page, its refund dialog and the audit log page group an amount's thousands (¥12,345.00)
// as the KPI cards and MoneyCell lists do; the audit log's CSV keeps the ungrouped digits (a spreadsheet reads
// them back as numbers). The shopper's order page's countdown ticks for the eye only: a screen reader gets words
// that change at most once a minute (WCAG 2.2.2), as on the orders list.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { auditChanges, auditFields } from "../server/audit/display";
import { auditExport } from "../server/exports/audit";
import { exportTranslator } from "../server/exports/csv";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { OrderDetailClient } from "../app/merchant/orders/[id]/OrderDetailClient";
import { RefundDialog } from "../app/merchant/orders/[id]/RefundDialog";
import { TimeLeftSentence } from "../app/orders/[id]/OrderDetail";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

const TZ = "Asia/Shanghai";
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
/** Rendered HTML as text is read: React's separators between adjacent texts taken out. */
const text = (html: string) => html.replaceAll("<!-- -->", "");

describe("the order page's commissions and 推三返一 task", () => {
  const config = parseConfig({});
  const t0 = new Date("2026-03-10T02:00:00Z");
  let database: Database;
  let html: string;

  beforeAll(async () => {
    database = await freshPglite();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    await db.category.create({ data: { slug: "tea", name: "茶" } });
    // 12 345 元 of goods: the default level-1 rate (10%) earns 1 234.50 元.
    await createSimpleProduct(db, { sku: "tea-gift", name: "龙井礼盒", priceFen: 1_234_500, category: "tea", stock: 5 });
    const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: t0 }, fn);
    const sponsor = await run((ctx) => registerMember(ctx, { username: "sponsor-zhao", ip: "10.0.0.1", device: "d-s" }));
    const buyer = await run((ctx) => registerMember(ctx, { username: "buyer-sun", sponsorId: sponsor.id, ip: "10.0.0.2", device: "d-b" }));
    const o = await run((ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea-gift", qty: 1 }], address: "王小明 13912345678 浙江省 杭州市 西湖区 文三路 100 号" }));
    await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    const detail = await (await signedInStaff(db, "operator")).caller.merchantOrder.detail({ id: o.id });
    expect(detail.commissions.map((c) => [c.level, c.amountFen])).toEqual([[1, 123_450]]);
    expect(detail.rebateTask?.why.anchorGoodsFen).toBe(1_234_500);
    const page = createElement(OrderDetailClient, { id: o.id, canWrite: true, canDecide: true });
    html = text(renderInProviders(page, "zh-CN", (trpc, qc) => qc.setQueryData(trpc.merchantOrder.detail.queryKey({ id: o.id }), detail as never)).html);
  });
  afterAll(() => database.close());

  it("explain a commission with its base and amount grouped", () => {
    const commission = /data-testid="order-commission"[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    expect(commission).toContain("基数 ¥12,345.00");
    expect(commission).toContain("= ¥1,234.50");
    expect(commission).not.toContain("¥12345.00");
  });

  it("explain the task's cashback with the goods amount grouped", () => {
    const rebate = /data-testid="order-rebate"[\s\S]*?<\/p>/.exec(html)?.[0] ?? "";
    expect(rebate).toContain("商品金额 ¥12,345.00 × 100%");
    expect(rebate).not.toContain("¥12345.00");
  });
});

describe("the refund dialog", () => {
  it("states what goes back grouped", () => {
    const dialog = createElement(RefundDialog, { order: { id: 1, orderNo: "FM2026031000001", payableFen: 1_234_456, creditUsedFen: 100_000 }, onClose() {} });
    const html = text(renderInProviders(dialog).html);
    expect(html).toContain("全额原路退回实付 ¥12,344.56。");
    expect(html).toContain("退回买家购物金 ¥1,000.00。");
  });
});

describe("an audit entry's amounts", () => {
  const entry = { action: "withdrawal.requested", before: { amountFen: 100_000 }, after: { amountFen: 250_000 }, data: { feeFen: 0, amountFen: 250_000, nested: { amountFen: 123_456_789 } } };

  it("on the page: grouped, in the details, nested facts and before → after", () => {
    expect(auditFields(zh, TZ, entry.data, entry.action).map((f) => f.value)).toEqual(["¥0.00", "¥2,500.00", "金额: ¥1,234,567.89"]);
    expect(auditChanges(zh, TZ, entry.before, entry.after, entry.action)).toEqual([{ key: "amountFen", label: "金额", before: "¥1,000.00", after: "¥2,500.00" }]);
  });

  it("in the CSV: the same words with the digits ungrouped", () => {
    const columns = auditExport.columns(TZ, exportTranslator("zh-CN"));
    const row = { ...entry, id: 1, createdAt: new Date("2026-03-10T02:00:00Z"), actorType: "staff", actorId: 1, actorName: "李财务", target: "withdrawal:7", requestId: null };
    const cells = Object.fromEntries(columns.map((c) => [c.header, String(c.value(row as never))]));
    expect(cells["变更前"]).toBe("金额: ¥1000.00");
    expect(cells["变更后"]).toBe("金额: ¥2500.00");
    expect(cells["详情"]).toBe("手续费: ¥0.00; 金额: ¥2500.00; nested: 金额: ¥1234567.89");
  });
});

describe("the shopper's order page's countdown", () => {
  it("draws the clock for the eye and gives a screen reader the whole minutes in words", () => {
    const sentence = createElement(TimeLeftSentence, { sentence: zh("order.sub.countdown"), left: 29 * 60_000 + 59_000 });
    expect(text(renderInProviders(sentence).html)).toBe('剩余 <span aria-hidden="true">29:59</span><span class="sr-only">29分钟</span> 订单将自动取消');
  });

  it("in English, the closing sentence as well", () => {
    const sentence = createElement(TimeLeftSentence, { sentence: createT("en", MESSAGES.en)("order.sub.closing"), left: 90_000 });
    expect(text(renderInProviders(sentence, "en").html)).toBe('Payment closes in <span aria-hidden="true">01:30</span><span class="sr-only">1 minute</span>: too late to start paying, please place the order again');
  });
});
