// A month's team base and direct sales may pass 32 bits (21 474 836.47 元): a partner near the root of a large network
// has nearly the whole mall's GMV as its team base. Such a month pays like any other, and the batch does not fail.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { payMonthlyTeamBonus } from "../../server/tiers";
import { payMonthlyStepBonus } from "../../server/bonus/step";
import { freshDatabase } from "../helpers/db";

// A partner needs one member in its team; 2% team bonus; everyone a distributor, 1% stepped bonus from the first fen.
const config = parseConfig({
  rebate: { enabled: false },
  tiers: [{ name: "member" }, { name: "partner", minTeam: 1 }],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 0, bps: 100 }] },
});
const JOINED = new Date("2026-01-05T10:00:00+08:00");
const MARCH_1 = new Date("2026-03-01T00:00:00+08:00");

let database: Database;
afterEach(() => database.close());

describe("bonuses over a month of more than 2^31 fen", () => {
  it("pays the team and stepped bonuses of a 3 000 万元 month exactly", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    const reg = (username: string, sponsorId: number | null) =>
      inTx(db, { config, now: JOINED }, async (ctx) => (await registerMember(ctx, { username, sponsorId, ip: `ip-${username}`, device: `d-${username}` })).id);
    const p = await reg("p", null);
    const [d1, d2] = [await reg("d1", p), await reg("d2", p)];
    // Two directs' completed February orders of 1 500 万元 each: 3 000 000 000 fen together, over 2^31 − 1 = 2 147 483 647.
    const completedAt = new Date("2026-02-12T12:00:00+08:00");
    await db.gmvCredit.createMany({
      data: [d1, d2].flatMap((d, i) => [
        { memberId: d, orderId: 101 + i, depth: 0, amountFen: 1_500_000_000, completedAt },
        { memberId: p, orderId: 101 + i, depth: 1, amountFen: 1_500_000_000, completedAt },
      ]),
    });
    expect(await payMonthlyTeamBonus(db, { config, now: MARCH_1, instant: MARCH_1 })).toBe(1);
    // 2% of 3 000 000 000 fen = 60 000 000 fen (60 万元).
    expect(await db.teamBonus.findMany({ select: { memberId: true, baseFen: true, amountFen: true } })).toEqual([{ memberId: p, baseFen: 3_000_000_000n, amountFen: 60_000_000 }]);
    expect((await payMonthlyStepBonus(db, { config, now: MARCH_1, instant: MARCH_1 })).changed).toBe(1);
    // 1% of the same direct sales = 30 000 000 fen.
    expect(await db.stepBonus.findMany({ select: { memberId: true, salesFen: true, amountFen: true } })).toEqual([{ memberId: p, salesFen: 3_000_000_000n, amountFen: 30_000_000 }]);
    expect(Number((await db.wallet.findUniqueOrThrow({ where: { memberId: p } })).available)).toBe(90_000_000);
  });
});
