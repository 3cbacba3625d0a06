// SPEC §4 分销资格, "once a distributor, always one", for the status an `everyone` period gives: a rules
// save that leaves `everyone` stores nothing itself (one UPDATE of every member would hold the save's
// transaction open), the status is stored later in batches, and until then it still counts — also for a
// period scheduled in advance that ends before any nightly run could store it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment } from "../../server/orders";
import { distributorProgress, recordEveryoneDistributorsInBatches } from "../../server/distribution";
import { reviewTiers } from "../../server/tiers";
import { DAY, HOUR, MINUTE } from "../../server/clock/time";
import { payMonthlyStepBonus } from "../../server/bonus/step";
import { shipOrder, confirmDelivery, completeOrder } from "../../server/orders";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

type Mode = MallConfig["commission"]["distributorMode"];
type Tree = MallConfig["commission"]["tree"];
const rules = (mode: Mode, tree: Tree = "sponsor"): MallConfig => ({ ...defaultConfig, commission: { ...defaultConfig.commission, distributorMode: mode, tree } });

let database: Database;
const db = () => database.prisma;

beforeEach(async () => {
  database = await freshDatabase();
  await teaShop(db());
});
afterEach(() => database.close());

const save = (config: MallConfig, now: Date, effectiveAt?: Date) => saveRules(db(), null, { config, reason: `分销资格：${config.commission.distributorMode}`, effectiveAt }, now);
const member = (username: string, sponsorId: number | null, now: Date) => inTx(db(), { now }, (ctx) => registerMember(ctx, { username, sponsorId }));
async function pay(memberId: number, now: Date) {
  const o = await inTx(db(), { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await inTx(db(), { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o.id;
}
/** The L1 commission on an order: 10% (default L1 rate) of the 100 元 tea, earned or forfeited. */
const l1 = (orderId: number) => db().commission.findFirstOrThrow({ where: { orderId, level: 1 }, select: { beneficiaryId: true, amountFen: true, status: true } });
/** Every commission on an order, by level: L1 10%, L2 5% of the 100 元 tea (default rates). */
const commissions = (orderId: number) =>
  db().commission.findMany({ where: { orderId }, orderBy: { level: "asc" }, select: { beneficiaryId: true, level: true, amountFen: true, status: true } });
const since = async (id: number) => (await db().member.findUniqueOrThrow({ where: { id } })).distributorSince;
const progress = (id: number, now: Date) => inTx(db(), { now }, (ctx) => distributorProgress(ctx, id));
const distributorNotices = (memberId: number) => db().notification.count({ where: { memberId, kind: "distributor" } });

describe("switching away from `everyone` at once", () => {
  const t0 = new Date("2026-06-01T02:00:00Z");
  const at = (days: number) => new Date(t0.getTime() + days * DAY);

  it("writes no member in the save; until the batches store the status, it still counts", async () => {
    await save(rules("first_order"), t0);
    const s = await member("s", null, t0); // under first_order, never buys
    const b = await member("b", s.id, t0);
    const quiet = await member("quiet", null, t0);
    await save(rules("everyone"), at(1));
    await save(rules("first_order"), at(3));
    // The save leaves the stamping to batches of their own (nightly, or at a payment for the members it concerns).
    expect([await since(s.id), await since(b.id), await since(quiet.id)]).toEqual([null, null, null]);

    // s has been a distributor since the switch to everyone (day 1): b's order pays s, no forfeit.
    expect(await l1(await pay(b.id, at(3.5)))).toEqual({ beneficiaryId: s.id, amountFen: 1_000, status: "PENDING" });
    expect(await since(s.id)).toEqual(at(1));
    // b, a distributor since day 1 too, is not told it became one at this payment.
    expect(await since(b.id)).toEqual(at(1));
    expect(await distributorNotices(b.id)).toBe(0);
    // quiet, untouched by any payment, is one all the same, and is shown as one.
    expect(await progress(quiet.id, at(3.5))).toMatchObject({ mode: "first_order", isDistributor: true, since: at(1), remainingFen: 0 });

    expect(await recordEveryoneDistributorsInBatches(db(), { now: at(4) }, 2)).toBe(1);
    expect(await since(quiet.id)).toEqual(at(1));
  });
});

describe("an `everyone` period scheduled in advance, with no local midnight in it", () => {
  // Asia/Shanghai (UTC+8): saved on 1 June at 08:00; `everyone` from 10:00, `first_order` again from `end`.
  const savedAt = new Date("2026-06-01T00:00:00Z");
  const start = new Date("2026-06-01T02:00:00Z");
  const evening = new Date("2026-06-01T12:00:00Z"); // 20:00, before the nightly run at 00:00 on 2 June
  const midnight = new Date("2026-06-01T16:00:00Z");

  for (const [label, end] of [
    ["10:00 to 18:00", new Date(start.getTime() + 8 * HOUR)],
    ["one minute long", new Date(start.getTime() + MINUTE)],
  ] as const) {
    for (const tree of ["sponsor", "matrix"] as const) {
      it(`${label}, ${tree} tree: members during it stay distributors after it, before any nightly run`, async () => {
        await save(rules("first_order", tree), savedAt);
        // Members before the period who never buy: s and its three directs, who fill s's seats in the matrix.
        const s = await member("s", null, savedAt);
        const c1 = await member("c1", s.id, savedAt);
        await member("c2", s.id, savedAt);
        await member("c3", s.id, savedAt);
        const b = await member("b", s.id, savedAt); // s's fourth direct: seated under c1 (spillover)
        const o = await member("o", null, savedAt); // buys only after the period
        await save(rules("everyone", tree), savedAt, start);
        await save(rules("first_order", tree), savedAt, end);
        const during = await member("during", null, start); // signs up the instant the period begins
        const late = await member("late", null, new Date(end.getTime() + HOUR));

        // Everyone b's order pays was a distributor from 10:00: nothing forfeited.
        expect(await commissions(await pay(b.id, evening))).toEqual(
          tree === "sponsor"
            ? [{ beneficiaryId: s.id, level: 1, amountFen: 1_000, status: "PENDING" }]
            : [
                { beneficiaryId: c1.id, level: 1, amountFen: 1_000, status: "PENDING" },
                { beneficiaryId: s.id, level: 2, amountFen: 500, status: "PENDING" },
              ],
        );
        expect(await progress(s.id, evening)).toMatchObject({ mode: "first_order", isDistributor: true, since: start });
        // o became one when the period began, not at its first order now: stored so, and not told again.
        await pay(o.id, evening);
        expect(await since(o.id)).toEqual(start);
        expect(await distributorNotices(o.id)).toBe(0);
        expect(await since(during.id)).toEqual(start);
        expect(await progress(late.id, evening)).toMatchObject({ isDistributor: false, since: null });

        await reviewTiers(db(), { now: midnight });
        expect(await since(s.id)).toEqual(start);
        expect(await since(late.id)).toBeNull();
      });
    }
  }
});

describe("the month's stepped bonus right after leaving `everyone`", () => {
  it("pays a member the period made a distributor, before any batch stored it", async () => {
    // Asia/Shanghai: `everyone` from 1 March; `first_order` again on 31 March at 20:00; the bonus at 1 April 00:00.
    const withBrackets = (mode: Mode): MallConfig => ({ ...rules(mode), stepBonus: { ...defaultConfig.stepBonus, brackets: [{ minFen: 0, bps: 500 }] } });
    const march1 = new Date("2026-03-01T00:00:00+08:00");
    await save(withBrackets("first_order"), new Date("2026-02-01T00:00:00+08:00"));
    const s = await member("s", null, new Date("2026-02-02T00:00:00+08:00")); // never buys
    const b = await member("b", s.id, new Date("2026-02-02T00:00:00+08:00"));
    await save(withBrackets("everyone"), march1);
    const orderId = await pay(b.id, new Date("2026-03-05T10:00:00+08:00"));
    await inTx(db(), { now: new Date("2026-03-06T10:00:00+08:00") }, async (ctx) => {
      await shipOrder(ctx, orderId);
      await confirmDelivery(ctx, orderId);
    });
    await inTx(db(), { now: new Date("2026-03-14T10:00:00+08:00") }, (ctx) => completeOrder(ctx, orderId));
    await save(withBrackets("first_order"), new Date("2026-03-31T20:00:00+08:00"));
    expect(await since(s.id)).toBeNull();

    // s sold 100 元 through a direct in March (completed): 5% of 10 000 fen = 500 fen, as a distributor since 1 March.
    await payMonthlyStepBonus(db(), { now: new Date("2026-04-01T00:00:00+08:00") });
    expect(await db().stepBonus.findMany({ where: { memberId: s.id }, select: { salesFen: true, amountFen: true } })).toEqual([{ salesFen: 10_000n, amountFen: 500 }]);
  });
});
