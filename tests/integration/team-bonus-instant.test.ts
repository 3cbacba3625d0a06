// The monthly team bonus run late (a catch-up days into the month) judges "not frozen" at the instant the month
// closed, as the stepped bonus does (SPEC §7, §8): a partner frozen after that instant still earns the month, one
// frozen at or before it does not. Nor does a "partner" whose gmv90 had fallen below the threshold by that instant.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { payMonthlyTeamBonus, recordCompletedGmv, reviewTiers } from "../../server/tiers";
import { saveRules } from "../../server/rules";
import { freshDatabase } from "../helpers/db";

// A partner needs one member in its team; 2% team bonus.
const config = parseConfig({ rebate: { enabled: false }, tiers: [{ name: "member" }, { name: "partner", minTeam: 1 }], teamBonusBps: 200 });
const JOINED = new Date("2026-01-05T10:00:00+08:00");
const MARCH_1 = new Date("2026-03-01T00:00:00+08:00");
const LATE = new Date("2026-03-05T09:00:00+08:00");

let database: Database;
afterEach(() => database.close());

describe("team bonus paid late: frozen as of the month's instant", () => {
  it("pays a partner frozen after the 1st 00:00, not one frozen at or before it", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    const reg = (username: string, sponsorId: number | null) =>
      inTx(db, { config, now: JOINED }, async (ctx) => (await registerMember(ctx, { username, sponsorId, ip: `ip-${username}`, device: `d-${username}` })).id);
    // Four partners, each with one direct whose k × 100 元 order completed in February.
    const partners: number[] = [];
    for (let k = 1; k <= 4; k++) {
      const p = await reg(`p${k}`, null);
      const d = await reg(`d${k}`, p);
      partners.push(p);
      const completedAt = new Date(`2026-02-1${k}T12:00:00+08:00`);
      await db.gmvCredit.createMany({
        data: [
          { memberId: d, orderId: 100 + k, depth: 0, amountFen: k * 10_000, completedAt },
          { memberId: p, orderId: 100 + k, depth: 1, amountFen: k * 10_000, completedAt },
        ],
      });
    }
    expect((await db.member.findMany({ where: { id: { in: partners } } })).map((m) => m.tier)).toEqual(["partner", "partner", "partner", "partner"]);
    const freeze = (id: number, at: string) => db.member.update({ where: { id }, data: { frozen: true, frozenAt: new Date(at) } });
    // p1 after the instant (before the late run), p2 in February, p3 at the instant itself; p4 never.
    await freeze(partners[0], "2026-03-03T10:00:00+08:00");
    await freeze(partners[1], "2026-02-20T10:00:00+08:00");
    await freeze(partners[2], "2026-03-01T00:00:00+08:00");

    expect(await payMonthlyTeamBonus(db, { config, now: LATE, instant: MARCH_1 })).toBe(2);
    // p1: 2% of 100 元 = 200 fen; p4: 2% of 400 元 = 800 fen.
    const paid = await db.teamBonus.findMany({ orderBy: { memberId: "asc" }, select: { memberId: true, month: true, baseFen: true, amountFen: true } });
    expect(paid).toEqual([
      { memberId: partners[0], month: "2026-02", baseFen: 10_000n, amountFen: 200 },
      { memberId: partners[3], month: "2026-02", baseFen: 40_000n, amountFen: 800 },
    ]);
    const available = await db.wallet.findMany({ where: { memberId: { in: partners } }, orderBy: { memberId: "asc" }, select: { available: true } });
    expect(available.map((w) => Number(w.available))).toEqual([200, 0, 0, 800]);
  });

  it("pays by the rules in force when the month closed, not by a rate saved since", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await saveRules(db, null, { config, reason: "团队绩效 2%" }, new Date("2026-01-01T00:00:00+08:00"));
    const reg = (username: string, sponsorId: number | null) =>
      inTx(db, { config, now: JOINED }, async (ctx) => (await registerMember(ctx, { username, sponsorId, ip: `ip-${username}`, device: `d-${username}` })).id);
    const p = await reg("p", null);
    const d = await reg("d", p);
    const completedAt = new Date("2026-02-12T12:00:00+08:00");
    await db.gmvCredit.createMany({
      data: [
        { memberId: d, orderId: 101, depth: 0, amountFen: 30_000, completedAt },
        { memberId: p, orderId: 101, depth: 1, amountFen: 30_000, completedAt },
      ],
    });
    // The run due on 1 March did not happen; on 3 March the merchant raises the team bonus to 5%.
    await saveRules(db, null, { config: { ...config, teamBonusBps: 500 }, reason: "团队绩效 5%" }, new Date("2026-03-03T09:00:00+08:00"));
    expect(await payMonthlyTeamBonus(db, { now: LATE, instant: MARCH_1 })).toBe(1);
    // February closed under 2%: 300 元 × 2% = 600 fen (5% would be 1 500).
    expect(await db.teamBonus.findMany({ select: { memberId: true, month: true, baseFen: true, amountFen: true } })).toEqual([{ memberId: p, month: "2026-02", baseFen: 30_000n, amountFen: 600 }]);
  });

  it("a run even a second late pays no partner whose gmv90 had fallen below the threshold by the instant", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    // A partner: one member in the team and 120 元 of gmv90.
    const rules = parseConfig({ ...config, tiers: [{ name: "member" }, { name: "partner", minTeam: 1, minGmv90Fen: 12_000 }] });
    await db.mallConfig.create({ data: { data: rules as object } });
    const APRIL_1 = new Date("2026-04-01T00:00:00+08:00");
    const reg = (username: string, sponsorId: number | null) =>
      inTx(db, { config: rules, now: new Date("2025-12-01T10:00:00+08:00") }, async (ctx) => (await registerMember(ctx, { username, sponsorId, ip: `ip-${username}`, device: `d-${username}` })).id);
    let orderId = 0;
    const complete = (memberId: number, at: string, goodsFen: number) =>
      inTx(db, { config: rules, now: new Date(at) }, (ctx) => recordCompletedGmv(ctx, { id: ++orderId, memberId, goodsFen, completedAt: new Date(at) }));
    const [p1, p2] = [await reg("p1", null), await reg("p2", null)];
    const [d1, d2] = [await reg("d1", p1), await reg("d2", p2)];
    // p1: 100.01 元 on 31 Dec 23:00, out of gmv90 from 31 March 23:00 (90 × 24 h); p2: the same on 1 Jan 00:00, still in
    // the window [1 Jan 00:00, 1 April 00:00] at the instant (both ends count). Each: 50 元 more in March, a partner from then.
    await complete(d1, "2025-12-31T23:00:00+08:00", 10_001);
    await complete(d2, "2026-01-01T00:00:00+08:00", 10_001);
    await complete(d1, "2026-03-10T12:00:00+08:00", 5_000);
    await complete(d2, "2026-03-10T12:00:00+08:00", 5_000);
    // The last nightly review before the instant (31 March 00:00) keeps both partners: 150.01 元 each.
    await reviewTiers(db, { config: rules, now: new Date("2026-03-31T00:00:00+08:00") });
    expect((await db.member.findMany({ where: { id: { in: [p1, p2] } }, orderBy: { id: "asc" } })).map((m) => m.tier)).toEqual(["partner", "partner"]);
    // Production's runs at the instant are a little late: the nightly review of 1 April first (it drops both: p2's
    // 1 Jan order leaves the window after 00:00:00), then the team bonus, one second after the instant.
    await reviewTiers(db, { config: rules, now: new Date(APRIL_1.getTime() + 500) });
    expect(await payMonthlyTeamBonus(db, { config: rules, now: new Date(APRIL_1.getTime() + 1000), instant: APRIL_1 })).toBe(1);
    // At 1 April 00:00 p1's gmv90 is 50 元 < 120 元: no partner, nothing. p2's is 150.01 元: 2% of March's 50 元 = 100 fen.
    expect(await db.teamBonus.findMany({ select: { memberId: true, month: true, baseFen: true, amountFen: true } })).toEqual([{ memberId: p2, month: "2026-03", baseFen: 5_000n, amountFen: 100 }]);
  });
});
