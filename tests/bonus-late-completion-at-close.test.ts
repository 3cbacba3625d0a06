// A completion due at the very instant of March's close (1 April 00:00) is April's sale, but it is in the gmv90 taken at
// that instant (SPEC §8: windows include both ends), by which March's team bonus judges who is a partner (SPEC §7): the
// scheduler runs it before the bonuses. Dead-lettered, it is not waited for, and a staff retry after 1 April performs it
// dated 1 April 00:00: the 1 May run judges March again with it, as a late run of March, and pays a partner it now makes
// on March's own base (the stepped bonus counts the sale in April only).
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../server/orders";
import { ensureRecurringTransitions, runDueTransitions } from "../server/scheduler";
import { retryFailedJob } from "../server/scheduler/failed";
import { freshDatabase } from "./helpers/db";
import { teaShop } from "./helpers/shop";

// Partner: gmv90 of 200 元; team bonus 2%; stepped bonus 5% from the first fen; a 7-day return window (the default).
const config = parseConfig({
  commission: { enabled: false },
  rebate: { enabled: false },
  tiers: [{ name: "member" }, { name: "partner", minGmv90Fen: 20_000 }],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 0, bps: 500 }] },
});
const at = (local: string) => new Date(`${local}+08:00`);
let database: Database;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
});
afterEach(() => database.close());

async function tick(db: Db, now: Date) {
  await inTx(db, { now }, (ctx) => ensureRecurringTransitions(ctx));
  await runDueTransitions(db, now, { clock: "wall", now });
}

const paid = async (db: Db) => ({
  team: await db.teamBonus.findMany({ orderBy: [{ memberId: "asc" }, { month: "asc" }], select: { memberId: true, month: true, baseFen: true, amountFen: true } }),
  step: await db.stepBonus.findMany({ orderBy: [{ memberId: "asc" }, { month: "asc" }], select: { memberId: true, month: true, salesFen: true, amountFen: true } }),
});

it("a completion at March's close, dead-lettered and retried after it, makes its buyer's sponsor March's partner by the 1 May run", async () => {
  const db = database.prisma;
  await teaShop(db);
  const march2 = at("2026-03-02T09:00:00");
  await inTx(db, { now: march2 }, (ctx) => ensureRecurringTransitions(ctx));
  const s = await inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username: "s", ip: "10.2.0.1", device: "d-s" }));
  const b = await inTx(db, { now: march2 }, (ctx) => registerMember(ctx, { username: "b", sponsorId: s.id, ip: "10.2.0.2", device: "d-b" }));
  // b buys two 100 元 teas on 2 March: o1 shipped and received on 2 March 10:00 (completes 9 March 10:00), o2 shipped on
  // 20 March and received on 25 March 00:00 (completes at 1 April 00:00, the instant March closes).
  const buy = async (shipped: Date, received: Date) => {
    const o = await inTx(db, { now: march2 }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { now: march2 }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    await inTx(db, { now: shipped }, (ctx) => shipOrder(ctx, o.id));
    await inTx(db, { now: received }, (ctx) => confirmDelivery(ctx, o.id));
    return o;
  };
  const o1 = await buy(march2, at("2026-03-02T10:00:00"));
  const o2 = await buy(at("2026-03-20T09:00:00"), at("2026-03-25T00:00:00"));
  expect([o1.goodsFen, o2.goodsFen]).toEqual([10_000, 10_000]);
  await tick(db, at("2026-03-09T10:00:00"));
  // o2's completion fails 8 times: dead-lettered, it does not hold March's bonuses back.
  const dead = at("2026-03-31T23:59:00");
  await db.dueTransition.updateMany({ where: { kind: "ORDER_COMPLETE", refId: o2.id }, data: { attempts: 8, lastError: "Error: x", deadAt: dead, nextAttemptAt: dead } });
  await tick(db, at("2026-04-01T00:05:00"));
  // 1 April without o2: s's gmv90 is 10 000 (not a partner), no team bonus; step: March's direct sales o1, 5% = 500.
  expect(await paid(db)).toEqual({ team: [], step: [{ memberId: s.id, month: "2026-03", salesFen: 10_000n, amountFen: 500 }] });

  const staff = await db.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "owner", passwordHash: "x", createdAt: march2 } });
  const retryAt = at("2026-04-03T10:00:00");
  const row = await db.dueTransition.findFirstOrThrow({ where: { kind: "ORDER_COMPLETE", refId: o2.id } });
  await inTx(db, { now: retryAt }, (ctx) => retryFailedJob(ctx, { staffId: staff.id }, { type: "transition", id: row.id }));
  await tick(db, retryAt);
  expect(await db.order.findUniqueOrThrow({ where: { id: o2.id }, select: { status: true, completedAt: true } })).toEqual({ status: "COMPLETED", completedAt: at("2026-04-01T00:00:00") });

  await tick(db, at("2026-05-01T00:05:00"));
  // With o2, s's gmv90 at 1 April 00:00 was 20 000: a partner then, paid March's 2% of its March base (o1: 10 000) = 200.
  // April: o2 is April's sale (team base 10 000, 200; step 5% = 500), s a partner at 1 May (gmv90 20 000). b was a partner
  // at both instants too (its own 20 000) but has no downline sale: nothing.
  const expected = {
    team: [
      { memberId: s.id, month: "2026-03", baseFen: 10_000n, amountFen: 200 },
      { memberId: s.id, month: "2026-04", baseFen: 10_000n, amountFen: 200 },
    ],
    step: [
      { memberId: s.id, month: "2026-03", salesFen: 10_000n, amountFen: 500 },
      { memberId: s.id, month: "2026-04", salesFen: 10_000n, amountFen: 500 },
    ],
  };
  expect(await paid(db)).toEqual(expected);
  expect(Number((await db.wallet.findUniqueOrThrow({ where: { memberId: s.id } })).available)).toBe(1_400);

  // The next months' runs correct nothing more (1 June judges March again: it is paid).
  await tick(db, at("2026-06-01T00:05:00"));
  await tick(db, at("2026-07-01T00:05:00"));
  expect(await paid(db)).toEqual(expected);
  expect(Number((await db.wallet.findUniqueOrThrow({ where: { memberId: s.id } })).available)).toBe(1_400);
});
