// npm run bench -- kpi [--orders 10000000 --members 1000000 --days 1095 --reps 200 --long-reps 10 --raw-reps 3] [--reuse]
// KPI queries at scale (issue 14, item 7). Generates, set-based (generate_series, no app path), a
// scratch database (BENCH_DB + "_kpi") with `members` members and `orders` paid orders spread evenly over
// the last `days` merchant days (2% later refunded), and the daily aggregates the folding would leave:
// KpiDaily per day, KpiMemberDay per sponsor and day (the level-1 commission, 10% of the goods). Then,
// for each period of the dashboard's picker, times what /merchant/kpi runs — periodsFor then
// kpiDashboard, the same functions the tRPC procedure calls — and, as the baseline in the same run,
// rawKpi: the same figures computed from the raw tables (orders joined to members). Checks that both
// agree on the order figures first, and that the member figures (served from the KpiMemberCache) equal
// the period grouped without it; times the first call (cold cache) apart. The presets are also measured
// at the last millisecond of yesterday (a whole day of live member rows). Writes bench/results/kpi.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { zonedMidnight } from "../server/clock/time";
import { openPostgres } from "../server/db";
import { kpiDashboard, periodsFor, rawKpi, type PeriodInput } from "../server/kpi/dashboard";
import { localDay } from "../server/kpi/periods";
import { grouped, TOP_EARNERS } from "../server/kpi/members";
import { addDays } from "../server/kpi/periods";
import { pct, recreateScratch, serverUrl } from "./scratch";
import { arg } from "./args";

const orders = Number(arg("orders", "10000000"));
const members = Number(arg("members", "1000000"));
const days = Number(arg("days", "1095"));
const reps = Number(arg("reps", "200"));
const rawReps = Number(arg("raw-reps", "3"));
// Periods of 90 days and more take seconds each: fewer repetitions, so their p99 is nearly the maximum.
const longReps = Number(arg("long-reps", "10"));
const tz = "Asia/Shanghai";
const spanMs = days * 86_400_000;

// --reuse measures an already generated database (same name) instead of generating it again, at the
// time it was generated (its last order): later, today's rows would be missing (after midnight, a day's).
const reuse = process.argv.includes("--reuse");
const name = `${process.env.BENCH_DB ?? "fm_bench"}_kpi`;
const url = reuse ? Object.assign(new URL(serverUrl()), { pathname: `/${name}` }).toString() : (await recreateScratch("_kpi")).url;
const database = await openPostgres(url, { poolSize: 10 });
const db = database.prisma;
const now = reuse ? new Date((await db.$queryRaw<{ at: Date }[]>`SELECT max("paidAt") AS at FROM "Order"`)[0]!.at.getTime() + 1) : new Date();
const t0 = new Date(now.getTime() - spanMs);

