// SPEC §7 monthly bonuses against 注销账号 (server/members/deletion.ts) committing mid-batch: a batch read its members
// (nextIds) before a deletion committed and credited the deleted account afterwards, money nobody can ever withdraw, past
// deletion's "withdraw your balance first". Each batch now locks its members (key share) and keeps those not deleted.
// The deletion locks the member right after the batch's read and commits once the batch waits on it. Two transactions
// at once need two connections (PGlite runs one transaction at a time): PostgreSQL only.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { teamBonusJob } from "../../server/tiers";
import { stepBonusJob } from "../../server/bonus/step";
import { runBatched, type BatchedJob } from "../../server/scheduler/batches";
import { deleteAsShown } from "../helpers/deletion";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { queued } from "../helpers/races";

// A partner needs one member in its team; 2% team bonus; 5% stepped bonus from the first fen; everyone a distributor.
const config = parseConfig({
  rebate: { enabled: false },
  tiers: [{ name: "member" }, { name: "partner", minTeam: 1 }],
  teamBonusBps: 200,
  stepBonus: { brackets: [{ minFen: 0, bps: 500 }] },
});
const JOINED = new Date("2026-01-05T10:00:00+08:00");
const MARCH_1 = new Date("2026-03-01T00:00:00+08:00");
const DELETED_AT = new Date("2026-03-01T00:00:30+08:00");

describe.runIf(usingPostgres())("an account deletion committing while a monthly bonus batch runs", () => {
  let database: Database;
  let db: Db;
  let p: number;
  let q: number;

  beforeEach(async () => {
    database = await freshDatabase();
    db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    const reg = (username: string, sponsorId: number | null) =>
      inTx(db, { config, now: JOINED }, async (ctx) => (await registerMember(ctx, { username, sponsorId, ip: `ip-${username}`, device: `d-${username}` })).id);
    // p and q: partners, each with one direct whose k × 100 元 order completed in February.
    [p, q] = [await reg("p", null), await reg("q", null)];
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
  });
  afterEach(() => database.close());

  /**
   * Runs `job` at 1 March 00:00; right after its batch read its members, p's account is deleted in a transaction of its
   * own (member locked FOR UPDATE, deletedAt set), which commits once the batch waits on a lock (or has ended).
   */
  async function runWithDeletionOfP(job: BatchedJob): Promise<number> {
    let deletion: Promise<unknown> | undefined;
    let deleted!: () => void;
    const deletedUncommitted = new Promise<void>((r) => (deleted = r));
    let commit!: () => void;
    const gate = new Promise<void>((r) => (commit = r));
    const racing: BatchedJob = {
      ...job,
      nextIds: async (ctx, afterId, limit) => {
        const ids = await job.nextIds(ctx, afterId, limit);
        if (!deletion && ids.includes(p)) {
          deletion = inTx(db, { config, now: DELETED_AT }, async (c) => {
            expect(await deleteAsShown(c, p, false)).toEqual({ deleted: true });
            deleted();
            await gate;
          }).finally(deleted);
          await deletedUncommitted;
        }
        return ids;
      },
    };
    const batch = runBatched(db, racing, { config, now: MARCH_1 });
    await Promise.race([deletedUncommitted, batch]);
    await queued(db, 1, batch);
    commit();
    const [result] = await Promise.all([batch, deletion]);
    expect(result.batches).toBe(1);
    expect((await db.member.findUniqueOrThrow({ where: { id: p } })).deletedAt).toEqual(DELETED_AT);
    return result.changed;
  }

  /** Every ledger entry of p's and q's, as [member, bucket, fen]. */
  const ledgerOfPartners = async () =>
    (await db.ledgerEntry.findMany({ where: { memberId: { in: [p, q] } }, orderBy: { id: "asc" } })).map((e) => [e.memberId, e.bucket, e.amountFen]);

  it("team bonus: the deleted member is paid nothing, the other partner as due", async () => {
    expect(await runWithDeletionOfP(teamBonusJob(MARCH_1, config.timeZone, undefined, config))).toBe(1);
    // q: 2% of 200 元 = 400 fen; p (2% of 100 元 = 200 fen had it not been deleted): nothing.
    expect(await db.teamBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: q, month: "2026-02", amountFen: 400 }]);
    expect(await ledgerOfPartners()).toEqual([[q, "available", 400]]);
  });

  it("stepped bonus: the deleted member is paid nothing, the other distributor as due", async () => {
    expect(await runWithDeletionOfP(stepBonusJob(MARCH_1, config.timeZone))).toBe(1);
    // q: 5% of 200 元 = 1 000 fen; p (5% of 100 元 = 500 fen had it not been deleted): nothing.
    expect(await db.stepBonus.findMany({ select: { memberId: true, month: true, amountFen: true } })).toEqual([{ memberId: q, month: "2026-02", amountFen: 1_000 }]);
    expect(await ledgerOfPartners()).toEqual([[q, "available", 1_000]]);
  });
});
