// The monthly team bonus run late (a catch-up days into the month) judges "not frozen" at the instant the month
// closed, as the stepped bonus does (SPEC §7, §8): a partner frozen after that instant still earns the month, one
// frozen at or before it does not.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { payMonthlyTeamBonus } from "../../server/tiers";
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
      { memberId: partners[0], month: "2026-02", baseFen: 10_000, amountFen: 200 },
      { memberId: partners[3], month: "2026-02", baseFen: 40_000, amountFen: 800 },
    ]);
    const available = await db.wallet.findMany({ where: { memberId: { in: partners } }, orderBy: { memberId: "asc" }, select: { available: true } });
    expect(available.map((w) => w.available)).toEqual([200, 0, 0, 800]);
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
    expect(await db.teamBonus.findMany({ select: { memberId: true, month: true, baseFen: true, amountFen: true } })).toEqual([{ memberId: p, month: "2026-02", baseFen: 30_000, amountFen: 600 }]);
  });
});