let genSeconds = 0;
if (!reuse) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const g0 = performance.now();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const s = performance.now();
    await c.query(sql, params);
    console.log(`  ${label}: ${((performance.now() - s) / 1000).toFixed(1)} s`);
  };
  await c.query("SELECT setseed(0.42)");
  // Members join evenly over the span; 1% without a sponsor, a quarter through the first 1% (heavy
  // sharers), the rest through any earlier member.
  await step(
    `${members} members`,
    `INSERT INTO "Member" (id, username, "referralCode", "sponsorId", "createdAt")
     SELECT g, 'k' || g, 'K' || g,
            CASE WHEN g = 1 OR g % 100 = 0 THEN NULL
                 WHEN g % 4 = 0 THEN 1 + floor(random() * ceil(g / 100.0))::int
                 ELSE 1 + floor(random() * (g - 1))::int END,
            $1::timestamptz + (g - 1) * ($2::float8 / $3) * interval '1 millisecond'
     FROM generate_series(1, $3::int) g`,
    [t0, spanMs, members],
  );
  await c.query(`SELECT setval(pg_get_serial_sequence('"Member"', 'id'), $1)`, [members]);
  // Orders are loaded without the table's secondary indexes and foreign-key triggers, then the
  // indexes are built once with the migrations' own definitions (memberId is always a real member).
  const { rows: idx } = await c.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'Order' AND indexname <> 'Order_pkey'`);
  for (const i of idx) await c.query(`DROP INDEX "${i.indexname}"`);
  await c.query(`ALTER TABLE "Order" DISABLE TRIGGER ALL`);
  const chunk = 1_000_000;
  for (let from = 1; from <= orders; from += chunk) {
    const to = Math.min(orders, from + chunk - 1);
    await step(
      `orders ${from}–${to}`,
      `INSERT INTO "Order" (id, "orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt", "paidAt", "completedAt", "refundedAt")
       SELECT g, 'B' || g, m, CASE WHEN refunded THEN 'REFUNDED' ELSE 'COMPLETED' END::"OrderStatus", goods, goods, paid, paid,
              CASE WHEN refunded THEN NULL ELSE paid + interval '10 days' END,
              CASE WHEN refunded THEN paid + interval '3 days' END
       FROM (SELECT g, 1 + floor(random() * $4)::int AS m, 990 + floor(random() * 30000)::int AS goods, random() < 0.02 AS refunded,
                    $1::timestamptz + (g - 1) * ($2::float8 / $3) * interval '1 millisecond' AS paid
             FROM generate_series($5::int, $6::int) g) o`,
      [t0, spanMs, orders, members, from, to],
    );
  }
  await c.query(`ALTER TABLE "Order" ENABLE TRIGGER ALL`);
  await c.query(`SELECT setval(pg_get_serial_sequence('"Order"', 'id'), $1)`, [orders]);
  for (const i of idx) await step(`index ${i.indexname}`, i.indexdef);
  await step(
    "first paid orders",
    `UPDATE "Member" m SET "firstPaidOrderId" = f.id, "paidUnrefundedCount" = f.n FROM (SELECT "memberId", min(id) AS id, count(*) AS n FROM "Order" GROUP BY 1) f WHERE m.id = f."memberId"`,
  );
  const day = (col: string) => `to_char(${col} AT TIME ZONE '${tz}', 'YYYY-MM-DD')`;
  // The daily aggregates: what folding the facts of these orders, refunds, sign-ups and level-1
  // commissions leaves (one row per merchant day).
  await step(
    "KpiDaily",
    `INSERT INTO "KpiDaily" (day, "paidOrders", "gmvFen", "repeatOrders", "referralOrders", "referralGmvFen", "newPayingMembers", "referredNewPaying", "commissionL1Fen", "refundedOrders", "refundedFen", "newMembers", "referredSignups")
     SELECT d.day, COALESCE(o.paid, 0), COALESCE(o.gmv, 0), COALESCE(o.repeat, 0), COALESCE(o.ref, 0), COALESCE(o.refgmv, 0),
            COALESCE(o.newpaying, 0) - COALESCE(r.firstn, 0), COALESCE(o.refnewpaying, 0) - COALESCE(r.reffirstn, 0), COALESCE(o.l1, 0),
            COALESCE(r.n, 0), COALESCE(r.fen, 0), COALESCE(s.n, 0), COALESCE(s.ref, 0)
     FROM (SELECT ${day("g")} AS day FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 day') g
           UNION SELECT ${day("$2::timestamptz")}) d
     LEFT JOIN (SELECT ${day('o."paidAt"')} AS day, count(*) AS paid, sum(o."goodsFen") AS gmv,
                       count(*) FILTER (WHERE m."firstPaidOrderId" <> o.id) AS repeat,
                       count(*) FILTER (WHERE m."sponsorId" IS NOT NULL) AS ref,
                       sum(o."goodsFen") FILTER (WHERE m."sponsorId" IS NOT NULL) AS refgmv,
                       count(*) FILTER (WHERE m."firstPaidOrderId" = o.id) AS newpaying,
                       count(*) FILTER (WHERE m."firstPaidOrderId" = o.id AND m."sponsorId" IS NOT NULL) AS refnewpaying,
                       sum(o."goodsFen" / 10) FILTER (WHERE m."sponsorId" IS NOT NULL) AS l1
                FROM "Order" o JOIN "Member" m ON m.id = o."memberId" GROUP BY 1) o ON o.day = d.day
     LEFT JOIN (SELECT ${day('o."refundedAt"')} AS day, count(*) AS n, sum(o."goodsFen") AS fen,
                       count(*) FILTER (WHERE m."firstPaidOrderId" = o.id) AS firstn,
                       count(*) FILTER (WHERE m."firstPaidOrderId" = o.id AND m."sponsorId" IS NOT NULL) AS reffirstn
                FROM "Order" o JOIN "Member" m ON m.id = o."memberId" WHERE o."refundedAt" IS NOT NULL GROUP BY 1) r ON r.day = d.day
     LEFT JOIN (SELECT ${day('"createdAt"')} AS day, count(*) AS n, count(*) FILTER (WHERE "sponsorId" IS NOT NULL) AS ref FROM "Member" GROUP BY 1) s ON s.day = d.day`,
    [t0, now],
  );
  // Per member and day: as a sponsor, the level-1 commission earned (a third of those days also count a share); as a
  // buyer, a paid order and whether it was not their first; with the member's latest earlier shared, earning, paying and
  // repeat-paying days, as folding keeps them. Written in day order, as folding writes them day after day (a day's rows
  // share heap pages).
  await step(
    "KpiMemberDay",
    `INSERT INTO "KpiMemberDay" (day, "memberId", "earnedFen", shared, paid, repeated, "prevSharedDay", "prevEarnedDay", "prevPaidDay", "prevRepeatDay")
     SELECT day, m, earned, shared, paid, repeated, max(day) FILTER (WHERE shared) OVER w, max(day) FILTER (WHERE earned > 0) OVER w,
            max(day) FILTER (WHERE paid) OVER w, max(day) FILTER (WHERE repeated) OVER w
     FROM (SELECT day, m, sum(earned) AS earned, bool_or(shared) AS shared, bool_or(paid) AS paid, bool_or(repeated) AS repeated
           FROM (SELECT ${day('o."paidAt"')} AS day, m."sponsorId" AS m, o."goodsFen" / 10 AS earned, o.id % 3 = 0 AS shared, false AS paid, false AS repeated
                 FROM "Order" o JOIN "Member" m ON m.id = o."memberId" WHERE m."sponsorId" IS NOT NULL
                 UNION ALL
                 SELECT ${day('o."paidAt"')}, o."memberId", 0, false, true, m."firstPaidOrderId" <> o.id
                 FROM "Order" o JOIN "Member" m ON m.id = o."memberId") x
           GROUP BY 1, 2) g
     WINDOW w AS (PARTITION BY m ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
     ORDER BY day, m`,
  );
  // What autovacuum does to an insert-only table: the visibility map lets index-only scans skip the heap.
  await step("VACUUM ANALYZE", "VACUUM ANALYZE");
  genSeconds = (performance.now() - g0) / 1000;
  await c.end();
}
const [{ n: memberDays }] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "KpiMemberDay"`;
const [{ n: dailyRows }] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "KpiDaily"`;
console.log(`generated in ${genSeconds.toFixed(0)} s, measured at ${now.toISOString()}: ${orders} orders, ${members} members, ${dailyRows} daily rows, ${memberDays} member-day rows`);

const today = localDay(now, tz);
// The presets also at the last millisecond of yesterday: a whole day of live member rows (the worst case).
const endOfYesterday = new Date(zonedMidnight(Number(today.slice(0, 4)), Number(today.slice(5, 7)), Number(today.slice(8, 10)), tz).getTime() - 1);
const choices: { label: string; input: PeriodInput; at: Date }[] = [
  { label: "today", input: { preset: "today" }, at: now },
  { label: "7d", input: { preset: "7d" }, at: now },
  { label: "30d", input: { preset: "30d" }, at: now },
  { label: "month", input: { preset: "month" }, at: now },
  { label: "custom 90 days", input: { preset: "custom", from: addDays(today, -89), to: today }, at: now },
  { label: "custom 365 days", input: { preset: "custom", from: addDays(today, -364), to: today }, at: now },
  { label: "custom 1 095 days", input: { preset: "custom", from: addDays(today, -(days - 1)), to: today }, at: now },
  { label: "today at 23:59:59 yesterday", input: { preset: "today" }, at: endOfYesterday },
  { label: "7d at 23:59:59 yesterday", input: { preset: "7d" }, at: endOfYesterday },
  { label: "30d at 23:59:59 yesterday", input: { preset: "30d" }, at: endOfYesterday },
];

// The aggregates must say what the raw tables say, or the timing compares different answers.
const sameFigures = ["paidOrders", "gmvFen", "repurchaseRate", "newPayingMembers", "referralGmvShare", "refundedFen", "newMembers"] as const;
const rows = [];
for (const { label, input, at } of choices) {
  const periods = await periodsFor(db, input, at);
  // The first call computes and caches the member figures of the days before today (a cold cache).
  const c0 = performance.now();
  const dash = await kpiDashboard(db, periods);
  const firstMs = performance.now() - c0;
  const raw = await rawKpi(db, periods.current, tz);
  for (const k of sameFigures) {
    if (dash.current[k] !== raw.figures[k]) throw new Error(`${label}: ${k} is ${dash.current[k]} from the aggregates but ${raw.figures[k]} from the raw tables`);
  }
  // The generated member-days have no raw rows to check against: the cached figures must equal the
  // period's member-days grouped without the cache.
  const direct = await grouped(db, periods.current);
  const cached = { sharers: dash.current.sharers, activeDistributors: dash.current.activeDistributors, top: dash.top.map((t) => [t.memberId, t.earnedFen]) };
  const uncached = { sharers: direct.sharers, activeDistributors: direct.activeDistributors, top: direct.top.slice(0, TOP_EARNERS).map((t) => [t.memberId, t.earned]) };
  if (JSON.stringify(cached) !== JSON.stringify(uncached)) throw new Error(`${label}: member figures ${JSON.stringify(cached)} but ${JSON.stringify(uncached)} grouped directly`);
  const lat: number[] = [];
  for (let i = 0; i < (dash.series.length >= 90 ? longReps : reps); i++) {
    const s = performance.now();
    await kpiDashboard(db, await periodsFor(db, input, at));
    lat.push(performance.now() - s);
  }
  const rawLat: number[] = [];
  for (let i = 0; i < rawReps; i++) {
    const s = performance.now();
    await rawKpi(db, periods.current, tz);
    rawLat.push(performance.now() - s);
  }
  const row = {
    period: label,
    days: dash.series.length,
    "paid orders": dash.current.paidOrders,
    "first call ms": +firstMs.toFixed(0),
    reps: lat.length,
    "dashboard p50 ms": +pct(lat, 50).toFixed(1),
    "dashboard p99 ms": +pct(lat, 99).toFixed(1),
    "raw p50 ms (baseline)": +pct(rawLat, 50).toFixed(0),
    "raw max ms": +Math.max(...rawLat).toFixed(0),
    "raw / dashboard (p50)": +(pct(rawLat, 50) / pct(lat, 50)).toFixed(0),
  };
  console.log(JSON.stringify(row));
  rows.push(row);
}
console.table(rows);
mkdirSync("bench/results", { recursive: true });
writeFileSync(
  "bench/results/kpi.json",
  JSON.stringify({ at: new Date().toISOString(), orders, members, days, reps, longReps, rawReps, dailyRows: Number(dailyRows), memberDays: Number(memberDays), generateSeconds: +genSeconds.toFixed(1), rows }, null, 2) + "\n",
);
await database.close();
