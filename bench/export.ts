// npm run bench -- export [--orders 300000 --members 30000 --products 40 --take 500 --baseline-rows 50000] [--keep]
// The orders list's CSV export (a background export job) over a month of a busy shop. Generates, set-based, a
// scratch database (fm_export_bench, dropped at the end unless --keep) with `orders` orders placed over the
// last 30 days, one to three lines each (92% completed, 3% refunded, 5% unpaid or cancelled), amounts drawn
// from 200 prices (so ties in amount span pages), then exports them as the job does: the previous path
// (searchOrders offset pages of 100 with the capped count, 500 a batch: the baseline, stopped after
// `baseline-rows`) and the keyset path (orderExportRows: seeks after the last row, no count) for every sort,
// and once through csvStream into a whole CSV file. Checks that both paths give the same rows in the same
// order as far as the baseline went. Writes bench/results/export.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { migratePostgres, openPostgres, type Db } from "../server/db";
import { loadConfig } from "../server/context";
import { ORDER_SORTS, searchOrders, type MerchantOrderFilter, type MerchantOrderItem } from "../server/orders/merchant";
import { orderExport, orderExportRows } from "../server/exports/orders";
import { csvStream } from "../server/exports/csv";
import { dropScratch, serverUrl } from "./scratch";
import { arg } from "./args";

const orders = Number(arg("orders", "300000"));
const members = Number(arg("members", "30000"));
const products = Number(arg("products", "40"));
const take = Number(arg("take", "500"));
const baselineRows = Number(arg("baseline-rows", "50000"));
const keep = process.argv.includes("--keep");

const name = "fm_export_bench";
await dropScratch(name);
const admin = new pg.Client({ connectionString: serverUrl() });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const url = Object.assign(new URL(serverUrl()), { pathname: `/${name}` }).toString();

