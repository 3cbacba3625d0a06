// npm run bench -- signup [--members 20000 --seconds 10 --signups 2000 --workers 1,4,8]
// Sign-up throughput (issue 14, item 3): registerMember (member and wallet, sponsor closure, downline
// counters, team sizes, matrix placement, outbox, KPI fact) through inTx, as the sign-in path calls
// it, in members/second at 1, 4 and 8 concurrent workers on a bulk-seeded network in a scratch
// database, sponsors picked like the seed's network (a quarter through the top 1%, 1% with none).
// Baseline in the same run on the same server: pgbench's built-in TPC-B-like script at scale 10 with
// as many clients, in its own scratch database. Also statements per sign-up (counted on the wire,
// BEGIN/COMMIT included), p50/p99 and errors reaching the caller. Writes bench/results/signup.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { countingPrisma, seedScratchNetwork, dropScratch, pct, pgbenchBaseline, recreateScratch } from "./scratch";
import { arg } from "./args";

const members = Number(arg("members", "20000"));
const seconds = Number(arg("seconds", "10"));
const workerCounts = arg("workers", "1,4,8").split(",").map(Number);
const maxPerRun = Number(arg("signups", "2000"));

// ---- baseline: pgbench, TPC-B-like, scale 10, its own database
const pgb = await pgbenchBaseline(seconds);

// ---- the app's database: a bulk-seeded network
const scratch = await recreateScratch("_signup");
const app = await countingPrisma(scratch.url, Math.max(...workerCounts) + 2);
const db = app.prisma;
const config = parseConfig({});
await seedScratchNetwork(scratch.url, config, members, 42, true);

let rnd = 11;
const random = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const sponsor = () => {
  const r = random();
  return r < 0.01 ? null : r < 0.26 ? 1 + Math.floor(random() * Math.ceil(members / 100)) : 1 + Math.floor(random() * members);
};
let n = 0;
const signUp = () => {
  const i = n++;
  return inTx(db, { config }, (ctx) => registerMember(ctx, { username: `s${i}`, sponsorId: sponsor(), ip: `172.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, device: `sd${i}` }));
};

async function run(workers: number) {
  const lat: number[] = [];
  const s0 = app.counter.statements;
  const start = n;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until && n - start < maxPerRun) {
        const s = performance.now();
        try {
          await signUp();
        } catch (e) {
          errors.push(String(e).slice(0, 200));
        }
        lat.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const done = n - start;
  return { done, errors, perSec: done / elapsed, statements: (app.counter.statements - s0) / done, p50: pct(lat, 50), p99: pct(lat, 99) };
}

// Warm-up (connections, Prisma's query plans), not counted.
for (let i = 0; i < 20; i++) await signUp();

const rows: Record<string, string | number>[] = [];
for (const w of workerCounts) {
  const tps = pgb.tps(w);
  const r = await run(w);
  const row = {
    workers: w,
    "sign-ups": r.done,
    "members/s": r.perSec.toFixed(1),
    "pgbench tps (baseline)": tps.toFixed(0),
    "% of pgbench": ((100 * r.perSec) / tps).toFixed(1),
    "statements/sign-up": r.statements.toFixed(1),
    "p50 ms": r.p50.toFixed(1),
    "p99 ms": r.p99.toFixed(1),
    errors: r.errors.length,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  for (const e of r.errors.slice(0, 3)) console.log(`  error: ${e}`);
}

// Every member has one seat, and the seats' child counts add up.
const [check] = await db.$queryRawUnsafe<{ members: number; seats: number; badCounts: number }[]>(
  `SELECT (SELECT count(*)::int FROM "Member") AS members, (SELECT count(*)::int FROM "MatrixSeat" WHERE "memberId" IS NOT NULL) AS seats,
          (SELECT count(*)::int FROM "MatrixSeat" s WHERE s."childCount" <> (SELECT count(*) FROM "MatrixSeat" c WHERE c."parentId" = s.id)) AS "badCounts"`,
);
console.table(rows);
console.log(`members ${check.members}, seats ${check.seats}, seats whose child count is wrong ${check.badCounts}`);
if (check.members !== check.seats || check.badCounts !== 0) throw new Error("members, seats or child counts do not add up");

mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/signup.json", JSON.stringify({ at: new Date().toISOString(), members, seconds, rows }, null, 2) + "\n");
await app.close();
await dropScratch(pgb.name);
