// SPEC §7: a member's tier is the highest whose thresholds all hold, recomputed nightly. When a new rule
// version lowers a threshold, the nightly review lifts the base-tier members who now qualify, with no
// event of theirs; those who still do not qualify stay, and the review only works on candidates.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment } from "../../server/orders";
import { reviewTiers, tierReviewJob } from "../../server/tiers";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const tiers = (promoterDirects: number, partnerGmvFen: number): MallConfig => ({
  ...defaultConfig,
  tiers: [
    { name: "member" },
    { name: "promoter", label: "推广员", minDirects: promoterDirects },
    { name: "partner", label: "合伙人", minDirects: 1, minGmv90Fen: partnerGmvFen },
  ],
});

let database: Database;
const db = () => database.prisma;

beforeEach(async () => {
  database = await freshDatabase();
  await teaShop(db());
});
afterEach(() => database.close());

const member = (username: string, sponsorId: number | null) => inTx(db(), { now: t0 }, (ctx) => registerMember(ctx, { username, sponsorId }));
/** A direct who buys: one more qualified direct for the sponsor (SPEC §4). */
async function buyingDirect(username: string, sponsorId: number) {
  const d = await member(username, sponsorId);
  const o = await inTx(db(), { now: t0 }, (ctx) => createOrder(ctx, { memberId: d.id, lines: [{ sku: "tea", qty: 1 }] }));
  await inTx(db(), { now: t0 }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return d;
}
const tierOf = async (id: number) => (await db().member.findUniqueOrThrow({ where: { id } })).tier;

describe("nightly tier review after thresholds are lowered", () => {
  it("lifts base-tier members who now qualify; one who does not stays", async () => {
    // promoter: 3 directs; partner: 1 direct and 1 000 元 gmv90.
    await saveRules(db(), null, { config: tiers(3, 100_000), reason: "等级门槛" }, t0);
    const s = await member("s", null); // 2 qualified directs
    await buyingDirect("s1", s.id);
    await buyingDirect("s2", s.id);
    const g = await member("g", null); // 1 qualified direct, 300 元 gmv90
    const g1 = await buyingDirect("g1", g.id);
    const n = await member("n", null); // 1 qualified direct, 100 元 gmv90
    const n1 = await buyingDirect("n1", n.id);
    // Goods of the directs' orders completed ten days before the reviews (credited to buyer and sponsor).
    const completedAt = at(-10);
    await db().gmvCredit.createMany({
      data: [
        { memberId: g1.id, orderId: 9001, depth: 0, amountFen: 30_000, completedAt },
        { memberId: g.id, orderId: 9001, depth: 1, amountFen: 30_000, completedAt },
        { memberId: n1.id, orderId: 9002, depth: 0, amountFen: 10_000, completedAt },
        { memberId: n.id, orderId: 9002, depth: 1, amountFen: 10_000, completedAt },
      ],
    });
    await reviewTiers(db(), { now: at(1) });
    expect([await tierOf(s.id), await tierOf(g.id), await tierOf(n.id)]).toEqual(["member", "member", "member"]);

    // Lowered: promoter from 2 directs, partner from 200 元 gmv90. No event touches s, g or n.
    await saveRules(db(), null, { config: tiers(2, 20_000), reason: "降低门槛" }, at(1.5));
    expect(await tierOf(s.id)).toBe("member");
    // The candidates are exactly the members some higher tier now holds for: s and g (n and the directs are not).
    const candidates = await inTx(db(), { now: at(2) }, (ctx) => tierReviewJob(at(2), ctx.config.timeZone).nextIds(ctx, 0, 100));
    expect(candidates).toEqual([s.id, g.id]);

    await reviewTiers(db(), { now: at(2) });
    // s: 2 directs ≥ 2 → promoter. g: 1 direct, 300 元 ≥ 200 元 → partner. n: 100 元 < 200 元, 1 direct < 2 → member.
    expect([await tierOf(s.id), await tierOf(g.id), await tierOf(n.id)]).toEqual(["promoter", "partner", "member"]);
    const notices = await db().notification.findMany({ where: { kind: "tier" }, orderBy: { memberId: "asc" }, select: { memberId: true, body: true } });
    expect(notices).toEqual([
      { memberId: s.id, body: "您的等级已变为 推广员" },
      { memberId: g.id, body: "您的等级已变为 合伙人" },
    ]);
  });
});
