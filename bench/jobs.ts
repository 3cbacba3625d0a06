// npm run bench -- jobs [--from fm_bench_1m] [--buyers-every 3] [--batch 500]
// Jobs at scale (issue 14, item 8): the nightly tier review, the monthly team bonus and the monthly
// stepped bonus (阶梯奖励) over a bulk-seeded network. The network is copied from an already seeded
// database (`--from`, made by `npm run bench -- seed --db NAME --seed-only`) into a scratch database
// (BENCH_DB + "_jobs"), then given, set-based, a month of work: every `buyers-every`-th member completes
// one or two orders in the month before the run (orders, gmv credits for the buyer and every sponsor
// ancestor, qualified-direct counters), and members start at the tiers those counters give — some a
// tier too high, as after a month whose gmv has since decayed. Each job then runs through its own
// entry point's batched runner (runBatched, one transaction per batch), one batch per call so every
// transaction is timed; the baseline in the same run is the job's keyset walk alone (the same id
// batches read with no work done). Writes bench/results/jobs.json and prints a table.
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openPostgres, type Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { monthStart } from "../server/clock/time";
import { runBatched, type BatchedJob } from "../server/scheduler/batches";
import { teamBonusJob, tierReviewJob } from "../server/tiers";
import { stepBonusJob } from "../server/bonus/step";
import { pct, serverUrl } from "./scratch";
import { arg } from "./args";

const from = arg("from", "fm_bench_1m");
const buyersEvery = Number(arg("buyers-every", "3"));
const batchSize = Number(arg("batch", "500"));
const name = `${process.env.BENCH_DB ?? "fm_bench"}_jobs`;
for (const n of [from, name]) if (!/^[a-z_][a-z0-9_]*$/.test(n)) throw new Error(`bad database name ${n}`);

// Partners need 10 qualified directs and 10 000 元 of team gmv in 90 days; the stepped bonus pays
// 1% from 1 000 元 of direct sales a month, 3% from 5 000 元.
const config = parseConfig({
  tiers: [
    { name: "member", label: "会员" },
    { name: "promoter", label: "推广员", minDirects: 3 },
    { name: "partner", label: "合伙人", minDirects: 10, minGmv90Fen: 1_000_000 },
  ],
  stepBonus: { brackets: [{ minFen: 100_000, bps: 100 }, { minFen: 500_000, bps: 300 }] },
});
const tz = config.timeZone;
// The run: 00:05 on the 1st of this month, merchant time; the work is in the month before.
const instant = monthStart(new Date(), tz);
const now = new Date(instant.getTime() + 5 * 60_000);
const lastMonth = monthStart(new Date(instant.getTime() - 1), tz);

const admin = new pg.Client({ connectionString: serverUrl() });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
const c0 = performance.now();
await admin.query(`CREATE DATABASE ${name} TEMPLATE ${from}`);
console.log(`copied ${from} in ${((performance.now() - c0) / 1000).toFixed(1)} s`);
await admin.end();
const url = Object.assign(new URL(serverUrl()), { pathname: `/${name}` }).toString();
const database = await openPostgres(url, { poolSize: 4 });
const db = database.prisma;

const c = new pg.Client({ connectionString: url });
await c.connect();
const step = async (label: string, sql: string, params: unknown[] = []) => {
  const s = performance.now();
  const r = await c.query(sql, params);
  console.log(`  ${label}: ${r.rowCount ?? 0} rows, ${((performance.now() - s) / 1000).toFixed(1)} s`);
};
const [{ members }] = (await c.query<{ members: number }>(`SELECT count(*)::int AS members FROM "Member"`)).rows;
await c.query("SELECT setseed(0.8)");
const spanMs = instant.getTime() - lastMonth.getTime();
await step(
  "orders completed last month",
  `INSERT INTO "Order" ("orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt", "paidAt", "completedAt")
   SELECT 'J' || m.id || '-' || k, m.id, 'COMPLETED', goods, goods, done - interval '10 days', done - interval '10 days', done
   FROM "Member" m CROSS JOIN LATERAL generate_series(1, 1 + (m.id % 2)) k
   CROSS JOIN LATERAL (SELECT 990 + floor(random() * 30000)::int AS goods,
                              $1::timestamptz + floor(random() * $2::float8) * interval '1 millisecond' AS done) x
   WHERE m.id % $3 = 0`,
  [lastMonth, spanMs, buyersEvery],
);
await step(
  "gmv credits (buyer and every ancestor)",
  `INSERT INTO "GmvCredit" ("memberId", "orderId", depth, "amountFen", "completedAt")
   SELECT o."memberId", o.id, 0, o."goodsFen", o."completedAt" FROM "Order" o WHERE o."orderNo" LIKE 'J%'
   UNION ALL
   SELECT sc."ancestorId", o.id, sc.depth, o."goodsFen", o."completedAt" FROM "Order" o JOIN "SponsorClosure" sc ON sc."descendantId" = o."memberId" WHERE o."orderNo" LIKE 'J%'`,
);
await step(
  "qualified directs",
  `UPDATE "Member" s SET "qualifiedDirects" = d.n FROM (SELECT "sponsorId", count(*) AS n FROM "Member" WHERE id % $1 = 0 AND "sponsorId" IS NOT NULL GROUP BY 1) d WHERE s.id = d."sponsorId"`,
  [buyersEvery],
);
// Tiers by directs alone (as if last month's gmv counted): partners short of gmv fall at the review.
await step(
  "starting tiers",
  `UPDATE "Member" SET tier = CASE WHEN "qualifiedDirects" >= 10 THEN 'partner' ELSE 'promoter' END WHERE "qualifiedDirects" >= 3`,
);
await step("VACUUM ANALYZE", "VACUUM ANALYZE");
await c.end();

