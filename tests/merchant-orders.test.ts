// Back-office orders (issue 9) through the router: search and filters (the phone through its lookup
// hash), one order's story (address masking, upline chain, commissions with why-this-amount, rebate
// task), shipping with a tracking number, and CSV bulk shipping that is all or nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, ORDER_NO_RE } from "../server/orders";
import { CARRIER_CODES, carrierCode } from "../server/orders/shipping";
import { SHIP_CARRIERS } from "../server/orders/shipping-schema";
import { maskAddress, merchantOrderDetail, searchOrders } from "../server/orders/merchant";
import { phoneFields } from "../server/auth/crypto";
import { createSimpleProduct } from "../server/catalog/admin";
import { cappedTotal, LIST_COUNT_CAP } from "../server/pagination";
import { freshPglite } from "./helpers/db";
import { callerFor, refusal, signedInStaff } from "./helpers/caller";

const config = parseConfig({ commission: { categoryRatesBps: { digital: [300, 100, 50] } } });
let database: Database;
let ids: { top: number; mid: number; buyer: number; other: number };
type Staff = Awaited<ReturnType<typeof signedInStaff>>;
let operator: Staff;
let support: Staff;
const t0 = new Date("2026-03-10T02:00:00Z"); // 10:00 in Shanghai
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);
const ADDRESS = "王小明 13912345678 浙江省 杭州市 西湖区 文三路 100 号 3 幢 501";

beforeEach(async () => {
  database = await freshPglite();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.createMany({ data: [{ slug: "tea", name: "茶" }, { slug: "digital", name: "数码" }] });
  await createSimpleProduct(db, { sku: "tea", name: "西湖龙井", priceFen: 10000, category: "tea", stock: 100 });
  await createSimpleProduct(db, { sku: "earbuds", name: "蓝牙耳机", priceFen: 30000, category: "digital", stock: 100 });
  const reg = (username: string, sponsorId?: number, phone?: string) =>
    run(t0, async (ctx) => {
      const m = await registerMember(ctx, { username, sponsorId, ip: username, device: username });
      if (phone) {
        const p = phoneFields(phone);
        await ctx.tx.member.update({ where: { id: m.id }, data: { phoneHash: p.hash, phoneEnc: p.enc, phoneMasked: p.masked } });
      }
      return m.id;
    });
  const top = await reg("top-zhao");
  const mid = await reg("mid-qian", top);
  const buyer = await reg("buyer-sun", mid, "13800138000");
  const other = await reg("other-li", undefined, "13700137000");
  ids = { top, mid, buyer, other };
  operator = await signedInStaff(db, "operator");
  support = await signedInStaff(db, "support");
});
afterEach(() => database.close());

