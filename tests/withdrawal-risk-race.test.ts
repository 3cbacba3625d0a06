// SPEC §8 with §6: a withdrawal request and a risk flag raised on its member at the same time are ordered: either the
// flag commits first and the request reads it (one person decides, 风控待审), or the request commits first and raising
// the flag sends the withdrawal, approved automatically and not yet paid, to one person in the flag's transaction.
// Never an automatic approval beside an open flag. The flag here is a checkout's shared_address, the path that holds
// only a key share on the buyer's row (a payment or refund updates it, which a request's share lock waits for anyway).
// Needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { createOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { requestWithdrawal } from "../server/wallet/withdrawals";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { nextTestIdNumber } from "./helpers/id-numbers";

let database: Database;
// 10:00 on 1 December 2026, merchant time (Asia/Shanghai).
const NOW = new Date("2026-12-01T02:00:00Z");
const HUNDRED = 10_000;
const ADDRESS = "浙江省杭州市西湖区文三路 1 号";

const at = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { now: NOW }, fn);

let seq = 0;
/** A verified buyer with 1 000 元 available whose sponsor has ordered to ADDRESS: the buyer's order there flags them (shared_address). */
async function buyerBesideSponsor(): Promise<number> {
  seq += 1;
  const sponsor = (await at((ctx) => registerMember(ctx, { username: `s${seq}`, ip: `10.1.${seq}.1`, device: `dev-s-${seq}` }))).id;
  await at((ctx) => createOrder(ctx, { memberId: sponsor, lines: [{ sku: "tea", qty: 1 }], address: ADDRESS }));
  const buyer = (await at((ctx) => registerMember(ctx, { username: `b${seq}`, sponsorId: sponsor, ip: `10.2.${seq}.1`, device: `dev-b-${seq}` }))).id;
  await at((ctx) => fromMerchant(ctx, `fund:${buyer}`, "test", "merchant:commission", buyer, "available", 100_000));
  await at((ctx) => verifyIdentity(ctx, buyer, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  return buyer;
}

const order = (ctx: Ctx, memberId: number) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: ADDRESS });
const flagsOf = (memberId: number) => database.prisma.riskFlag.count({ where: { memberId, status: "OPEN" } });

/** Until some transaction of this database waits for a lock (at most 5 s: without the ordering nothing waits). */
async function someoneWaits(): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    const [w] = await database.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (w!.n > 0) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/** A transaction that runs `fn`, then holds until `release` is called; `ran` resolves once `fn` is done. */
function held<T>(fn: (ctx: Ctx) => Promise<T>) {
  let release!: () => void;
  let ran!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const done = new Promise<void>((r) => (ran = r));
  const tx = at(async (ctx) => {
    const out = await fn(ctx);
    ran();
    await gate;
    return out;
  });
  return { tx, ran: done, release };
}

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 1_000 });
});
afterEach(() => database.close());

describe.runIf(usingPostgres())("a risk flag raised by a checkout at the same time as a withdrawal request", () => {
  it("raised first, not yet committed: the request waits for it, reads it and holds the withdrawal for a person", async () => {
    const m = await buyerBesideSponsor();
    const checkout = held((ctx) => order(ctx, m));
    await checkout.ran;
    const request = at((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    const waited = await someoneWaits();
    checkout.release();
    await checkout.tx;
    expect(await flagsOf(m)).toBe(1);
    expect(await request).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1, failReason: "风控待审" });
    expect(waited).toBe(true);
  });

  it("requested first, not yet committed: the flag waits for it, then sends the withdrawal to a person with it", async () => {
    const m = await buyerBesideSponsor();
    const request = held((ctx) => requestWithdrawal(ctx, m, HUNDRED));
    await request.ran;
    const checkout = at((ctx) => order(ctx, m));
    const waited = await someoneWaits();
    request.release();
    const w = await request.tx;
    // Approved automatically when it committed (no flag yet) ...
    expect(w).toMatchObject({ status: "APPROVED", approvalsNeeded: 0 });
    await checkout;
    expect(await flagsOf(m)).toBe(1);
    // ... and sent to a person by the flag's transaction.
    expect(await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).toMatchObject({ status: "PENDING_REVIEW", approvalsNeeded: 1, failReason: "风控待审" });
    const trail = await database.prisma.auditLog.findMany({ where: { target: `withdrawal:${w.id}` }, orderBy: { id: "asc" } });
    expect(trail.map((a) => a.action)).toEqual(["withdrawal.requested", "withdrawal.auto_approved", "withdrawal.risk_held"]);
    expect(waited).toBe(true);
  });

  it("many at once: no withdrawal stays approved automatically beside an open flag", async () => {
    const members = [];
    for (let i = 0; i < 8; i++) members.push(await buyerBesideSponsor());
    await Promise.all(members.flatMap((m) => [at((ctx) => order(ctx, m)), at((ctx) => requestWithdrawal(ctx, m, HUNDRED))]));
    const rows = await database.prisma.withdrawal.findMany({ where: { memberId: { in: members } }, select: { status: true, approvalsNeeded: true, failReason: true } });
    expect(rows).toHaveLength(members.length);
    for (const r of rows) expect(r).toEqual({ status: "PENDING_REVIEW", approvalsNeeded: 1, failReason: "风控待审" });
  });
});
