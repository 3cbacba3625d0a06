// npm run bench -- seed [--members 1000000] [--sample 2000] [--db fm_bench] [--seed-only]
// Bulk-seeds a realistic network (bench/seed/network.ts) into a scratch PostgreSQL database
// (fm_bench on DATABASE_URL's server, recreated each run), then measures, on that network:
// - the seed itself (members/s, closure rows), against the target of 1 M members in 10 minutes;
// - tree queries (sponsor ancestors to depth 3 and 10, downline counts by level, the matrix view of
//   10 levels) as p50/p99 over sampled members;
// - the next sign-ups' first-vacancy search (placeInMatrix's descent over minVacantDepth) against the
//   same search done by a recursive-CTE breadth-first query on the same data: the baseline ratio.
// Writes bench/results/seed.json and prints a table.
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openPostgres } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember, sponsorAncestors, downlineByDepth } from "../../server/referral";
import { firstVacantParent, matrixView, ROOT_SEAT_ID } from "../../server/matrix";
import { bulkSeedNetwork } from "./bulk";
import { planNetwork } from "./network";
import { arg } from "../args";

const members = Number(arg("members", "1000000"));
const samples = Number(arg("sample", "2000"));
const placements = Number(arg("signups", "10000"));
const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test");
const dbName = arg("db", "fm_bench");
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`bad database name ${dbName}`);

const admin = new pg.Client({ connectionString: base.toString() });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const url = new URL(base.toString());
url.pathname = `/${dbName}`;
// Migrated by the app's own migration path, then seeded over a plain connection.
const database = await openPostgres(url.toString(), { poolSize: 4 });
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();

const config = parseConfig({});
const plan = planNetwork(members, 42);
const t0 = performance.now();
let lastLog = 0;
const seeded = await bulkSeedNetwork((sql, params) => client.query(sql, params), config, plan, {
  start: new Date("2026-01-01T00:00:00Z"),
  stepMs: 1000,
  chunk: 50_000,
  deferClosureIndexes: true,
  progress: (phase, rows) => {
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      console.log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${phase} ${rows}`);
    }
  },
});
await client.query("ANALYZE");
const seedSeconds = (performance.now() - t0) / 1000;
await client.end();
console.log(`seeded ${members} members in ${seedSeconds.toFixed(1)} s`);
// --seed-only leaves the seeded database for other benchmarks (jobs at 1 M members) and measures nothing.
if (process.argv.includes("--seed-only")) {
  await database.close();
  process.exit(0);
}

const db = database.prisma;
let rnd = 7;
const pick = () => 1 + ((rnd = (rnd * 1103515245 + 12345) % 2 ** 31) % members);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
async function time(n: number, fn: () => Promise<unknown>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    out.push(performance.now() - s);
  }
  return { p50: pct(out, 50), p99: pct(out, 99) };
}

// The heaviest sharers (most directs) are where the matrix is deepest and the tree widest.
const heavy = (await db.$queryRawUnsafe<{ id: number }[]>(`SELECT "sponsorId" AS id FROM "Member" WHERE "sponsorId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`))[0].id;
const queries = {
  "ancestors(3)": await time(samples, () => sponsorAncestors({ tx: db }, pick(), 3)),
  "ancestors(10)": await time(samples, () => sponsorAncestors({ tx: db }, pick(), 10)),
  "downline by level": await time(samples, () => downlineByDepth({ tx: db }, pick(), 10)),
  "matrix view(10)": await time(Math.min(samples, 500), () => matrixView({ tx: db, config }, pick(), 10)),
  "matrix view(10) of the top sharer": await time(50, () => matrixView({ tx: db, config }, heavy, 10)),
};

// Baseline: the first vacancy under a seat found breadth-first by a recursive CTE over the seats.
const bfsVacancy = (seatId: number) =>
  db.$queryRawUnsafe(
    `WITH RECURSIVE sub AS (
       SELECT id, "childCount", level, ARRAY[position] AS path FROM "MatrixSeat" WHERE id = $1
       UNION ALL
       SELECT s.id, s."childCount", s.level, sub.path || s.position FROM "MatrixSeat" s JOIN sub ON s."parentId" = sub.id WHERE sub."childCount" >= $2)
     SELECT id FROM sub WHERE "childCount" < $2 ORDER BY level, path LIMIT 1`,
    seatId,
    config.matrix.width,
  );
const baselineSponsors = Array.from({ length: Math.min(placements, 200) }, () => (pick() % 50 === 0 ? heavy : pick()));
let bi = 0;
const baseline = await time(baselineSponsors.length, async () => {
  const seat = await db.matrixSeat.findUnique({ where: { memberId: baselineSponsors[bi++] }, select: { id: true } });
  await bfsVacancy(seat!.id);
});
let si = 0;
const signup = await time(placements, () =>
  inTx(db, { config }, (ctx) => registerMember(ctx, { username: `late${si++}`, sponsorId: si % 50 === 0 ? heavy : pick() })),
);
// The placement search alone: the descent over minVacantDepth that placeInMatrix runs, without writing.
const descent = await time(baselineSponsors.length, () => firstVacantParent({ tx: db, config }, baselineSponsors[bi++ % baselineSponsors.length]));
// Where the search is long: under the top sharer's seat, and under the root (a sign-up without a sponsor, 1%).
const rootSeat = ROOT_SEAT_ID;
const heavySeat = (await db.matrixSeat.findUniqueOrThrow({ where: { memberId: heavy }, select: { id: true } })).id;
const deep = {
  "top sharer": { descent: await time(50, () => firstVacantParent({ tx: db, config }, heavy)), baseline: await time(10, () => bfsVacancy(heavySeat)) },
  "no sponsor (root)": { descent: await time(50, () => firstVacantParent({ tx: db, config }, null)), baseline: await time(5, () => bfsVacancy(rootSeat)) },
};
await database.close();

const fmt = (x: number) => x.toFixed(2);
const rows = [
  { measure: `bulk seed of ${members} members`, value: `${seedSeconds.toFixed(1)} s (${Math.round(members / seedSeconds)} members/s, ${seeded.closureRows} closure rows); target < 600 s` },
  ...Object.entries(queries).map(([k, v]) => ({ measure: `${k} p50 / p99`, value: `${fmt(v.p50)} / ${fmt(v.p99)} ms` })),
  { measure: `first vacancy, minVacantDepth descent p50 / p99`, value: `${fmt(descent.p50)} / ${fmt(descent.p99)} ms` },
  { measure: `first vacancy, recursive-CTE BFS (baseline) p50 / p99`, value: `${fmt(baseline.p50)} / ${fmt(baseline.p99)} ms` },
  { measure: `descent vs baseline (p50)`, value: `${(baseline.p50 / descent.p50).toFixed(1)}× faster` },
  ...Object.entries(deep).map(([k, v]) => ({
    measure: `first vacancy under ${k}: descent / BFS baseline p50 (p99)`,
    value: `${fmt(v.descent.p50)} (${fmt(v.descent.p99)}) / ${fmt(v.baseline.p50)} (${fmt(v.baseline.p99)}) ms: ${(v.baseline.p50 / v.descent.p50).toFixed(0)}× faster`,
  })),
  { measure: `${placements} further sign-ups (whole transaction) p50 / p99`, value: `${fmt(signup.p50)} / ${fmt(signup.p99)} ms` },
];
console.table(rows);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/seed.json", JSON.stringify({ at: new Date().toISOString(), seedSeconds, ...seeded, queries, descent, baseline, deep, signup }, null, 2));
