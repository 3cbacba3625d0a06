// 优先发货 (SPEC §7: tiers carry benefits, "flags such as priority shipping"): an order records, in the statement that
// marks it paid, whether the buyer's tier at that moment carries priority shipping under the order's rule version. Staff
// see it as a badge, filter by it (仅优先发货), ship those first (待发货 lists them first) and export it; the shopper sees
// it on the order. A later change of tier or of rules does not change it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig, type MallConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, refundOrder, shipOrder } from "../server/orders";
import { getMemberOrder } from "../server/orders/view";
import { orderExportRows } from "../server/exports/orders";
import { exportDefinition } from "../server/exports/registry";
import { csvStream, exportTranslator } from "../server/exports/csv";
import { createSimpleProduct } from "../server/catalog/admin";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

// By hand: a partner needs one qualified direct, and only the partner tier ships first.
const config = parseConfig({
  tiers: [
    { name: "member", label: "会员" },
    { name: "partner", label: "合伙人", minDirects: 1, benefits: { priorityShipping: true } },
  ],
});
const noPriority = parseConfig({ tiers: [{ name: "member" }, { name: "partner", minDirects: 1 }] });

const t0 = new Date("2026-03-10T02:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let database: Database;
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>, rules: MallConfig = config) => inTx(database.prisma, { config: rules, now }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "西湖龙井", priceFen: 10_000, category: "tea", stock: 100 });
});
afterEach(() => database.close());