const genSeconds: Record<string, number> = {};
await migratePostgres(url);
{
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const s = performance.now();
    await c.query(sql, params);
    genSeconds[label] = Number(((performance.now() - s) / 1000).toFixed(1));
    console.log(`  ${label}: ${genSeconds[label]} s`);
  };
  await c.query("SELECT setseed(0.42)");
  // As bench/catalog.ts generates them, trimmed to what the export reads.
  await step("categories, products, SKUs", `
    INSERT INTO "Category" (slug, name, sort) SELECT 'c' || g, '类目' || g, g FROM generate_series(1, 4) g;
    INSERT INTO "Product" (id, name, category, sort) SELECT g, '商品 ' || g, 'c' || (1 + g % 4), g FROM generate_series(1, ${products}) g;
    INSERT INTO "Sku" (id, "productId", code, options, "optionKey", "priceFen", stock)
      SELECT 2 * p - 1 + k, p, 'S' || p || '-' || k, ARRAY['规格' || k], '规格' || k, 990 + p * 100 + k * 50, 1000000
      FROM generate_series(1, ${products}) p, generate_series(0, 1) k;
    SELECT setval(pg_get_serial_sequence('"Product"', 'id'), ${products});
    SELECT setval(pg_get_serial_sequence('"Sku"', 'id'), ${2 * products});`);
  await step(`${members} members`, `INSERT INTO "Member" (id, username, nickname, "referralCode", "createdAt") SELECT g, 'c' || g, '会员' || g, 'C' || g, now() - interval '365 days' FROM generate_series(1, $1::int) g`, [members]);
  await c.query(`SELECT setval(pg_get_serial_sequence('"Member"', 'id'), $1)`, [members]);
  const { rows: idx } = await c.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('Order', 'OrderLine') AND indexname NOT LIKE '%_pkey'`);
  for (const i of idx) await c.query(`DROP INDEX "${i.indexname}"`);
  await c.query(`ALTER TABLE "Order" DISABLE TRIGGER ALL`);
  await c.query(`ALTER TABLE "OrderLine" DISABLE TRIGGER ALL`);
  await step(`${orders} orders over 30 days`, `
    INSERT INTO "Order" (id, "orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt", "paidAt")
    SELECT g, 'FM' || to_char(at AT TIME ZONE 'UTC', 'YYYYMMDD') || lpad(((g::bigint * 2654435761) % 10000000000)::text, 10, '0'), 1 + floor(random() * $1)::int,
           (CASE WHEN r < 0.92 THEN 'COMPLETED' WHEN r < 0.95 THEN 'REFUNDED' WHEN r < 0.97 THEN 'PENDING_PAYMENT' ELSE 'CANCELLED' END)::"OrderStatus",
           goods, goods, at, CASE WHEN r < 0.95 THEN at + interval '1 minute' END
    FROM (SELECT g, random() AS r, 990 + 100 * floor(random() * 200)::int AS goods, now() - interval '30 days' * (1 - g::float8 / $2) AS at
          FROM generate_series(1, $2::int) g) o`, [members, orders]);
  await step("their lines", `
    INSERT INTO "OrderLine" ("orderId", "productId", "skuId", qty, "unitPriceFen", "goodsFen", category)
    SELECT o, p, 2 * p - 1 + (o % 2), q, 1000, 1000 * q, 'c' || (1 + p % 4)
    FROM (SELECT g AS o, 1 + floor(random() * $2)::int AS p, 1 + floor(random() * 3)::int AS q
          FROM generate_series(1, $1::int) g CROSS JOIN LATERAL generate_series(1, 1 + (random() + 0 * g < 0.35)::int + (random() + 0 * g < 0.15)::int) k) l`, [orders, products]);
  await c.query(`ALTER TABLE "Order" ENABLE TRIGGER ALL`);
  await c.query(`ALTER TABLE "OrderLine" ENABLE TRIGGER ALL`);
  await c.query(`SELECT setval(pg_get_serial_sequence('"Order"', 'id'), $1)`, [orders]);
  const s = performance.now();
  for (const i of idx) await c.query(i.indexdef);
  genSeconds.indexes = Number(((performance.now() - s) / 1000).toFixed(1));
  await step("VACUUM ANALYZE", "VACUUM ANALYZE");
  await c.end();
}

const database = await openPostgres(url, { poolSize: 4, migrate: false });
const db: Db = database.prisma;

/** The previous export path, as it was: offset batches of 500, each five searchOrders pages of 100 with its capped count. */
async function* offsetRows(f: MerchantOrderFilter): AsyncGenerator<MerchantOrderItem> {
  for (let skip = 0; ; skip += 500) {
    const reader = { tx: db, config: await loadConfig(db) };
    const batch: MerchantOrderItem[] = [];
    for (let s = skip; s < skip + 500; s += 100) {
      const page = await searchOrders(reader, { ...f, page: Math.floor(s / 100) + 1, pageSize: 100 });
      batch.push(...page.items);
      if (page.items.length < 100) break;
    }
    yield* batch;
    if (batch.length < 500) return;
  }
}

interface Run { path: string; sort: string; rows: number; seconds: number; rowsPerSecond: number; lastBatchMs: number; batchMsAt: Record<number, number> }
/** Reads `rows` until it ends or `cap` rows; the time of a batch of `take` rows every 50 000 rows says what a page costs by then. */
async function timeRows(path: string, sort: string, rows: AsyncIterable<MerchantOrderItem>, cap = Infinity, ids?: number[]): Promise<Run> {
  const s = performance.now();
  let n = 0;
  let batchStart = s;
  let lastBatchMs = 0;
  const batchMsAt: Record<number, number> = {};
  for await (const row of rows) {
    ids?.push(row.id);
    if (++n % take === 0) {
      const now = performance.now();
      lastBatchMs = now - batchStart;
      batchStart = now;
      if (n % 50_000 === 0) batchMsAt[n] = Number(lastBatchMs.toFixed(1));
    }
    if (n >= cap) break;
  }
  const seconds = (performance.now() - s) / 1000;
  const run = { path, sort, rows: n, seconds: Number(seconds.toFixed(1)), rowsPerSecond: Math.round(n / seconds), lastBatchMs: Number(lastBatchMs.toFixed(1)), batchMsAt };
  console.log(`  ${path.padEnd(34)} ${sort.padEnd(14)} ${String(n).padStart(7)} rows  ${run.seconds.toFixed(1).padStart(7)} s  ${String(run.rowsPerSecond).padStart(6)} rows/s   last ${take} rows ${run.lastBatchMs.toFixed(0)} ms; at ${Object.entries(batchMsAt).map(([k, v]) => `${Number(k) / 1000}k ${v.toFixed(0)}`).join(", ")} ms`);
  return run;
}

console.log(`\n${orders} orders over 30 days; batches of ${take}:`);
const runs: Run[] = [];
const baseIds: number[] = [];
const keyIds: number[] = [];
runs.push(await timeRows("baseline: offset pages + count", "createdAt.desc", offsetRows({}), baselineRows, baseIds));
runs.push(await timeRows("keyset, same rows", "createdAt.desc", orderExportRows(db, {}, take), baselineRows, keyIds));
if (baseIds.length !== keyIds.length || baseIds.some((id, i) => keyIds[i] !== id)) throw new Error("the keyset export differs from the offset export");
for (const sort of ORDER_SORTS) runs.push(await timeRows("keyset, every order", sort, orderExportRows(db, { sort }, take)));
// What the job does with them: the whole file, every cell formatted and quoted.
const s = performance.now();
const bytes = (await new Response(csvStream(orderExport.columns("Asia/Shanghai"), orderExport.rows(db, {}))).arrayBuffer()).byteLength;
const csvSeconds = (performance.now() - s) / 1000;
const csv = { rows: orders, megabytes: Number((bytes / 1e6).toFixed(1)), seconds: Number(csvSeconds.toFixed(1)), rowsPerSecond: Math.round(orders / csvSeconds) };
console.log(`  keyset, the whole CSV file (createdAt.desc): ${csv.megabytes} MB in ${csv.seconds} s, ${csv.rowsPerSecond} rows/s`);

mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/export.json", JSON.stringify({ at: new Date().toISOString(), orders, members, take, baselineRows, genSeconds, runs, csv }, null, 2) + "\n");
await database.close();
if (!keep) await dropScratch(name);
