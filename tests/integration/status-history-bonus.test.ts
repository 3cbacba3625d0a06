// SPEC §7: the monthly team and stepped bonuses judge each member as they stood at the instant the month closed, also
// when the run is late (a catch-up days into the month). An unfreeze, a re-enabling or a tier change made between the
// instant and the late run does not decide: the member status history (MemberStatusChange) remembers what stood then.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { payMonthlyTeamBonus, recordCompletedGmv, reviewTiers } from "../../server/tiers";
import { payMonthlyStepBonus } from "../../server/bonus/step";
import { setMemberFrozen } from "../../server/members/admin";
import { setDistributorEnabled } from "../../server/distribution";
import { recordRiskEvent } from "../../server/risk/flags";
import { reviewMember } from "../../server/risk/review";
import { freshDatabase } from "../helpers/db";

// Promoter: one member in the team; partner: that and 500 元 of gmv90. 2% team bonus, 5% stepped bonus from the first fen.
const config = parseConfig({
  rebate: { enabled: false },
  tiers: [{ name: "member" }, { name: "promoter", minTeam: 1 }, { name: "partner", minTeam: 1, minGmv90Fen: 50_000 }],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 0, bps: 500 }] },
});
const JOINED = "2026-01-05T10:00:00+08:00";
// February closes at 1 March 00:00 (Asia/Shanghai); the run due then happens on 5 March.
const MARCH_1 = new Date("2026-03-01T00:00:00+08:00");
const LATE = new Date("2026-03-05T09:00:00+08:00");
const staff = { staffId: 101 };

let database: Database;
afterEach(() => database.close());

