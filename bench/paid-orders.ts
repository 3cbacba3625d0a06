// npm run bench -- paid [--members 20000 --seconds 12 --workers 1,4,8]
// Paid-order processing (issue 14, item 4): a verified payment callback for an unpaid order
// (applyProviderPayment: confirmation → commissions → 推三返一 assignment and task → ledger →
// notifications → KPI facts, then the intent claimed) in orders/second at 1, 4 and 8 workers, on a
// bulk-seeded network in a scratch database. Baseline in the same run on the same server: pgbench's
// built-in TPC-B-like script at scale 10 with as many clients, in its own scratch database.
// Also SQL statements per paid order (counted on the wire, BEGIN/COMMIT included) and latency.
// Writes bench/results/paid-orders.json and prints a table.
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { createOrder, confirmPayment } from "../server/orders";
import { applyProviderPayment, getProvider } from "../server/payments";
import { createSimpleProduct } from "../server/catalog/admin";
import { countingPrisma, seedScratchNetwork, dropScratch, pct, pgbenchBaseline, recreateScratch } from "./scratch";
import { arg } from "./args";

const members = Number(arg("members", "20000"));
const seconds = Number(arg("seconds", "12"));
const workerCounts = arg("workers", "1,4,8").split(",").map(Number);
const maxOrdersPerRun = Number(arg("orders", "1500"));

// ---- baseline: pgbench, TPC-B-like, scale 10, its own database
const pgb = await pgbenchBaseline(seconds);

// ---- the app's database: a network, one product, unpaid orders with their payment intents
const scratch = await recreateScratch();
const app = await countingPrisma(scratch.url, Math.max(...workerCounts) + 2);
const db = app.prisma;
const config = parseConfig({});
await seedScratchNetwork(scratch.url, config, members, 42, true);
await db.category.create({ data: { slug: "bench", name: "bench" } });
await createSimpleProduct(db, { sku: "BENCH-1", name: "bench", priceFen: 9_900, category: "bench", stock: 10_000_000 });

// Buyers: distinct members (so most payments are first orders and count towards a sponsor's 推三返一).
// A stride through the members by a prime that does not divide their count visits each one once.
const totalOrders = maxOrdersPerRun * workerCounts.length;
const stride = [7919, 7907, 7901].find((p) => members % p !== 0)!;
const buyerList = Array.from({ length: Math.min(totalOrders, members) }, (_, i) => 1 + ((i * stride) % members));
const orders: { id: number; reference: string; amountFen: number }[] = [];
{
  const now = new Date();
  let k = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (k < totalOrders) {
        const i = k++;
        const memberId = buyerList[i % buyerList.length];
        const o = await inTx(db, { now, config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "BENCH-1", qty: 1 + (i % 3) }] }));
        orders.push({ id: o.id, reference: `${o.orderNo}-bench`, amountFen: o.payableFen });
      }
    }),
  );
  await db.paymentIntent.createMany({ data: orders.map((o) => ({ orderId: o.id, provider: "sandbox", reference: o.reference, amountFen: o.amountFen, createdAt: now })) });
  console.log(`prepared ${orders.length} unpaid orders in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const sandbox = getProvider("sandbox");
let next = 0;
async function run(workers: number) {
  const lat: number[] = [];
  const s0 = app.counter.statements;
  const start = next;
  const limit = Math.min(orders.length, next + maxOrdersPerRun);
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until && next < limit) {
        const o = orders[next++];
        const s = performance.now();
        const r = await applyProviderPayment(db, sandbox, { reference: o.reference, providerTxnId: `T${o.id}`, amountFen: o.amountFen, currency: "CNY", status: "SUCCESS" }, new Date());
        if (r.outcome !== "paid") errors++;
        lat.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const paid = next - start;
  return { paid, errors, perSec: paid / elapsed, statements: (app.counter.statements - s0) / paid, p50: pct(lat, 50), p99: pct(lat, 99) };
}

// Warm-up (connections, Prisma's query plans), not counted.
for (let i = 0; i < 20; i++) {
  const o = orders[next++];
  await applyProviderPayment(db, sandbox, { reference: o.reference, providerTxnId: `T${o.id}`, amountFen: o.amountFen, currency: "CNY", status: "SUCCESS" }, new Date());
}

const rows: Record<string, string | number>[] = [];
for (const w of workerCounts) {
  const tps = pgb.tps(w);
  const r = await run(w);
  const row = {
    workers: w,
    "paid orders": r.paid,
    "orders/s": r.perSec.toFixed(1),
    "pgbench tps (baseline)": tps.toFixed(0),
    "% of pgbench": ((100 * r.perSec) / tps).toFixed(1),
    "statements/order": r.statements.toFixed(1),
    "p50 ms": r.p50.toFixed(1),
    "p99 ms": r.p99.toFixed(1),
    errors: r.errors,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}

// Statements in the confirmation transaction alone (what applyProviderPayment wraps), on a few orders.
const c0 = app.counter.statements;
const probe = orders.slice(next, next + 20);
for (const o of probe) {
  await inTx(db, {}, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `T${o.id}`, amountFen: o.amountFen, currency: "CNY" }));
}
const confirmStatements = (app.counter.statements - c0) / probe.length;

// The ledger must balance and each paid order have its payment.
const [check] = await db.$queryRawUnsafe<{ unbalanced: number; paid: number; payments: number }[]>(
  `SELECT (SELECT count(*)::int FROM (SELECT "txnId" FROM "LedgerEntry" GROUP BY 1 HAVING sum("amountFen") <> 0) u) AS unbalanced,
          (SELECT count(*)::int FROM "Order" WHERE status = 'PAID') AS paid, (SELECT count(*)::int FROM "Payment") AS payments`,
);
console.table(rows);
console.log(`statements in the confirmation transaction: ${confirmStatements.toFixed(1)}; paid ${check.paid}, payments ${check.payments}, unbalanced ledger txns ${check.unbalanced}`);
if (check.unbalanced !== 0 || check.paid !== check.payments) throw new Error("paid orders and payments or the ledger do not add up");

mkdirSync("bench/results", { recursive: true });
writeFileSync(
  "bench/results/paid-orders.json",
  JSON.stringify({ at: new Date().toISOString(), members, seconds, confirmStatements: Number(confirmStatements.toFixed(1)), rows }, null, 2) + "\n",
);
await app.close();
await dropScratch(pgb.name);
