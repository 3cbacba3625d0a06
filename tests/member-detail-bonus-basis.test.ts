// The back office's member page listed 阶梯奖励 / 团队绩效 postings as bare amounts, and said 正常 after a risk rejection
// with no count (walker finding): its loader (server/members/admin.ts memberDetail) now gives each monthly bonus posting
// its month, base and rate (the StepBonus row's sales and rate; the TeamBonus row's base at the rate of the rules in force
// at the month's close), a top-up's new base, the month's total when top-ups make it differ, and the rejection count.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { postBonuses } from "../server/bonus/pay";
import { memberDetail } from "../server/members/admin";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});
const now = new Date("2027-01-01T02:00:00Z");
let database: Database;
let db: Db;
let member: number;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  member = (await inTx(db, { config, now }, (ctx) => registerMember(ctx, { username: "bonus", ip: "1", device: "a" }))).id;
  // The team rate: 3% in force when November closed (2026-12-01 00:00 Shanghai = 2026-11-30T16:00Z), 5% saved since.
  await db.ruleVersion.create({ data: { version: 1, config: { ...config, teamBonusBps: 300 } as object, reason: "t", createdAt: new Date("2026-11-15T00:00:00Z"), effectiveAt: new Date("2026-11-15T00:00:00Z") } });
  await db.ruleVersion.create({ data: { version: 2, config: { ...config, teamBonusBps: 500 } as object, reason: "t", createdAt: new Date("2026-12-15T00:00:00Z"), effectiveAt: new Date("2026-12-15T00:00:00Z") } });
  // November: 8% of 2 394 元 = 191.52 元; team 3% of 2 793 元 = 83.79 元.
  await db.stepBonus.create({ data: { memberId: member, month: "2026-11", salesFen: 239400n, bps: 800, amountFen: 19152, createdAt: now } });
  await db.teamBonus.create({ data: { memberId: member, month: "2026-11", baseFen: 279300n, amountFen: 8379, createdAt: now } });
  // October: first paid 191.52 元, then a late completion raised the sales to 3 000 元 at 10%: 300 元, topped up by 108.48 元.
  await db.stepBonus.create({ data: { memberId: member, month: "2026-10", salesFen: 300000n, bps: 1000, amountFen: 30000, createdAt: now } });
  await inTx(db, { config, now }, async (ctx) => {
    await postBonuses(ctx, "step_bonus", [
      { key: `step_bonus:${member}:2026-10`, memberId: member, amountFen: 19152 },
      { key: `step_bonus:${member}:2026-10:sales:300000`, memberId: member, amountFen: 10848 },
      { key: `step_bonus:${member}:2026-11`, memberId: member, amountFen: 19152 },
    ]);
    await postBonuses(ctx, "team_bonus", [{ key: `team_bonus:${member}:2026-11`, memberId: member, amountFen: 8379 }]);
  });
  await db.member.update({ where: { id: member }, data: { rejectionCount: 1 } });
});
afterAll(() => database.close());

it("each bonus posting comes with its month, base and rate; a top-up with its new base and the month's total", async () => {
  const d = (await memberDetail(db, config, member, "owner"))!;
  const bonuses = d.ledger.filter((e) => e.kind === "step_bonus" || e.kind === "team_bonus").map((e) => ({ kind: e.kind, amountFen: e.amountFen, bonus: e.bonus }));
  expect(bonuses).toEqual([
    { kind: "team_bonus", amountFen: 8379, bonus: { kind: "team_bonus", month: "2026-11", baseFen: 279300, bps: 300, topUp: false, totalFen: null } },
    { kind: "step_bonus", amountFen: 19152, bonus: { kind: "step_bonus", month: "2026-11", baseFen: 239400, bps: 800, topUp: false, totalFen: null } },
    // The top-up: the month's new sales and rate, and its whole bonus now.
    { kind: "step_bonus", amountFen: 10848, bonus: { kind: "step_bonus", month: "2026-10", baseFen: 300000, bps: 1000, topUp: true, totalFen: 30000 } },
    // The first payment: what it was paid on is no longer stored (the row holds the topped-up month), only the total.
    { kind: "step_bonus", amountFen: 19152, bonus: { kind: "step_bonus", month: "2026-10", baseFen: null, bps: null, topUp: false, totalFen: 30000 } },
  ]);
  // Other postings carry none.
  expect(d.ledger.filter((e) => e.kind !== "step_bonus" && e.kind !== "team_bonus").every((e) => e.bonus === null)).toBe(true);
});

it("the risk rejections and the count that freezes the account", async () => {
  const d = (await memberDetail(db, config, member, "owner"))!;
  expect({ rejectionCount: d.rejectionCount, freezeAfterRejections: d.freezeAfterRejections }).toEqual({ rejectionCount: 1, freezeAfterRejections: 3 });
});