async function paid(memberId: number, lines: { sku: string; qty: number }[], at = t0) {
  const o = await run(at, (ctx) => createOrder(ctx, { memberId, lines, address: ADDRESS }));
  await run(at, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o;
}

describe("order search", () => {
  it("filters by order number, buyer phone (hash), status, date range (merchant days) and product", async () => {
    const a = await paid(ids.buyer, [{ sku: "tea", qty: 1 }]);
    const b = await paid(ids.other, [{ sku: "earbuds", qty: 1 }], new Date("2026-03-11T17:30:00Z")); // 3-12 01:30 Shanghai
    const c = await run(t0, (ctx) => createOrder(ctx, { memberId: ids.buyer, lines: [{ sku: "earbuds", qty: 2 }] }));
    const api = operator.caller;
    const nos = async (f: Parameters<typeof api.merchantOrder.search>[0]) => (await api.merchantOrder.search(f)).items.map((i) => i.orderNo).sort();

    expect(await api.merchantOrder.search({})).toMatchObject({ total: 3, more: false });
    // Counted up to a cap (10 000 in the app): past it the list says "2+" and the page still has its rows.
    const capped = await searchOrders({ tx: database.prisma, config }, { pageSize: 20 }, 2);
    expect([capped.total, capped.more, capped.items.length]).toEqual([2, true, 3]);
    // The whole-number lookup relies on the format orders are numbered in.
    expect([a.orderNo, b.orderNo, c.orderNo].every((n) => ORDER_NO_RE.test(n))).toBe(true);
    expect(await nos({ orderNo: a.orderNo.slice(-6) })).toEqual([a.orderNo]);
    expect(await nos({ orderNo: ` ${a.orderNo} ` })).toEqual([a.orderNo]);
    // Typed in lower case, the whole number and a part of it still find the order.
    expect(await nos({ orderNo: a.orderNo.toLowerCase() })).toEqual([a.orderNo]);
    // Order numbers carry the merchant's day they were placed: a and c on 2026-03-10; b at 01:30 on
    // 2026-03-12 in Shanghai (still 03-11 in UTC), so its number says the 12th, as its buyer's calendar.
    expect(await nos({ orderNo: "fm20260310" })).toEqual([a.orderNo, c.orderNo].sort());
    expect(await nos({ orderNo: "0260312" })).toEqual([b.orderNo]);
    expect(await nos({ orderNo: "0260311" })).toEqual([]);
    expect(await nos({ phone: "138 0013 8000" })).toEqual([a.orderNo, c.orderNo].sort());
    expect(await nos({ phone: "+8613700137000" })).toEqual([b.orderNo]);
    expect(await nos({ phone: "13600136000" })).toEqual([]);
    expect(await refusal(api.merchantOrder.search({ phone: "1380013" }))).toMatchObject({ code: "BAD_REQUEST", message: "请输入完整的 11 位手机号" });
    expect(await nos({ status: "PENDING_PAYMENT" })).toEqual([c.orderNo]);
    // Dates are merchant (Shanghai) calendar days: b was placed on 3-12 local time.
    expect(await nos({ from: "2026-03-12", to: "2026-03-12" })).toEqual([b.orderNo]);
    expect(await nos({ from: "2026-03-10", to: "2026-03-11" })).toEqual([a.orderNo, c.orderNo].sort());
    expect(await nos({ product: "耳机" })).toEqual([b.orderNo, c.orderNo].sort());
    expect(await nos({ product: "tea" })).toEqual([a.orderNo]);
    expect(await nos({ phone: "13800138000", product: "耳机", status: "PENDING_PAYMENT" })).toEqual([c.orderNo]);

    const sorted = await api.merchantOrder.search({ sort: "goodsFen.desc", pageSize: 2 });
    expect(sorted.items.map((i) => i.goodsFen)).toEqual([60000, 30000]);
    expect((await api.merchantOrder.search({ sort: "goodsFen.desc", pageSize: 2, page: 2 })).items.map((i) => i.goodsFen)).toEqual([10000]);
    // By payment time: the latest payment first, orders not paid last (either way).
    const byPaid = async (sort: "paidAt.desc" | "paidAt.asc") => (await api.merchantOrder.search({ sort })).items.map((i) => i.orderNo);
    expect(await byPaid("paidAt.desc")).toEqual([b.orderNo, a.orderNo, c.orderNo]);
    expect(await byPaid("paidAt.asc")).toEqual([a.orderNo, b.orderNo, c.orderNo]);
    // No phone in clear in the results.
    expect(JSON.stringify(await api.merchantOrder.search({}))).not.toContain("13800138000");
  });

  it("is refused to shoppers; support may read but not ship", async () => {
    expect(await refusal(callerFor(database.prisma, ids.buyer).merchantOrder.search({}))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(callerFor(database.prisma, null).merchantOrder.detail({ id: 1 }))).toMatchObject({ code: "UNAUTHORIZED" });
    const o = await paid(ids.buyer, [{ sku: "tea", qty: 1 }]);
    expect((await support.caller.merchantOrder.search({})).total).toBe(1);
    expect(await refusal(support.caller.merchantOrder.shipWithTracking({ id: o.id, carrier: "SF", trackingNo: "SF1234567890" }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(support.caller.merchantOrder.bulkShip({ csv: `订单号,物流公司,运单号\n${o.orderNo},SF,SF1234567890` }))).toMatchObject({ code: "FORBIDDEN" });
    // Support sees the address masked; the operator who ships sees it whole.
    expect((await support.caller.merchantOrder.detail({ id: o.id })).address).toBe("王** 139****5678 浙江省 杭州市 西湖区 ****");
    expect((await operator.caller.merchantOrder.detail({ id: o.id })).address).toBe(ADDRESS);
  });
});

describe("order detail", () => {
  it("shows lines, payment, upline chain, and each commission with why this amount", async () => {
    const o = await paid(ids.buyer, [{ sku: "tea", qty: 2 }, { sku: "earbuds", qty: 1 }]);
    const d = await operator.caller.merchantOrder.detail({ id: o.id });
    expect(d.lines.map((l) => [l.sku, l.qty, l.goodsFen, l.category, l.categoryName])).toEqual([["earbuds", 1, 30000, "digital", "数码"], ["tea", 2, 20000, "tea", "茶"]]);
    expect(d.payment).toMatchObject({ provider: "sandbox", amountFen: 50000, status: "PAID" });
    expect(d.upline.map((u) => [u.depth, u.id, u.earnsLevel])).toEqual([[1, ids.mid, 1], [2, ids.top, 2]]);
    // L1: 30000 × 3% (digital override) + 20000 × 10% (default) = 900 + 2000.
    expect(d.commissions.map((c) => [c.level, c.beneficiary.id, c.amountFen, c.status])).toEqual([[1, ids.mid, 2900, "PENDING"], [2, ids.top, 1300, "PENDING"]]);
    const l1 = d.commissions[0]!;
    expect(l1.why.lines.map((l) => [l.category, l.baseFen, l.rateBps, l.rule, l.amountFen])).toEqual([["digital", 30000, 300, "category", 900], ["tea", 20000, 1000, "default", 2000]]);
    expect(l1.why).toMatchObject({ tree: "sponsor", baseFen: 50000, recomputedFen: 2900, matches: true });
    expect(l1.history.map((h) => h.status)).toEqual(["PENDING"]);
    expect(d.rebateTask).toMatchObject({ status: "OPEN", n: 3, percent: 100, cashbackFen: 50000, why: { anchorGoodsFen: 50000 } });
    expect(d.timeline.map((e) => e.kind)).toEqual(["created", "paid"]);
    expect(d.address).toBe(ADDRESS);
  });

  it("after a refund the commissions are VOID with their history and the timeline shows the request", async () => {
    const o = await paid(ids.buyer, [{ sku: "tea", qty: 1 }]);
    const boss = operator.caller;
    await boss.merchantOrder.shipWithTracking({ id: o.id, carrier: "SF", trackingNo: "SF1234567890" });
    const { id } = await callerFor(database.prisma, ids.buyer).order.requestRefund({ id: o.id, reason: "damaged" });
    await boss.merchantAfterSales.approve({ id });
    const d = await boss.merchantOrder.detail({ id: o.id });
    expect(d.commissions.map((c) => [c.level, c.status, c.history.map((h) => h.status)])).toEqual([[1, "VOID", ["PENDING", "VOID"]], [2, "VOID", ["PENDING", "VOID"]]]);
    expect(d.rebateTask?.status).toBe("VOID");
    // The sandbox provider paid the refund back at once: 发起退款, then 退款成功.
    expect(d.timeline.map((e) => e.kind)).toEqual(["created", "paid", "shipped", "refund_requested", "refund_approved", "refunded", "refund_done"]);
    // Codes and facts, worded by the viewer's language on the page (app/merchant/orders/[id]/timeline.ts).
    expect(d.timeline.find((e) => e.kind === "shipped")).toMatchObject({ carrier: "SF", trackingNo: "SF1234567890" });
    expect(d.timeline.find((e) => e.kind === "refund_requested")).toMatchObject({ reason: "damaged", detail: null });
    expect(d.timeline.find((e) => e.kind === "paid")).toMatchObject({ provider: "sandbox", providerTxnId: d.payment!.providerTxnId });
    expect(JSON.stringify(d.timeline)).not.toMatch(/[\u4e00-\u9fff]/);
    // The provider's refund entries are on the order too, and every actor is named.
    expect(d.audit.map((a) => a.action)).toEqual(expect.arrayContaining(["order.ship", "aftersales.requested", "aftersales.approved", "payment.refund_sent"]));
    const ship = d.audit.find((a) => a.action === "order.ship")!;
    const staff = await database.prisma.staffAccount.findUniqueOrThrow({ where: { id: ship.actorId! } });
    expect(ship.actorName).toBe(staff.displayName);
    const buyer = await database.prisma.member.findUniqueOrThrow({ where: { id: ids.buyer } });
    expect(d.audit.find((a) => a.action === "aftersales.requested")).toMatchObject({ actorType: "member", actorId: ids.buyer, actorName: buyer.nickname ?? buyer.username });
    expect(d.audit.find((a) => a.action === "payment.refund_sent")).toMatchObject({ actorType: "system", actorName: null });
  });

  it("masks the address: name, phone and street", async () => {
    expect(maskAddress(ADDRESS)).toBe("王** 139****5678 浙江省 杭州市 西湖区 ****");
    const o = await paid(ids.buyer, [{ sku: "tea", qty: 1 }]);
    const d = await merchantOrderDetail({ tx: database.prisma, config }, o.id, { revealAddress: false });
    expect(d?.address).toBe("王** 139****5678 浙江省 杭州市 西湖区 ****");
    expect(d?.addressMasked).toBe(true);
    expect(JSON.stringify(d)).not.toContain("文三路");
  });

  it("masks the address whatever its spaces: a two-part region, a name with a space, a three-part region (support, through the router)", async () => {
    // Checked out from the shopper's address book, as the shop writes the order's address.
    const shopper = callerFor(database.prisma, ids.buyer);
    const viaAddress = async (addr: { name: string; phone: string; areaCode?: string; region?: string; detail: string }) => {
      const a = await shopper.address.add(addr);
      const p = await shopper.order.place({ source: { kind: "buyNow", sku: "tea", qty: 1 }, addressId: a.id, useCredit: false });
      await run(t0, (ctx) => confirmPayment(ctx, { orderId: p.orderId, provider: "sandbox", providerTxnId: `SBX-${p.orderId}`, amountFen: p.payableFen, currency: "CNY" }));
      return { support: await support.caller.merchantOrder.detail({ id: p.orderId }), operator: await operator.caller.merchantOrder.detail({ id: p.orderId }) };
    };
    const cases = [
      // A municipality from the picker: "上海市 浦东新区", two parts.
      [{ name: "王小明", phone: "13912345678", areaCode: "310115", detail: "世纪大道100号3栋501室" }, "王小明 13912345678 上海市 浦东新区 世纪大道100号3栋501室", "王** 139****5678 上海市 浦东新区 ****"],
      // A recipient name with a space.
      [{ name: "Li Lei", phone: "13912345678", region: "浙江省 杭州市 西湖区", detail: "文三路100号" }, "Li Lei 13912345678 浙江省 杭州市 西湖区 文三路100号", "L***** 139****5678 浙江省 杭州市 西湖区 ****"],
      // A province, city and county from the picker, the street with spaces.
      [{ name: "张三", phone: "13800138000", areaCode: "440305", detail: "科技园 南区 1 栋" }, "张三 13800138000 广东省 深圳市 南山区 科技园 南区 1 栋", "张* 138****8000 广东省 深圳市 南山区 ****"],
    ] as const;
    for (const [addr, whole, masked] of cases) {
      const d = await viaAddress(addr);
      expect(d.operator.address).toBe(whole);
      expect(d.support.address).toBe(masked);
      expect(d.support.addressMasked).toBe(true);
      expect(JSON.stringify(d.support)).not.toContain(addr.phone);
      expect(JSON.stringify(d.support)).not.toContain(addr.detail.split(" ")[0]);
    }
  });

  it("masks everything but a known region when the address is not understood", () => {
    // A free-text region the picker never writes: the whole place is masked.
    expect(maskAddress("王小明 13912345678 浙江杭州 文三路 100 号")).toBe("王** 139****5678 ****");
    // A street that starts like a region after a municipality is still masked.
    expect(maskAddress("王小明 13912345678 北京市 东城区 东城区 王府井大街 1 号")).toBe("王** 139****5678 北京市 东城区 ****");
    // No mobile number where one belongs: nothing but the mask.
    expect(maskAddress("地址")).toBe("****");
    expect(maskAddress("王小明 139 1234 5678 浙江省 杭州市 西湖区 文三路")).toBe("****");
    // An 11-digit number in the name: the real phone is not taken for a region.
    expect(maskAddress("A 13800000000 13912345678 浙江省 杭州市 西湖区 文三路")).toBe("* 138****0000 ****");
  });
});

describe("shipping", () => {
  it("ships one order with carrier and tracking number; refuses a bad tracking number and a second shipment", async () => {
    const o = await paid(ids.buyer, [{ sku: "tea", qty: 1 }]);
    const api = operator.caller;
    expect(await refusal(api.merchantOrder.shipWithTracking({ id: o.id, carrier: "SF", trackingNo: "12" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await api.merchantOrder.shipWithTracking({ id: o.id, carrier: "ZTO", trackingNo: "zt7788990011" })).toMatchObject({ carrier: "ZTO", trackingNo: "ZT7788990011" });
    expect(await refusal(api.merchantOrder.shipWithTracking({ id: o.id, carrier: "SF", trackingNo: "SF0000000001" }))).toMatchObject({ code: "BAD_REQUEST" });
    const s = await database.prisma.shipment.findUniqueOrThrow({ where: { orderId: o.id } });
    expect([s.carrier, s.trackingNo, s.shippedById]).toEqual(["ZTO", "ZT7788990011", operator.id]);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("SHIPPED");
    expect(await refusal(api.merchantOrder.shipWithTracking({ id: 999_999, carrier: "SF", trackingNo: "SF0000000001" }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("bulk CSV: every row's error is reported and nothing is shipped; a clean file ships every row", async () => {
    const [a, b, c] = [await paid(ids.buyer, [{ sku: "tea", qty: 1 }]), await paid(ids.other, [{ sku: "tea", qty: 1 }]), await paid(ids.buyer, [{ sku: "tea", qty: 1 }])];
    const unpaid = await run(t0, (ctx) => createOrder(ctx, { memberId: ids.buyer, lines: [{ sku: "tea", qty: 1 }] }));
    const api = operator.caller;
    const bad = [
      "\uFEFF订单号,物流公司,运单号",
      `${a.orderNo},顺丰速运,SF100000001`,
      `${b.orderNo},火星快递,X100000002`,
      `${unpaid.orderNo},ZTO,ZT100000003`,
      `NOPE123,SF,SF100000004`,
      `${a.orderNo},SF,SF100000005`,
      `${c.orderNo},中通,##`,
    ].join("\r\n");
    const r1 = await api.merchantOrder.bulkShip({ csv: bad });
    expect(r1.ok).toBe(false);
    if (r1.ok) return;
    expect(r1.errors.map((e) => [e.line, e.message])).toEqual([
      [3, "未知的物流公司：火星快递"],
      [4, "订单状态为「待付款」，不能发货"],
      [5, "订单不存在"],
      [6, "订单号与第 2 行重复"],
      [7, "运单号格式不正确：##"],
    ]);
    const statuses = async () => (await database.prisma.order.findMany({ where: { id: { in: [a.id, b.id, c.id] } }, orderBy: { id: "asc" } })).map((o) => o.status);
    expect(await statuses()).toEqual(["PAID", "PAID", "PAID"]);
    expect(await database.prisma.shipment.count()).toBe(0);

    const good = ["orderNo,carrier,trackingNo", `${a.orderNo},顺丰,SF100000001`, `${b.orderNo},yto,YT100000002`, "", `${c.orderNo},京东物流,JD100000003`, ""].join("\n");
    expect(await api.merchantOrder.bulkShip({ csv: good })).toMatchObject({ ok: true, shipped: 3 });
    expect(await statuses()).toEqual(["SHIPPED", "SHIPPED", "SHIPPED"]);
    expect((await database.prisma.shipment.findMany({ orderBy: { orderId: "asc" } })).map((s) => s.carrier)).toEqual(["SF", "YTO", "JD"]);
    expect(await database.prisma.auditLog.count({ where: { action: "order.ship", actorType: "staff", actorId: operator.id } })).toBe(3);
    // The same file again: every row is now refused, nothing changes.
    const again = await api.merchantOrder.bulkShip({ csv: good });
    expect(again.ok ? [] : again.errors.map((e) => e.line)).toEqual([2, 3, 5]);
    expect(await refusal(api.merchantOrder.bulkShip({ csv: "a,b\n1,2" }))).toMatchObject({ code: "BAD_REQUEST", message: "表头应为：订单号,物流公司,运单号" });
  });

  it("the form's carrier list is the engine's", () => {
    expect([...SHIP_CARRIERS].sort()).toEqual([...CARRIER_CODES].sort());
    expect([carrierCode("顺丰"), carrierCode("sf"), carrierCode("中国邮政 EMS"), carrierCode("火星")]).toEqual(["SF", "SF", "EMS", null]);
  });
});

describe("capped list totals", () => {
  it("shows the count up to the cap, and past it the cap with more", () => {
    expect(cappedTotal(0)).toEqual({ total: 0, more: false });
    expect(cappedTotal(LIST_COUNT_CAP)).toEqual({ total: 10_000, more: false });
    expect(cappedTotal(LIST_COUNT_CAP + 1)).toEqual({ total: 10_000, more: true });
  });
});