const population = async (sql: string) => Number((await db.$queryRawUnsafe<{ n: bigint }[]>(sql))[0].n);

/** Runs a job one batch (one transaction) per call; returns the per-batch times. */
async function timeJob(job: BatchedJob) {
  const lat: number[] = [];
  const t0 = performance.now();
  let changed = 0;
  for (;;) {
    const s = performance.now();
    const r = await runBatched(db, job, { config, now, maxBatches: 1, batchSize });
    if (r.batches > 0) lat.push(performance.now() - s);
    changed += r.changed;
    if (r.done) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const [cursor] = await db.$queryRaw<{ processed: number }[]>`SELECT processed FROM "JobCursor" WHERE key = ${job.key}`;
  return { seconds, changed, processed: cursor?.processed ?? 0, batches: lat.length, batchP50Ms: pct(lat, 50), largestTxMs: Math.max(0, ...lat) };
}

/** The baseline: the job's keyset walk alone, each batch of ids read in its own transaction. */
async function walkOnly(job: BatchedJob) {
  const t0 = performance.now();
  let after = 0;
  for (;;) {
    const ids = await inTx(db as Db, { config, now }, async (ctx) => {
      // Planned for each batch's values, as runBatched plans them.
      await ctx.tx.$queryRaw`SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true)`;
      return job.nextIds(ctx, after, batchSize);
    });
    if (ids.length > 0) after = ids[ids.length - 1];
    if (ids.length < batchSize) break;
  }
  return (performance.now() - t0) / 1000;
}

const jobs = [
  { name: "nightly tier review", make: () => tierReviewJob(now, tz), candidates: `SELECT count(*) AS n FROM "Member" WHERE tier <> 'member'` },
  { name: "monthly team bonus", make: () => teamBonusJob(instant, tz), candidates: `SELECT count(*) AS n FROM "Member" WHERE tier = 'partner' AND NOT frozen` },
  {
    name: "monthly stepped bonus",
    make: () => stepBonusJob(instant, tz),
    candidates: `SELECT count(DISTINCT "memberId") AS n FROM "GmvCredit" WHERE depth = 1 AND "completedAt" >= '${lastMonth.toISOString()}' AND "completedAt" < '${instant.toISOString()}'`,
  },
];
const rows = [];
for (const j of jobs) {
  const candidates = await population(j.candidates);
  const walkSeconds = await walkOnly(j.make());
  const r = await timeJob(j.make());
  const row = {
    job: j.name,
    members,
    candidates,
    processed: r.processed,
    changed: r.changed,
    batches: r.batches,
    "run s": +r.seconds.toFixed(1),
    "members/s (population)": Math.round(members / r.seconds),
    "candidates/s": Math.round(r.processed / r.seconds),
    "batch p50 ms": +r.batchP50Ms.toFixed(0),
    "largest tx ms": +r.largestTxMs.toFixed(0),
    "keyset walk alone s (baseline)": +walkSeconds.toFixed(1),
  };
  console.log(JSON.stringify(row));
  rows.push(row);
}
console.table(rows);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/jobs.json", JSON.stringify({ at: new Date().toISOString(), from, buyersEvery, batchSize, now, rows }, null, 2) + "\n");
await database.close();
