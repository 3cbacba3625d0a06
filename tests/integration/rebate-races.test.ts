// 推三返一 under concurrency (SPEC §5, §6): a payment, a refund and a removal on the same task each decide on
// its status, so each locks the task first. Without the lock (found in review, reproduced here): an anchor
// refunded while the n-th invitee's payment made the task MET left its cashback in `pending` forever; an
// invitee refunded meanwhile turned MET back to OPEN without reversing; two invitees of a MET task refunded at
// once reversed the cashback twice. Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping } from "../helpers/races";

// Defaults: commissions 10/5/2%, 推三返一 n = 3 at 100%. Commissions off here, so only cashback moves `pending`.
const config = parseConfig({ commission: { enabled: false } });
const t0 = new Date("2026-03-10T02:00:00Z");

describe.runIf(usingPostgres())("rebate tasks under concurrent payment and refunds", () => {
  let database: Database;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: t0 }, fn);

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.mallConfig.create({ data: { data: config as object } });
    await run(async (ctx) => {
      await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
      await createSimpleProduct(ctx.tx, { sku: "cup", name: "杯", priceFen: 5_000, category: "tea", stock: 100 });
      for (let i = 0; i < 6; i++) await createSimpleProduct(ctx.tx, { sku: `tea${i}`, name: `茶${i}`, priceFen: 10_000, category: "tea", stock: 100 });
    });
  });
  afterEach(() => database.close());

  async function network(invitees: number) {
    const s = (await run((ctx) => registerMember(ctx, { username: "s", ip: "9.9.9.9", device: "s" }))).id;
    const inv: number[] = [];
    for (let i = 0; i < invitees; i++) inv.push((await run((ctx) => registerMember(ctx, { username: `i${i}`, sponsorId: s, ip: `10.0.0.${i}`, device: `d${i}` }))).id);
    return { s, inv };
  }
  const order = (memberId: number, sku: string) => run((ctx) => createOrder(ctx, { memberId, lines: [{ sku, qty: 1 }] }));
  const payFor = (ctx: Ctx, o: { id: number; payableFen: number }) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" });
  const pay = async (memberId: number, sku: string) => {
    const o = await order(memberId, sku);
    await run((ctx) => payFor(ctx, o));
    return o.id;
  };
  const pending = async (memberId: number) => Number((await database.prisma.wallet.findUnique({ where: { memberId } }))?.pending ?? 0);

  it("the anchor refunded while the 3rd invitee's payment makes the task MET: VOID, and nothing left pending", async () => {
    const { s, inv } = await network(3);
    const anchor = await pay(s, "cup");
    await pay(inv[0]!, "tea0");
    await pay(inv[1]!, "tea1");
    const third = await order(inv[2]!, "tea2");
    await overlapping(run, (ctx) => payFor(ctx, third), (ctx) => refundOrder(ctx, anchor));
    expect((await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchor } })).status).toBe("VOID");
    // Cashback 5 000 accrued at MET and reversed at VOID.
    expect(await pending(s)).toBe(0);
  });

  it("an invitee refunded while the 3rd invitee's payment makes the task MET: OPEN with two, nothing pending", async () => {
    const { s, inv } = await network(3);
    const anchor = await pay(s, "cup");
    const first = await pay(inv[0]!, "tea0");
    await pay(inv[1]!, "tea1");
    const third = await order(inv[2]!, "tea2");
    await overlapping(run, (ctx) => payFor(ctx, third), (ctx) => refundOrder(ctx, first));
    const task = await database.prisma.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: anchor }, include: { assignments: true } });
    expect(task.status).toBe("OPEN");
    expect(task.assignments.filter((a) => a.removedAt === null).map((a) => a.inviteeId).sort()).toEqual([inv[1], inv[2]].sort());
    expect(await pending(s)).toBe(0);
  });

  it("two invitees of a MET task refunded at once reverse its cashback once; the other MET task's stays", async () => {
    const { s, inv } = await network(6);
    await pay(s, "cup");
    await pay(s, "cup");
    const paid: number[] = [];
    for (let i = 0; i < 6; i++) paid.push(await pay(inv[i]!, `tea${i}`));
    // Two MET tasks of 5 000 each.
    expect(await pending(s)).toBe(10_000);
    await overlapping(run, (ctx) => refundOrder(ctx, paid[0]!), (ctx) => refundOrder(ctx, paid[1]!));
    const tasks = await database.prisma.rebateTask.findMany({ where: { memberId: s }, orderBy: { id: "asc" } });
    expect(tasks.map((t) => t.status)).toEqual(["OPEN", "MET"]);
    expect(await pending(s)).toBe(5_000);
  });
});
