// Two app instances (two OS processes) on one PostgreSQL, each with its payment callback handler and
// its in-process scheduler on, as two `next start` behind a load balancer run them (issue 14,
// scale-out): a paid-order load whose every callback reaches both instances, while both schedulers
// cancel overdue unpaid orders and relay the outbox. Nothing is done twice, no error (deadlock or
// other) reaches a caller or a scheduler log, and the ledger balances.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { startPayment } from "../../server/payments";
import { signSandbox, SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER } from "../../server/payments/sandbox";
import { pool, seedUnpaidOrders } from "../../bench/faults/fixtures";
import { checkMoney, checkPaymentTimeouts } from "../../bench/faults/checks";
import { freshPostgres, usingPostgres } from "../helpers/db";

const OVERDUE = 200; // unpaid orders whose payment timeout is already due when the instances start
const BUYERS = 60; // a 3-ary sponsor tree, one paid order each
const WORKER = path.resolve(__dirname, "../../bench/faults/worker.ts");
const BASE_PORT = 30_000 + Math.floor(Math.random() * 10_000);
const PORTS = [BASE_PORT, BASE_PORT + 1];
// The instances verify callbacks with the key this process signs them with.
const SECRET = `two-instances-${randomBytes(8).toString("hex")}`;
process.env.SANDBOX_PAY_SECRET = SECRET;
let database: Database;
let url: string;

interface Instance {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startInstance(port: number): Instance {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, "instance", String(port), "300"], {
    env: { ...process.env, DATABASE_URL: url, SANDBOX_PAY_SECRET: SECRET },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, output: () => out, exited: new Promise((r) => child.on("close", (code) => r(code))) };
}

async function until(what: string, check: () => Promise<boolean>, ms = 240_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!usingPostgres())("two app instances on one PostgreSQL, both schedulers on", () => {
  beforeAll(async () => {
    const scratch = await freshPostgres();
    database = scratch;
    url = scratch.url;
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  it(`pays ${BUYERS} orders (every callback sent to both) while both schedulers cancel ${OVERDUE} overdue orders: each once`, async () => {
    const db = database.prisma;
    const anHourAgo = new Date(Date.now() - 3600_000);
    const { config } = await seedUnpaidOrders(db, anHourAgo, OVERDUE);
    const now = new Date();
    const members: number[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const sponsorId = i === 0 ? null : members[Math.floor((i - 1) / 3)];
      members.push((await inTx(db, { config, now }, (ctx) => registerMember(ctx, { username: `tree${i}`, sponsorId, ip: `10.7.${i >> 8}.${i & 255}`, device: `tree${i}` }))).id);
    }
    const intents: { orderId: number; body: string }[] = [];
    await pool(members, 4, async (memberId, i) => {
      const o = await inTx(db, { config, now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: `tea-${i % 10}`, qty: 1 }] }));
      const p = await startPayment(db, { orderId: o.id, memberId, baseUrl: `http://127.0.0.1:${PORTS[0]}`, now });
      intents.push({ orderId: o.id, body: JSON.stringify({ reference: p.reference, providerTxnId: `SBXTWO${i}`, amountFen: o.payableFen, currency: "CNY", status: "SUCCESS" }) });
    });
    const stockBefore = (await db.sku.aggregate({ _sum: { stock: true } }))._sum.stock ?? 0;

    const instances = PORTS.map(startInstance);
    try {
      await until("both instances listening", async () => instances.every((w) => w.output().includes("listening")), 120_000);
      // Every callback to both instances at once (providers repeat themselves), 8 pairs in flight.
      const statuses: number[] = [];
      await pool(intents, 8, async ({ body }) => {
        await Promise.all(
          PORTS.map(async (port) => {
            const ts = String(Date.now());
            const res = await fetch(`http://127.0.0.1:${port}/notify`, {
              method: "POST",
              headers: { "content-type": "application/json", [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts },
              body,
              signal: AbortSignal.timeout(60_000),
            });
            statuses.push(res.status);
          }),
        );
      });
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(statuses).toHaveLength(2 * BUYERS);

      await until("the overdue orders cancelled", async () => (await db.order.count({ where: { status: "CANCELLED" } })) === OVERDUE);
      await until("the outbox relayed", async () => (await db.outboxEvent.count({ where: { sentAt: null } })) === 0);
    } finally {
      for (const w of instances) w.child.kill("SIGTERM");
      await Promise.all(instances.map((w) => w.exited));
    }

    // No caller and no scheduler duty saw an error: no deadlock, no serialization failure, no refusal.
    for (const w of instances) {
      expect(w.output()).not.toMatch(/deadlock|40P01|40001|\[scheduler\].*failed|\[events\].*failed|\[callback\]/);
    }
    // Paid once each, whichever instance's callback won.
    expect(await db.payment.count()).toBe(BUYERS);
    expect(await db.order.count({ where: { id: { in: intents.map((i) => i.orderId) }, status: "PAID" } })).toBe(BUYERS);
    const commissionsTwice = await db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM (SELECT "orderId", level FROM "Commission" GROUP BY 1, 2 HAVING COUNT(*) > 1) d`;
    expect(Number(commissionsTwice[0]!.n)).toBe(0);
    expect(await db.commission.count()).toBeGreaterThan(0);
    // Every overdue order cancelled once by one of the two schedulers, its stock and credit given back once;
    // the paid orders' timeouts retired by their payments (every timeout done, performed or retired).
    const t = await checkPaymentTimeouts(db, new Date());
    expect(t).toMatchObject({ done: OVERDUE + BUYERS, dueNotDone: 0, dead: 0, cancelled: OVERDUE, stillPending: 0, creditReturns: OVERDUE, ordersCancelledTwice: 0 });
    expect(t.stock).toBe(stockBefore + OVERDUE);
    expect(await checkMoney(db)).toMatchObject({ unbalancedTxns: 0, emptyTxns: 0, walletMismatches: 0, negativeBuckets: 0 });
  }, 900_000);
});
