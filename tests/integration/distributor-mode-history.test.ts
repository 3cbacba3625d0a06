// SPEC §4 分销资格 across rule versions: while `everyone` is in force every member is a distributor, and
// "once a distributor, always one" — a later switch to `first_order` takes nothing away, whether the
// versions were saved to take effect at once or scheduled; a member who was never one under `everyone` is not.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment } from "../../server/orders";
import { distributorProgress, recordEveryoneDistributorsInBatches } from "../../server/distribution";
import { reviewTiers } from "../../server/tiers";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const withMode = (mode: MallConfig["commission"]["distributorMode"]): MallConfig => ({ ...defaultConfig, commission: { ...defaultConfig.commission, distributorMode: mode } });

let database: Database;
const db = () => database.prisma;

beforeEach(async () => {
  database = await freshDatabase();
  await teaShop(db());
});
afterEach(() => database.close());

const save = (mode: MallConfig["commission"]["distributorMode"], now: Date, effectiveAt?: Date) =>
  saveRules(db(), null, { config: withMode(mode), reason: `分销资格：${mode}`, effectiveAt }, now);
const member = (username: string, sponsorId: number | null, now: Date) => inTx(db(), { now }, (ctx) => registerMember(ctx, { username, sponsorId }));
async function pay(memberId: number, now: Date) {
  const o = await inTx(db(), { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await inTx(db(), { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o.id;
}
/** The sponsor's L1 commission on an order: 10% of 100 元, earned or forfeited. */
const l1 = async (orderId: number) => db().commission.findFirstOrThrow({ where: { orderId, level: 1 }, select: { beneficiaryId: true, amountFen: true, status: true } });
const since = async (id: number) => (await db().member.findUniqueOrThrow({ where: { id } })).distributorSince;

describe("distributor status held under `everyone`", () => {
  it("is kept when the merchant switches back to first_order, and dated from the switch to everyone", async () => {
    await save("first_order", t0);
    const s = await member("s", null, t0); // signs up under first_order, never buys
    const b1 = await member("b1", s.id, t0);
    const b2 = await member("b2", s.id, t0);
    expect(await since(s.id)).toBeNull();

    await save("everyone", at(1));
    // Under `everyone` s earns on b1's order; b1, who signed up before the switch, is one since the switch, not since sign-up.
    expect(await l1(await pay(b1.id, at(2)))).toEqual({ beneficiaryId: s.id, amountFen: 1_000, status: "PENDING" });

    await save("first_order", at(3));
    // Back to first_order: s is still a distributor (since the switch to everyone) and earns on b2's order.
    expect(await l1(await pay(b2.id, at(4)))).toEqual({ beneficiaryId: s.id, amountFen: 1_000, status: "PENDING" });
    expect(await since(s.id)).toEqual(at(1));
    const progress = await inTx(db(), { now: at(4) }, (ctx) => distributorProgress(ctx, s.id));
    expect(progress).toMatchObject({ mode: "first_order", isDistributor: true, since: at(1) });
    expect(await since(b1.id)).toEqual(at(1));

    // Someone who signed up after the switch back never was one: their sponsor's commission is forfeited.
    const late = await member("late", null, at(5));
    const c = await member("c", late.id, at(5));
    expect(await l1(await pay(c.id, at(6)))).toMatchObject({ beneficiaryId: late.id, status: "FORFEITED" });
    expect(await since(late.id)).toBeNull();
  });

  it("a scheduled `everyone` period: the switch back saved while it runs keeps the status", async () => {
    await save("first_order", t0);
    const s = await member("s", null, t0);
    const b = await member("b", s.id, t0);
    await save("everyone", t0, at(1));
    // A version only scheduled gives nothing yet (it may still be replaced before its time).
    expect(await since(s.id)).toBeNull();
    await save("first_order", at(2), at(3));
    expect(await l1(await pay(b.id, at(4)))).toMatchObject({ beneficiaryId: s.id, status: "PENDING" });
    expect(await since(s.id)).toEqual(at(1));
  });

  it("a period scheduled from start to end in advance: the nightly review during it stores the status", async () => {
    await save("first_order", t0);
    const s = await member("s", null, t0);
    const b = await member("b", s.id, t0);
    await save("everyone", t0, at(1));
    await save("first_order", t0, at(3));
    expect(await since(s.id)).toBeNull();
    await reviewTiers(db(), { now: at(2) });
    expect(await l1(await pay(b.id, at(4)))).toMatchObject({ beneficiaryId: s.id, status: "PENDING" });
    expect(await since(s.id)).toEqual(at(1));
  });

  it("stored in id ranges: each member without a status gets the instant they became one; an earlier status is kept", async () => {
    await save("first_order", t0);
    const before = [];
    for (const name of ["a", "b", "c", "d", "e"]) before.push(await member(name, null, t0));
    await pay(before[1].id, at(0.5)); // b: a distributor by its first order under first_order
    await save("everyone", at(1));
    const during = await member("f", null, at(1.5)); // signs up under everyone: one from sign-up
    const stamped = await recordEveryoneDistributorsInBatches(db(), { now: at(2) }, 2);
    expect(stamped).toBe(4);
    expect(await Promise.all([...before, during].map((m) => since(m.id)))).toEqual([at(1), at(0.5), at(1), at(1), at(1), at(1.5)]);
    expect(await recordEveryoneDistributorsInBatches(db(), { now: at(3) }, 2)).toBe(0);
  });

  it("a scheduled `everyone` version replaced before its time never makes anyone a distributor", async () => {
    await save("first_order", t0);
    const s = await member("s", null, t0);
    const b = await member("b", s.id, t0);
    await save("everyone", t0, at(1));
    // Replaced at its own time: `spend` from day 1 instead, so `everyone` is never in force.
    await saveRules(db(), null, { config: { ...withMode("spend"), commission: { ...withMode("spend").commission, distributorMinSpendFen: 50_000 } }, reason: "改为消费门槛", effectiveAt: at(1) }, at(0.5));
    await reviewTiers(db(), { now: at(2) });
    expect(await since(s.id)).toBeNull();
    expect(await l1(await pay(b.id, at(4)))).toMatchObject({ beneficiaryId: s.id, status: "FORFEITED" });
  });
});