describe("monthly bonuses run late judge the status at the month's instant", () => {
  it("freezes, suspensions and tiers as they stood at 1 March 00:00, whatever changed before the run", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    const at = <T>(when: string, fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: new Date(when) }, fn);
    let orderId = 0;
    /** A sponsor with one direct (a promoter from then on), whose orders complete at the given instants. */
    const sponsor = async (name: string, sales: [string, number][]) => {
      const s = await at(JOINED, async (ctx) => (await registerMember(ctx, { username: name, sponsorId: null, ip: `ip-${name}`, device: `d-${name}` })).id);
      const d = await at(JOINED, async (ctx) => (await registerMember(ctx, { username: `${name}-d`, sponsorId: s, ip: `ip-${name}-d`, device: `d-${name}-d` })).id);
      for (const [completed, goodsFen] of sales) await at(completed, (ctx) => recordCompletedGmv(ctx, { id: ++orderId, memberId: d, goodsFen, completedAt: new Date(completed) }));
      return s;
    };
    const freeze = (id: number, when: string, frozen: boolean) => at(when, (ctx) => setMemberFrozen(ctx, id, frozen, frozen ? "核查" : "核查完毕", staff, "owner"));
    const suspend = (id: number, when: string, enabled: boolean) => at(when, (ctx) => setDistributorEnabled(ctx, id, enabled, enabled ? "恢复" : "核查", staff));
    const FEB = "2026-02-12T12:00:00+08:00";
    // Partners by 20 December's 500 元 (still in gmv90 on 5 March), each with 100 元 of February sales.
    const partner = (name: string) => sponsor(name, [["2025-12-20T12:00:00+08:00", 50_000], [FEB, 10_000]]);

    // a: partner by 3 December's 500 元, which leaves gmv90 on 3 March: a promoter from the review of 4 March.
    const a = await sponsor("a", [["2025-12-03T12:00:00+08:00", 50_000], [FEB, 10_000]]);
    // b: a promoter in February, a partner from 3 March's 500 元.
    const b = await sponsor("b", [[FEB, 10_000], ["2026-03-03T12:00:00+08:00", 50_000]]);
    // f1 frozen over the instant, unfrozen before the run; f2 frozen and unfrozen in February; f3 frozen over the
    // instant, unfrozen on 2 March and frozen again on 3 March; f4 frozen by a third rejection after the instant, then unfrozen.
    const [f1, f2, f3, f4] = [await partner("f1"), await partner("f2"), await partner("f3"), await partner("f4")];
    await freeze(f1, "2026-02-20T10:00:00+08:00", true);
    await freeze(f1, "2026-03-03T10:00:00+08:00", false);
    await freeze(f2, "2026-02-10T10:00:00+08:00", true);
    await freeze(f2, "2026-02-25T10:00:00+08:00", false);
    await freeze(f3, "2026-02-20T10:00:00+08:00", true);
    await freeze(f3, "2026-03-02T10:00:00+08:00", false);
    await freeze(f3, "2026-03-03T10:00:00+08:00", true);
    for (let k = 0; k < 3; k++) {
      await at("2026-03-03T10:00:00+08:00", (ctx) => recordRiskEvent(ctx, "refund_abuse", [f4], [f4], { k }));
      await at("2026-03-03T10:00:00+08:00", (ctx) => reviewMember(ctx, f4, "reject"));
    }
    expect((await db.member.findUniqueOrThrow({ where: { id: f4 } })).frozen).toBe(true);
    await freeze(f4, "2026-03-04T10:00:00+08:00", false);
    // Promoters whose distributor status staff suspended: d1 over the instant, d2 within February, d3 after the instant.
    const [d1, d2, d3] = [await sponsor("s1", [[FEB, 10_000]]), await sponsor("s2", [[FEB, 10_000]]), await sponsor("s3", [[FEB, 10_000]])];
    await suspend(d1, "2026-02-20T10:00:00+08:00", false);
    await suspend(d1, "2026-03-03T10:00:00+08:00", true);
    await suspend(d2, "2026-02-10T10:00:00+08:00", false);
    await suspend(d2, "2026-02-25T10:00:00+08:00", true);
    await suspend(d3, "2026-03-02T10:00:00+08:00", false);
    await suspend(d3, "2026-03-03T10:00:00+08:00", true);
    await reviewTiers(db, { config, now: new Date("2026-03-04T09:00:00+08:00") });

    const tiers = new Map((await db.member.findMany({ select: { id: true, tier: true } })).map((m) => [m.id, m.tier]));
    expect([a, b, f1, f2, f3, f4, d1].map((id) => tiers.get(id))).toEqual(["promoter", "partner", "partner", "partner", "partner", "partner", "promoter"]);

    await payMonthlyTeamBonus(db, { now: LATE, instant: MARCH_1 });
    await payMonthlyStepBonus(db, { now: LATE, instant: MARCH_1 });
    // Team bonus: the partners at the instant not frozen then: a (dropped since), f2 (unfrozen before it), f4 (frozen
    // after it); 2% of February's 100 元 = 200. Not b (a partner only since), f1 and f3 (frozen at the instant).
    const team = await db.teamBonus.findMany({ orderBy: { memberId: "asc" }, select: { memberId: true, month: true, baseFen: true, amountFen: true } });
    expect(team).toEqual([a, f2, f4].map((memberId) => ({ memberId, month: "2026-02", baseFen: 10_000n, amountFen: 200 })));
    // Stepped bonus: 5% of 100 元 = 500 to each distributor not frozen at the instant: not f1, f3 (frozen then) nor
    // d1 (suspended then); d2 and d3 were distributors at the instant.
    const step = await db.stepBonus.findMany({ orderBy: { memberId: "asc" }, select: { memberId: true, month: true, salesFen: true, amountFen: true } });
    expect(step).toEqual([a, b, f2, f4, d2, d3].map((memberId) => ({ memberId, month: "2026-02", salesFen: 10_000n, amountFen: 500 })));
  });

  it("an on-time run judges the tier it recomputes at the instant itself", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    const at = <T>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: new Date(JOINED) }, fn);
    const s = await at(async (ctx) => (await registerMember(ctx, { username: "s", sponsorId: null, ip: "ip-s", device: "d-s" })).id);
    const d = await at(async (ctx) => (await registerMember(ctx, { username: "d", sponsorId: s, ip: "ip-d", device: "d-d" })).id);
    const completedAt = new Date("2026-02-12T12:00:00+08:00");
    await db.gmvCredit.createMany({
      data: [
        { memberId: d, orderId: 1, depth: 0, amountFen: 10_000, completedAt },
        { memberId: s, orderId: 1, depth: 1, amountFen: 10_000, completedAt },
      ],
    });
    // Stored as a partner with no change recorded (older data), though 100 元 of gmv90 makes a promoter.
    await db.member.update({ where: { id: s }, data: { tier: "partner" } });
    // The run at 1 March 00:00 re-tiers s at that very instant: a promoter then, so no team bonus.
    expect(await payMonthlyTeamBonus(db, { config, now: MARCH_1 })).toBe(0);
    expect((await db.member.findUniqueOrThrow({ where: { id: s } })).tier).toBe("promoter");
  });
});