const register = (username: string, sponsorId?: number) => run(t0, (ctx) => registerMember(ctx, { username, nickname: username, sponsorId, ip: username, device: username }));
const place = (memberId: number, now: Date, rules?: MallConfig) => run(now, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }), rules);
const pay = (o: { id: number; payableFen: number }, now: Date, rules?: MallConfig) =>
  run(now, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" }), rules);
const flag = async (orderId: number) => (await database.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).priorityShipping;
const tierOf = async (memberId: number) => (await database.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).tier;

/**
 * 王 becomes a partner when his direct 李 pays (one qualified direct). Orders, oldest first: 王's (placed as a member at
 * t0, paid at +3 as a partner), 李's (+1, a member), 周's (+2, a member, no sponsor).
 */
async function shop() {
  const wang = await register("wang");
  const li = await register("li", wang.id);
  const zhou = await register("zhou");
  const wangOrder = await place(wang.id, at(0));
  const liOrder = await place(li.id, at(1));
  await pay(liOrder, at(1));
  const zhouOrder = await place(zhou.id, at(2));
  await pay(zhouOrder, at(2));
  expect(await tierOf(wang.id)).toBe("partner");
  await pay(wangOrder, at(3));
  return { wang, li, zhou, wangOrder, liOrder, zhouOrder };
}

describe("an order paid by a buyer whose tier carries priority shipping", () => {
  it("is flagged; a member's is not, nor an unpaid order", async () => {
    const s = await shop();
    expect(await flag(s.wangOrder.id)).toBe(true);
    expect(await flag(s.liOrder.id)).toBe(false);
    expect(await flag(s.zhouOrder.id)).toBe(false);
    const unpaid = await place(s.wang.id, at(4));
    expect(await flag(unpaid.id)).toBe(false);
  });

  it("keeps its flag when the buyer's tier falls later, and after shipping; a member's later order is not flagged", async () => {
    const s = await shop();
    // 李's refund takes 王's only qualified direct: he is a member again.
    expect((await run(at(5), (ctx) => refundOrder(ctx, s.liOrder.id))).refunded).toBe(true);
    expect(await tierOf(s.wang.id)).toBe("member");
    expect(await run(at(6), (ctx) => shipOrder(ctx, s.wangOrder.id))).toBe(true);
    expect(await flag(s.wangOrder.id)).toBe(true);
    const later = await place(s.wang.id, at(7));
    await pay(later, at(7));
    expect(await flag(later.id)).toBe(false);
  });

  it("follows the tiers of the rule version the order records: the one in force at payment", async () => {
    const wang = await register("wang");
    const li = await register("li", wang.id);
    await pay(await place(li.id, at(1)), at(1));
    expect(await tierOf(wang.id)).toBe("partner");
    // Version 1 (from t0) gives partners priority shipping; version 2 (from +10) no longer does.
    const db = database.prisma;
    const v1 = await db.ruleVersion.create({ data: { version: 1, config: config as object, reason: "v1", createdAt: t0, effectiveAt: t0 } });
    const v2 = await db.ruleVersion.create({ data: { version: 2, config: noPriority as object, reason: "v2", createdAt: t0, effectiveAt: at(10) } });
    const versioned = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(db, { now }, fn);
    const pay1 = await versioned(at(2), (ctx) => createOrder(ctx, { memberId: wang.id, lines: [{ sku: "tea", qty: 1 }] }));
    const pay2 = await versioned(at(3), (ctx) => createOrder(ctx, { memberId: wang.id, lines: [{ sku: "tea", qty: 1 }] }));
    const confirm = (o: { id: number; payableFen: number }) => (ctx: Ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" });
    await versioned(at(4), confirm(pay1));
    await versioned(at(11), confirm(pay2));
    const read = (id: number) => db.order.findUniqueOrThrow({ where: { id }, select: { ruleVersionId: true, priorityShipping: true } });
    expect(await read(pay1.id)).toEqual({ ruleVersionId: v1.id, priorityShipping: true });
    // Placed under version 1, paid under version 2: version 2's tiers count.
    expect(await read(pay2.id)).toEqual({ ruleVersionId: v2.id, priorityShipping: false });
  });

  it("without a version in force, an order recording one follows that version's tiers", async () => {
    const wang = await register("wang");
    const li = await register("li", wang.id);
    await pay(await place(li.id, at(1)), at(1));
    const v1 = await database.prisma.ruleVersion.create({ data: { version: 1, config: config as object, reason: "v1", createdAt: t0, effectiveAt: t0 } });
    const o = await inTx(database.prisma, { now: at(2) }, (ctx) => createOrder(ctx, { memberId: wang.id, lines: [{ sku: "tea", qty: 1 }] }));
    // Paid by a caller holding other rules and no version (ctx.ruleVersionId null): the order's version 1 decides.
    await pay(o, at(3), noPriority);
    expect(await database.prisma.order.findUniqueOrThrow({ where: { id: o.id }, select: { ruleVersionId: true, priorityShipping: true } })).toEqual({ ruleVersionId: v1.id, priorityShipping: true });
  });
});

describe("the back office", () => {
  it("仅优先发货 lists only flagged orders; 待发货 lists them first, in every sort; other lists keep the sort alone", async () => {
    const s = await shop();
    const { caller } = await signedInStaff(database.prisma, "operator");
    const nos = async (f: Parameters<typeof caller.merchantOrder.search>[0]) => (await caller.merchantOrder.search(f)).items.map((i) => i.id);
    expect(await nos({ priority: true })).toEqual([s.wangOrder.id]);
    expect(await nos({ priority: true, status: "PAID" })).toEqual([s.wangOrder.id]);
    expect((await caller.merchantOrder.search({})).items.find((i) => i.id === s.wangOrder.id)?.priorityShipping).toBe(true);
    expect((await caller.merchantOrder.search({})).items.find((i) => i.id === s.zhouOrder.id)?.priorityShipping).toBe(false);
    // 王's order is the oldest and the cheapest-equal: only its flag puts it first.
    expect(await nos({ status: "PAID" })).toEqual([s.wangOrder.id, s.zhouOrder.id, s.liOrder.id]);
    expect(await nos({ status: "PAID", sort: "createdAt.asc" })).toEqual([s.wangOrder.id, s.liOrder.id, s.zhouOrder.id]);
    expect(await nos({ status: "PAID", sort: "paidAt.desc" })).toEqual([s.wangOrder.id, s.zhouOrder.id, s.liOrder.id]);
    expect(await nos({ status: "PAID", pageSize: 1, page: 2 })).toEqual([s.zhouOrder.id]);
    expect(await nos({})).toEqual([s.zhouOrder.id, s.liOrder.id, s.wangOrder.id]);
    // Once shipped it is no longer waiting: 待发货 lists the others.
    await run(at(6), (ctx) => shipOrder(ctx, s.wangOrder.id));
    expect(await nos({ status: "PAID" })).toEqual([s.zhouOrder.id, s.liOrder.id]);
  });

  it("the order's page says it", async () => {
    const s = await shop();
    const { caller } = await signedInStaff(database.prisma, "operator");
    expect((await caller.merchantOrder.detail({ id: s.wangOrder.id })).priorityShipping).toBe(true);
    expect((await caller.merchantOrder.detail({ id: s.zhouOrder.id })).priorityShipping).toBe(false);
  });

  it("the CSV has a 优先发货 column (是 / Yes), its priority=1 filter, and 待发货's rows in the list's order page after page", async () => {
    const s = await shop();
    const def = exportDefinition("orders")!;
    const csv = async (search: string, locale: "zh-CN" | "en") => {
      const stream = csvStream(def.columns("Asia/Shanghai", exportTranslator(locale)), def.rows(database.prisma, def.fromSearch(new URLSearchParams(search))!, "Asia/Shanghai"));
      const text = Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8").slice(1);
      // No cell here holds a comma or a quote.
      return text.trim().split(/\r?\n/).map((l) => l.split(","));
    };
    const [zhHeader, ...zhRows] = await csv("", "zh-CN");
    const col = zhHeader!.indexOf("优先发货");
    expect(col).toBeGreaterThan(-1);
    const byNo = new Map(zhRows.map((r) => [r[0], r[col]]));
    expect(byNo).toEqual(new Map([[s.wangOrder.orderNo, "是"], [s.liOrder.orderNo, ""], [s.zhouOrder.orderNo, ""]]));
    const [enHeader, ...enRows] = await csv("", "en");
    expect(enHeader![col]).toBe("Priority shipping");
    expect(enRows.find((r) => r[0] === s.wangOrder.orderNo)![col]).toBe("Yes");

    expect((await csv("priority=1", "zh-CN")).slice(1).map((r) => r[0])).toEqual([s.wangOrder.orderNo]);
    // One row a page: the cursor crosses from the priority orders to the others.
    const rows: number[] = [];
    for await (const r of orderExportRows(database.prisma, { status: "PAID" }, 1)) rows.push(r.id);
    expect(rows).toEqual([s.wangOrder.id, s.zhouOrder.id, s.liOrder.id]);
  });
});

describe("the shopper's order", () => {
  it("says 优先发货 on a flagged order only", async () => {
    const s = await shop();
    const view = (memberId: number, orderId: number) => run(at(5), (ctx) => getMemberOrder(ctx, memberId, orderId));
    expect((await view(s.wang.id, s.wangOrder.id))!.priorityShipping).toBe(true);
    expect((await view(s.zhou.id, s.zhouOrder.id))!.priorityShipping).toBe(false);
  });
});
