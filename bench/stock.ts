// npm run bench -- stock [--buyers 1000 --units 100 --pool 16]
// Stock contention (issue 14, item 5): `buyers` members start at once on one SKU with `units` in stock;
// each places an order (stock reserved by a conditional decrement) and pays it through the verified
// callback path (applyProviderPayment). Exactly `units` must be paid, the rest refused OUT_OF_STOCK,
// stock never below zero: asserted, the run fails otherwise. Baseline in the same run, same server,
// same connection pool size: the bare race, `buyers` concurrent one-statement conditional decrements
// on another SKU with the same stock. Writes bench/results/stock.json and prints a table.
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { DomainError, inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { createOrder } from "../server/orders";
import { applyProviderPayment, getProvider } from "../server/payments";
import { createSimpleProduct } from "../server/catalog/admin";
import { countingPrisma, seedScratchNetwork, dropScratch, pct, recreateScratch } from "./scratch";
import { arg } from "./args";

const buyers = Number(arg("buyers", "1000"));
const units = Number(arg("units", "100"));
const poolSize = Number(arg("pool", "16"));

const scratch = await recreateScratch("_stock");
const app = await countingPrisma(scratch.url, poolSize);
const db = app.prisma;
const config = parseConfig({});
await seedScratchNetwork(scratch.url, config, buyers, 7);
await db.category.create({ data: { slug: "bench", name: "bench" } });
await createSimpleProduct(db, { sku: "HOT", name: "限量款", priceFen: 19_900, category: "bench", stock: units });
const bare = await createSimpleProduct(db, { sku: "BARE", name: "baseline", priceFen: 1, category: "bench", stock: units });
const bareSkuId = bare.skus[0].id;

// Baseline: the same race as bare single statements.
const b0 = performance.now();
const bareWins = (
  await Promise.all(Array.from({ length: buyers }, () => db.$executeRaw`UPDATE "Sku" SET stock = stock - 1 WHERE id = ${bareSkuId} AND stock >= 1`))
).reduce((s, n) => s + n, 0);
const bareSeconds = (performance.now() - b0) / 1000;

// The app: order, then pay, each buyer at once.
const sandbox = getProvider("sandbox");
const lat: number[] = [];
let outOfStock = 0;
const otherErrors: string[] = [];
const t0 = performance.now();
const outcomes = await Promise.all(
  Array.from({ length: buyers }, async (_, i) => {
    const s = performance.now();
    try {
      const now = new Date();
      const order = await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId: i + 1, lines: [{ sku: "HOT", qty: 1 }] }));
      const reference = `${order.orderNo}-b`;
      await db.paymentIntent.create({ data: { orderId: order.id, provider: "sandbox", reference, amountFen: order.payableFen, createdAt: now } });
      const r = await applyProviderPayment(db, sandbox, { reference, providerTxnId: `S${order.id}`, amountFen: order.payableFen, currency: "CNY", status: "SUCCESS" }, new Date());
      lat.push(performance.now() - s);
      return r.outcome === "paid";
    } catch (e) {
      if (e instanceof DomainError && e.code === "OUT_OF_STOCK") outOfStock++;
      else otherErrors.push(e instanceof Error ? e.message.slice(0, 200) : String(e));
      return false;
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
const paidHere = outcomes.filter(Boolean).length;

const [check] = await db.$queryRawUnsafe<{ stock: number; paid: number; lines: number; unbalanced: number }[]>(
  `SELECT (SELECT stock FROM "Sku" WHERE code = 'HOT') AS stock,
          (SELECT count(*)::int FROM "Order" WHERE status = 'PAID') AS paid,
          (SELECT coalesce(sum(qty), 0)::int FROM "OrderLine" l JOIN "Sku" s ON s.id = l."skuId" WHERE s.code = 'HOT') AS lines,
          (SELECT count(*)::int FROM (SELECT "txnId" FROM "LedgerEntry" GROUP BY 1 HAVING sum("amountFen") <> 0) u) AS unbalanced`,
);
const row = {
  buyers,
  units,
  paid: check.paid,
  "refused out of stock": outOfStock,
  "other errors": otherErrors.length,
  "stock left": check.stock,
  "run s": seconds.toFixed(2),
  "paid orders/s": (paidHere / seconds).toFixed(1),
  "buyers served/s": (buyers / seconds).toFixed(1),
  "p50 ms (paid)": pct(lat, 50).toFixed(0),
  "p99 ms (paid)": pct(lat, 99).toFixed(0),
  "bare decrements/s (baseline)": (buyers / bareSeconds).toFixed(0),
  "buyers/s as % of baseline": ((100 * (buyers / seconds)) / (buyers / bareSeconds)).toFixed(1),
  "statements per buyer": (app.counter.statements / buyers).toFixed(1),
};
console.table([row]);
if (otherErrors.length) console.log("other errors:", [...new Set(otherErrors)].slice(0, 5));
const ok = check.paid === units && paidHere === units && check.stock === 0 && check.lines === units && outOfStock === buyers - units && otherErrors.length === 0 && check.unbalanced === 0 && bareWins === units;
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/stock.json", JSON.stringify({ at: new Date().toISOString(), poolSize, ok, row }, null, 2) + "\n");
await app.close();
await dropScratch(scratch.name);
if (!ok) {
  console.error(`FAILED: expected exactly ${units} paid and ${buyers - units} refused, stock 0 (bare race won ${bareWins})`);
  process.exit(1);
}
console.log(`exactly ${units} paid of ${buyers} buyers; stock 0; ledger balanced`);
