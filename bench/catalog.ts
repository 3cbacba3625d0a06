// npm run bench -- catalog [--orders 2000000 --products 40 --members 100000 --reps 50 --raw-reps 5] [--reuse]
// The shop front's 已售 (pieces sold) at scale. Generates, set-based, a scratch database (BENCH_DB +
// "_catalog") with `products` products (two SKUs each, a third of them popular), `members` members and
// `orders` orders of one to three lines (92% sold, 3% refunded, 5% unpaid or cancelled), then fills
// ProductSales with the migration's own backfill statement (timed). Measures what the shop front reads:
// salesCounts for every product, the home page's data (catalog.home: categories, the first 40 products,
// the best-seller banners), a category page sorted by sales, one product's offer (product page) — and,
// as the baseline in the same run, the previous salesCounts: every sold line grouped per product. Checks
// first that both give the same counts. Also the back office's home (and, as its baseline, the same call
// without the paidAt and Member.createdAt indexes) and its orders list. Writes bench/results/catalog.json.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { migratePostgres, openPostgres, type Db } from "../server/db";
import { MIGRATIONS_DIR } from "../server/db/schema-engine";
import { homeBanners, listCategories, listProducts, salesCounts, searchProducts } from "../server/catalog";
import { shopProduct } from "../server/promotion/product-offer";
import { parseConfig } from "../server/config/schema";
import { backOfficeHome } from "../server/kpi/home";
import { searchOrders } from "../server/orders/merchant";
import { listMembers } from "../server/members/admin";
import { recreateScratch, serverUrl } from "./scratch";
import { arg } from "./args";

const orders = Number(arg("orders", "2000000"));
const products = Number(arg("products", "40"));
const members = Number(arg("members", "100000"));
const reps = Number(arg("reps", "50"));
const rawReps = Number(arg("raw-reps", "5"));
const reuse = process.argv.includes("--reuse");

