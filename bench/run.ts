// npm run bench [-- --members 20000 --pg]    (npm run bench -- seed …: bench/seed/run.ts; -- simulator …: bench/simulator.ts; -- paid …: bench/paid-orders.ts; -- stock …: bench/stock.ts; -- http …: bench/http.ts; -- kpi …: bench/kpi.ts; -- jobs …: bench/jobs.ts; -- signup …: bench/signup.ts; -- catalog …: bench/catalog.ts)
// Measures the engine paths that must stay fast at a million members (SPEC §2, §3, §7):
// sign-up with closure rows + matrix placement (no subtree walk), ancestor and downline queries,
// tier metrics, as the network grows. Prints a table and writes bench/results/latest.json.
import { writeFileSync, mkdirSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { openDatabase, openPglite } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember, sponsorAncestors, downlineByDepth } from "../server/referral";
import { matrixView } from "../server/matrix";
import { tierMetrics } from "../server/tiers";
import { arg } from "./args";

// Sub-command: the bulk seed and the tree queries at a million members.
if (process.argv[2] === "seed") {
  await import("./seed/run");
  process.exit(0);
}
// Sub-command: paid-order processing against pgbench (issue 14, item 4).
if (process.argv[2] === "paid") {
  await import("./paid-orders");
  process.exit(0);
}
// Sub-command: 1 000 buyers racing for 100 units (issue 14, item 5).
if (process.argv[2] === "stock") {
  await import("./stock");
  process.exit(0);
}
// Sub-command: pages and the tRPC catalogue on `next start` against a static file (issue 14, item 6).
if (process.argv[2] === "http") {
  await import("./http");
  process.exit(0);
}
// Sub-command: the KPI dashboard's queries over 10 M orders against the raw tables (issue 14, item 7).
if (process.argv[2] === "kpi") {
  await import("./kpi");
  process.exit(0);
}
// Sub-command: the nightly tier review and the monthly bonuses over a seeded network (issue 14, item 8).
if (process.argv[2] === "jobs") {
  await import("./jobs");
  process.exit(0);
}
// Sub-command: sign-ups at 1/4/8 workers against pgbench (issue 14, item 3).
if (process.argv[2] === "signup") {
  await import("./signup");
  process.exit(0);
}
// Sub-command: the shop front's pieces sold (已售) over millions of order lines.
if (process.argv[2] === "catalog") {
  await import("./catalog");
  process.exit(0);
}
// Sub-command: the orders list's CSV export over a month of orders, offset pages against keyset.
if (process.argv[2] === "export") {
  await import("./export");
  process.exit(0);
}
// Sub-command: the what-if simulator's replay speed.
if (process.argv[2] === "simulator") {
  await import("./simulator");
  process.exit(0);
}

const total = Number(arg("members", "5000"));
const usePg = process.argv.includes("--pg");
const checkpoints = [1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000].filter((c) => c <= total);
if (!checkpoints.includes(total)) checkpoints.push(total);

const database = usePg ? await openDatabase({ url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test" }) : await openPglite({ dataDir: "memory://" });
const db = database.prisma;
if (usePg) {
  await db.$executeRawUnsafe(`TRUNCATE "Member", "SponsorClosure", "DownlineLevelCount", "MatrixSeat", "MatrixLevelCount", "Wallet", "RiskEvent", "RiskFlag", "OutboxEvent", "Notification", "GmvCredit" RESTART IDENTITY CASCADE`);
}
const config = parseConfig({});
const ids: number[] = [];
// Deterministic pseudo-random sponsor choice shaped like a real network: a quarter of sign-ups come
// through the top 1% of sharers, most through an ordinary member, 1% with no sponsor.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const rows: Record<string, number | string>[] = [];
let batchStart = performance.now();
let lastCount = 0;
const t0 = performance.now();
for (let i = 1; i <= total; i++) {
  const r = rnd();
  const sponsorId =
    ids.length === 0 || r < 0.01 ? null : r < 0.26 ? ids[Math.floor(rnd() * Math.max(1, Math.ceil(ids.length / 100)))] : ids[Math.floor(rnd() * ids.length)];
  const m = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: `b${i}`, sponsorId, ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, device: `dev${i}` }));
  ids.push(m.id);
  if (checkpoints.includes(i)) {
    const elapsed = performance.now() - batchStart;
    const perSignup = elapsed / (i - lastCount);
    const q = async <T,>(fn: () => Promise<T>) => {
      const s = performance.now();
      for (let k = 0; k < 20; k++) await fn();
      return (performance.now() - s) / 20;
    };
    const root = ids[0];
    const deepest = ids[ids.length - 1];
    const row = {
      members: i,
      "signup+placement ms": perSignup.toFixed(2),
      "ancestors(3) ms": (await q(() => sponsorAncestors({ tx: db }, deepest, 3))).toFixed(2),
      "downline by depth ms": (await q(() => downlineByDepth({ tx: db }, root, 10))).toFixed(2),
      "matrix view(10) ms": (await q(() => matrixView({ tx: db, config }, root, 10))).toFixed(2),
      "tier metrics ms": (await q(() => tierMetrics({ tx: db, now: new Date() }, root))).toFixed(2),
      "max matrix level": (await db.matrixSeat.aggregate({ _max: { level: true } }))._max.level ?? 0,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    batchStart = performance.now();
    lastCount = i;
  }
}
console.table(rows);
mkdirSync("bench/results", { recursive: true });
writeFileSync(
  "bench/results/latest.json",
  JSON.stringify({ db: usePg ? "postgres" : "pglite", members: total, totalSeconds: ((performance.now() - t0) / 1000).toFixed(1), rows }, null, 2) + "\n",
);
await database.close();
