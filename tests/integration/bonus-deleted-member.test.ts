// SPEC §7 monthly bonuses and 注销账号 (server/members/deletion.ts): a member who deleted their account after the month
// closed but before a late run forfeited what had not been credited, as their unsettled commissions: neither the team
// bonus nor the stepped bonus pays the deleted account (its balance must stay 0: it can never withdraw).
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { payMonthlyTeamBonus } from "../../server/tiers";
import { payMonthlyStepBonus } from "../../server/bonus/step";
import { deleteAsShown } from "../helpers/deletion";
import { freshDatabase } from "../helpers/db";

// A partner needs one member in its team; 2% team bonus; 5% stepped bonus from the first fen; everyone a distributor.
const config = parseConfig({
  rebate: { enabled: false },
  tiers: [{ name: "member" }, { name: "partner", minTeam: 1 }],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 0, bps: 500 }] },
});
const JOINED = new Date("2026-01-05T10:00:00+08:00");
const MARCH_1 = new Date("2026-03-01T00:00:00+08:00");
const LATE = new Date("2026-03-05T09:00:00+08:00");

let database: Database;
afterEach(() => database.close());

describe("monthly bonuses run late after an account deletion", () => {
  it("pay the deleted member nothing, and the others as due", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    const reg = (username: string, sponsorId: number | null) =>
      inTx(db, { config, now: JOINED }, async (ctx) => (await registerMember(ctx, { username, sponsorId, ip: `ip-${username}`, device: `d-${username}` })).id);
    // p and q: partners, each with one direct whose k × 100 元 order completed in February.
    const [p, q] = [await reg("p", null), await reg("q", null)];
    const [dp, dq] = [await reg("dp", p), await reg("dq", q)];
    for (const [k, sponsor, direct] of [[1, p, dp], [2, q, dq]] as const) {
      const completedAt = new Date(`2026-02-1${k}T12:00:00+08:00`);
      await db.gmvCredit.createMany({
        data: [
          { memberId: direct, orderId: 100 + k, depth: 0, amountFen: k * 10_000, completedAt },
          { memberId: sponsor, orderId: 100 + k, depth: 1, amountFen: k * 10_000, completedAt },
        ],
      });
    }
    // The runs due on 1 March did not happen; p deletes their account on 3 March (nothing open, nothing to forfeit).
    await inTx(db, { config, now: new Date("2026-03-03T10:00:00+08:00") }, (ctx) => deleteAsShown(ctx, p, false));
    expect(await payMonthlyTeamBonus(db, { config, now: LATE, instant: MARCH_1 })).toBe(1);
    expect((await payMonthlyStepBonus(db, { config, now: LATE, instant: MARCH_1 })).changed).toBe(1);
    // q only: team 2% of 200 元 = 400 fen, stepped 5% of 200 元 = 1 000 fen; p nothing.
    expect(await db.teamBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: q, month: "2026-02", amountFen: 400 }]);
    expect(await db.stepBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: q, month: "2026-02", amountFen: 1_000 }]);
    const wallets = await db.wallet.findMany({ where: { memberId: { in: [p, q] } }, orderBy: { memberId: "asc" }, select: { memberId: true, available: true } });
    expect(wallets.map((w) => [w.memberId, Number(w.available)])).toEqual([[p, 0], [q, 1_400]]);
  });
});