const name = `${process.env.BENCH_DB ?? "fm_bench"}_catalog`;
const url = reuse ? Object.assign(new URL(serverUrl()), { pathname: `/${name}` }).toString() : (await recreateScratch("_catalog")).url;
const genSeconds: Record<string, number> = {};
if (!reuse) {
  await migratePostgres(url);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const s = performance.now();
    await c.query(sql, params);
    genSeconds[label] = (performance.now() - s) / 1000;
    console.log(`  ${label}: ${genSeconds[label]!.toFixed(1)} s`);
  };
  await c.query("SELECT setseed(0.42)");
  await step("categories, products, SKUs", `
    INSERT INTO "Category" (slug, name, sort) SELECT 'c' || g, '类目' || g, g FROM generate_series(1, 4) g;
    INSERT INTO "Product" (id, name, category, sort) SELECT g, '商品 ' || g, 'c' || (1 + g % 4), g FROM generate_series(1, ${products}) g;
    INSERT INTO "Sku" (id, "productId", code, options, "optionKey", "priceFen", stock)
      SELECT 2 * p - 1 + k, p, 'S' || p || '-' || k, ARRAY['规格' || k], '规格' || k, 990 + p * 100 + k * 50, 1000000
      FROM generate_series(1, ${products}) p, generate_series(0, 1) k;
    SELECT setval(pg_get_serial_sequence('"Product"', 'id'), ${products});
    SELECT setval(pg_get_serial_sequence('"Sku"', 'id'), ${2 * products});`);
  // Members joined over the last year, orders placed over it in id order: a year of a busy shop.
  await step(`${members} members`, `INSERT INTO "Member" (id, username, "referralCode", "createdAt") SELECT g, 'c' || g, 'C' || g, now() - interval '365 days' * (1 - g::float8 / $1) FROM generate_series(1, $1::int) g`, [members]);
  await c.query(`SELECT setval(pg_get_serial_sequence('"Member"', 'id'), $1)`, [members]);
  // Loaded without secondary indexes and foreign-key triggers, then indexed with the migrations' own definitions.
  const { rows: idx } = await c.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('Order', 'OrderLine') AND indexname NOT LIKE '%_pkey'`);
  for (const i of idx) await c.query(`DROP INDEX "${i.indexname}"`);
  await c.query(`ALTER TABLE "Order" DISABLE TRIGGER ALL`);
  await c.query(`ALTER TABLE "OrderLine" DISABLE TRIGGER ALL`);
  const chunk = 1_000_000;
  for (let from = 1; from <= orders; from += chunk) {
    const to = Math.min(orders, from + chunk - 1);
    await step(`orders ${from}–${to}`, `
      INSERT INTO "Order" (id, "orderNo", "memberId", status, "goodsFen", "payableFen", "createdAt", "paidAt")
      -- As the app numbers them: the UTC date, then ten digits that look random (g times an odd number not a multiple of 5, mod 10^10: distinct).
      SELECT g, 'FM' || to_char(at AT TIME ZONE 'UTC', 'YYYYMMDD') || lpad(((g::bigint * 2654435761) % 10000000000)::text, 10, '0'), 1 + floor(random() * $1)::int,
             (CASE WHEN r < 0.92 THEN 'COMPLETED' WHEN r < 0.95 THEN 'REFUNDED' WHEN r < 0.97 THEN 'PENDING_PAYMENT' ELSE 'CANCELLED' END)::"OrderStatus",
             goods, goods, at, CASE WHEN r < 0.95 THEN at + interval '1 minute' END
      FROM (SELECT g, random() AS r, 990 + floor(random() * 30000)::int AS goods, now() - interval '365 days' * (1 - g::float8 / $4) AS at
            FROM generate_series($2::int, $3::int) g) o`, [members, from, to, orders]);
    // One to three lines; a third of the products take most of them (popular items).
    await step(`lines of orders ${from}–${to}`, `
      INSERT INTO "OrderLine" ("orderId", "productId", "skuId", qty, "unitPriceFen", "goodsFen", category)
      SELECT o, p, 2 * p - 1 + (o % 2), q, 1000, 1000 * q, 'c' || (1 + p % 4)
      FROM (SELECT g AS o,
                   CASE WHEN random() < 0.7 THEN 1 + floor(random() * ceil($3 / 3.0))::int ELSE 1 + floor(random() * $3)::int END AS p,
                   1 + floor(random() * 3)::int AS q
            -- The inner series' bound mentions g so that it is drawn per order, not once.
            FROM generate_series($1::int, $2::int) g CROSS JOIN LATERAL generate_series(1, 1 + (random() + 0 * g < 0.35)::int + (random() + 0 * g < 0.15)::int) k) l`, [from, to, products]);
  }
  await c.query(`ALTER TABLE "Order" ENABLE TRIGGER ALL`);
  await c.query(`ALTER TABLE "OrderLine" ENABLE TRIGGER ALL`);
  await c.query(`SELECT setval(pg_get_serial_sequence('"Order"', 'id'), $1)`, [orders]);
  for (const i of idx) await step(`index ${i.indexname}`, i.indexdef);
  await step("VACUUM ANALYZE", "VACUUM ANALYZE");
  // What upgrading a shop of this size costs: the migration's backfill, as deployed.
  const dir = readdirSync(MIGRATIONS_DIR).find((d) => d.endsWith("_product_sales"))!;
  const sql = readFileSync(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8");
  await step("ProductSales backfill (migration)", sql.slice(sql.indexOf('INSERT INTO "ProductSales"')));
  await c.end();
}

const database = await openPostgres(url, { poolSize: 4 });
const db: Db = database.prisma;
const [{ lines }] = await db.$queryRaw<{ lines: bigint }[]>`SELECT count(*) AS lines FROM "OrderLine"`;
const ids = (await db.product.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((p) => p.id);

/** The previous salesCounts (the baseline): the sold lines of every order, grouped per product. */
async function salesFromLines(productIds: number[]) {
  const rows = await db.orderLine.groupBy({
    by: ["productId"],
    where: { productId: { in: productIds }, order: { status: { in: ["PAID", "SHIPPED", "DELIVERED", "COMPLETED"] } } },
    _sum: { qty: true },
  });
  return new Map(rows.map((r) => [r.productId, r._sum.qty ?? 0]));
}

const same = (a: Map<number, number>, b: Map<number, number>) => ids.every((id) => (a.get(id) ?? 0) === (b.get(id) ?? 0));
if (!same(await salesCounts(db, ids), await salesFromLines(ids))) throw new Error("ProductSales differs from the order lines");

async function time(label: string, n: number, fn: (i: number) => Promise<unknown>) {
  await fn(n); // warm: plans and connections
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)]!;
  const row = { label, reps: n, p50: Number(q(50).toFixed(2)), p99: Number(q(99).toFixed(2)) };
  console.log(`  ${label.padEnd(58)} p50 ${row.p50.toFixed(2).padStart(9)} ms   p99 ${row.p99.toFixed(2).padStart(9)} ms   (${n} calls)`);
  return row;
}

const hot = ids[0]!;
const config = parseConfig({});
console.log(`\n${orders} orders, ${lines} lines, ${ids.length} products:`);
const rows = [
  await time("baseline: sold lines grouped per product (all products)", rawReps, () => salesFromLines(ids)),
  await time("baseline: one popular product's sold lines", rawReps, () => salesFromLines([hot])),
  await time("salesCounts, all products (ProductSales)", reps, () => salesCounts(db, ids)),
  await time("home page data (catalog.home)", reps, () => Promise.all([listCategories(db), listProducts(db, { limit: 40 }), homeBanners(db)])),
  await time("category page sorted by sales", reps, () => searchProducts(db, { category: "c1", sort: "sales", limit: 100 })),
  await time("product page offer (popular product)", reps, () => shopProduct(db, config, hot, null)),
];
// The back office: its home's today figures and to-dos, and the orders list as it opens (page 1,
// newest first), on one status, sorted, and searched by part of an order number; its count stops at LIST_COUNT_CAP.
const ctx = { tx: db, config };
const [{ orderNo: wholeNo }] = await db.$queryRaw<{ orderNo: string }[]>`SELECT "orderNo" FROM "Order" WHERE id = ${orders - 7}`;
/** The last `n` digits of an order picked by `i` (spread over the table). */
const digits = (i: number, n: number) => `${(BigInt((i * 7_919_993) % orders + 1) * 2_654_435_761n) % 10_000_000_000n}`.padStart(10, "0").slice(-n);
const tz = config.timeZone;
rows.push(
  await time("back office home (today, to-dos)", reps, () => backOfficeHome(db, new Date(), tz)),
  await time("orders list, page 1", reps, () => searchOrders(ctx, {})),
  await time("orders list, 已完成 (COMPLETED) page 1", reps, () => searchOrders(ctx, { status: "COMPLETED" })),
  await time("orders list, page 1 sorted by amount", reps, () => searchOrders(ctx, { sort: "goodsFen.desc" })),
  await time("orders list, page 1 by payment time (unpaid last)", reps, () => searchOrders(ctx, { sort: "paidAt.desc" })),
  await time("orders list, a whole order number", reps, () => searchOrders(ctx, { orderNo: wholeNo })),
  // What a shopper reads out: the last four or six digits (a different number each call).
  await time("orders list, order number contains 4 digits", reps, (i) => searchOrders(ctx, { orderNo: digits(i, 4) })),
  await time("orders list, order number contains 6 digits", reps, (i) => searchOrders(ctx, { orderNo: digits(i, 6) })),
);
// The members list as it opens (newest first) and by team size, over every member.
const memberPage = { page: 1, pageSize: 20 };
rows.push(
  await time("members list, page 1", reps, () => listMembers(db, config, {}, memberPage)),
  await time("members list, page 1 by team size", rawReps, () => listMembers(db, config, {}, { ...memberPage, sort: { id: "teamSize", desc: true } })),
);
// Baselines of the orders list: what each view counted before the cap, the amount sort before its
// index (dropped for it), a whole order number matched as a part of one.
rows.push(
  await time("baseline: orders list's exact count of every order", rawReps, () => db.order.count({})),
  await time("baseline: a whole order number as a substring", rawReps, () => db.order.findMany({ where: { orderNo: { contains: wholeNo } }, take: 20 })),
  // The same page as the 6-digit search, with the match written so that no index can serve it (strpos): the scan it was.
  await time("baseline: order number contains 6 digits, scanned", rawReps, (i) => db.$queryRaw`
    SELECT id FROM "Order" WHERE strpos("orderNo", ${digits(i, 6)}) > 0 ORDER BY "createdAt" DESC, id DESC LIMIT 20`),
);
await db.$executeRawUnsafe(`DROP INDEX "Order_goodsFen_id_idx"`);
rows.push(await time("baseline: orders list sorted by amount without its index", rawReps, () => searchOrders(ctx, { sort: "goodsFen.desc" })));
await db.$executeRawUnsafe(`CREATE INDEX "Order_goodsFen_id_idx" ON "Order"("goodsFen", "id")`);
// The home and the payment-time sort before paidAt and Member.createdAt were indexed (indexes dropped for them).
await db.$executeRawUnsafe(`DROP INDEX "Order_paidAt_id_idx"`);
await db.$executeRawUnsafe(`DROP INDEX "Member_createdAt_idx"`);
rows.push(
  await time("baseline: back office home without the day indexes", rawReps, () => backOfficeHome(db, new Date(), tz)),
  await time("baseline: orders list by payment time without its index", rawReps, () => searchOrders(ctx, { sort: "paidAt.desc" })),
);
await db.$executeRawUnsafe(`CREATE INDEX "Order_paidAt_id_idx" ON "Order"("paidAt" DESC NULLS LAST, "id" DESC)`);
await db.$executeRawUnsafe(`CREATE INDEX "Member_createdAt_idx" ON "Member"("createdAt")`);
const ratio = rows[0]!.p50 / rows[2]!.p50;
console.log(`\nsalesCounts for all products: ${ratio.toFixed(0)}× faster than grouping the sold lines (p50 against p50)`);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/catalog.json", JSON.stringify({ at: new Date().toISOString(), orders, lines: Number(lines), products: ids.length, members, genSeconds, rows, ratio }, null, 2));
await database.close();
