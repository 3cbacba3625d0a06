// npm run faults — a repeatable crash test on PostgreSQL (issue 8). A worker process running the
// app's real payment-callback handler and due-transition sweep (bench/faults/worker.ts) is killed
// with SIGKILL in the middle of a burst of payment callbacks and in the middle of a settlement sweep,
// restarted, and then SQL checks that every ledger transaction balances, wallets equal the ledger,
// every payment was taken once and every due transition was done exactly once. Only 127.0.0.1
// traffic; bounded in time (FAULTS_DEADLINE_S, default 1200 s). Output: stdout and
// bench/results/faults.txt. Needs DATABASE_URL (a server where it may create a scratch database).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

process.env.SANDBOX_PAY_SECRET ??= `faults-${randomBytes(8).toString("hex")}`;
const { openPostgres } = await import("../../server/db");
const { inTx } = await import("../../server/context");
const { parseConfig } = await import("../../server/config/schema");
const { registerMember } = await import("../../server/referral");
const { createOrder, cancelUnpaidOrder, shipOrder, confirmDelivery } = await import("../../server/orders");
const { startPayment } = await import("../../server/payments");
const { signSandbox, SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER } = await import("../../server/payments/sandbox");
const { ensureRecurringTransitions } = await import("../../server/scheduler");
const { checkMoney } = await import("./checks");
const { pool, seedCatalogue } = await import("./fixtures");

const MEMBERS = Number(process.env.FAULTS_MEMBERS ?? 300);
const LATE = Math.floor(MEMBERS / 15); // orders cancelled before their callback arrives
const PORT = Number(process.env.FAULTS_PORT ?? 3191);
const DEADLINE = Date.now() + Number(process.env.FAULTS_DEADLINE_S ?? 1200) * 1000;
const WORKER = path.resolve(import.meta.dirname, "worker.ts");
const lines: string[] = [];
const log = (s = "") => {
  lines.push(s);
  console.log(s);
};
let failures = 0;
function check(label: string, ok: boolean, detail: string) {
  if (!ok) failures++;
  log(`  ${ok ? "PASS" : "FAIL"}  ${label.padEnd(58)} ${detail}`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function overTime() {
  if (Date.now() > DEADLINE) throw new Error("fault script deadline passed");
}

const base = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `fm_faults_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const u = new URL(base);
u.pathname = `/${dbName}`;
const url = u.toString();
const database = await openPostgres(url, { poolSize: 8 });
const db = database.prisma;

function startWorker(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return { child, output: () => out, exited };
}

async function untilListening(w: ReturnType<typeof startWorker>) {
  while (!w.output().includes("listening")) {
    overTime();
    if (w.child.exitCode !== null) throw new Error(`worker exited: ${w.output()}`);
    await sleep(100);
  }
}

const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
try {
  log(`# Fault script (npm run faults) — ${new Date().toISOString()}`);
  log(`PostgreSQL scratch database ${dbName}; ${MEMBERS} members in a 3-ary sponsor tree, one order each`);
  log("");

  // ------------------------------------------------------------------ set-up through the domain
  const config = parseConfig({});
  const now = new Date();
  await seedCatalogue(db, config, now);
  const members: number[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const sponsorId = i === 0 ? null : members[Math.floor((i - 1) / 3)];
    const m = await inTx(db, { config, now }, (ctx) => registerMember(ctx, { username: `m${i}`, sponsorId, ip: `10.9.${i >> 8}.${i & 255}`, device: `dev${i}` }));
    members.push(m.id);
  }
  await inTx(db, { config, now }, (ctx) => ensureRecurringTransitions(ctx));
  const intents: { orderId: number; reference: string; amountFen: number }[] = [];
  const orderedAt = new Date();
  await pool(members, 4, async (memberId, i) => {
    const o = await inTx(db, { config, now: orderedAt }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: `tea-${i % 10}`, qty: 1 }] }));
    const p = await startPayment(db, { orderId: o.id, memberId, baseUrl: `http://127.0.0.1:${PORT}`, now: orderedAt });
    intents.push({ orderId: o.id, reference: p.reference, amountFen: o.payableFen });
  });
  // Some shoppers give up before their payment's callback: those callbacks must refund, once.
  const late = intents.slice(0, LATE);
  for (const l of late) await inTx(db, { config, now: orderedAt }, (ctx) => cancelUnpaidOrder(ctx, l.orderId, "shopper"));
  log(`set-up: ${MEMBERS} orders with payment intents, ${LATE} of them cancelled before paying (${secs()})`);

  // ------------------------------------------------------------------ 1. burst of payment callbacks
  log("");
  log("## 1. kill -9 during a burst of payment callbacks");
  const notifications = intents.map((it, i) => ({
    reference: it.reference,
    providerTxnId: `SBXFAULT${i}`,
    amountFen: it.amountFen,
    currency: "CNY",
    status: "SUCCESS",
  }));
  const acked = new Set<string>();
  async function deliver(n: (typeof notifications)[number]) {
    const body = JSON.stringify(n);
    const ts = String(Date.now());
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/notify`, {
        method: "POST",
        headers: { "content-type": "application/json", [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status === 200) acked.add(n.reference);
    } catch {
      // connection reset by the kill: the provider will deliver again
    }
  }
  let w = startWorker(["callbacks", String(PORT)]);
  await untilListening(w);
  // Every callback twice (providers repeat), 16 at a time; the worker dies a third of the way in.
  const burst = [...notifications, ...notifications];
  const killAt = Math.floor(notifications.length / 3);
  let killedAfter = -1;
  const burstDone = pool(burst, 16, async (n) => {
    await deliver(n);
    if (killedAfter < 0 && acked.size >= killAt) {
      killedAfter = acked.size;
      w.child.kill("SIGKILL");
    }
  });
  await burstDone;
  await w.exited;
  const paidAtKill = await db.payment.count();
  log(`killed the callback worker (SIGKILL) after ${killedAfter} acknowledged callbacks; ${paidAtKill} payments committed, ${burst.length} deliveries attempted (${secs()})`);
  // Restart; the provider redelivers everything not acknowledged (and, to be hard, everything else too).
  w = startWorker(["callbacks", String(PORT)]);
  await untilListening(w);
  await pool(notifications, 16, deliver);
  const missing = notifications.filter((n) => !acked.has(n.reference));
  for (const n of missing) await deliver(n);
  w.child.kill("SIGTERM");
  await w.exited;
  log(`restarted and redelivered every callback: ${acked.size}/${notifications.length} acknowledged (${secs()})`);

  const payRows = await db.$queryRaw<Record<string, bigint>[]>`
    SELECT
      (SELECT COUNT(*) FROM "Payment") AS payments,
      (SELECT COUNT(DISTINCT "orderId") FROM "Payment") AS "paidOrders",
      (SELECT COUNT(*) FROM "Order" WHERE status = 'PAID') AS "ordersPaid",
      (SELECT COUNT(*) FROM "PaymentIntent" WHERE status = 'CREATED') AS "intentsOpen",
      (SELECT COUNT(*) FROM "PaymentIntent" WHERE status = 'REFUNDED_LATE') AS "lateRefunded",
      (SELECT COUNT(*) FROM "ProviderCall" WHERE kind = 'REFUND' AND "idempotencyNo" LIKE 'LATE-%') AS "lateRefundCalls",
      (SELECT COUNT(*) FROM "ProviderCall" WHERE kind = 'REFUND' AND status = 'DONE') AS "refundCallsDone",
      (SELECT COUNT(*) FROM "Commission") AS commissions,
      (SELECT COUNT(*) FROM "SponsorClosure" sc JOIN "Order" o ON o."memberId" = sc."descendantId"
         WHERE o.status = 'PAID' AND sc.depth BETWEEN 1 AND 3) AS "expectedCommissions",
      (SELECT COUNT(*) FROM "LedgerTxn" WHERE kind = 'commission_accrue') AS "commissionAccruals"`;
  const p = Object.fromEntries(Object.entries(payRows[0]).map(([k, v]) => [k, Number(v)]));
  const payable = MEMBERS - LATE;
  check("every callback acknowledged after the restart", acked.size === MEMBERS, `${acked.size}/${MEMBERS}`);
  check("one payment per paid order, none twice", p.payments === payable && p.paidOrders === payable && p.ordersPaid === payable, `${p.payments} payments, ${p.ordersPaid} orders PAID (expected ${payable})`);
  check("no payment intent left unresolved", p.intentsOpen === 0, `${p.intentsOpen} open`);
  check("late callbacks refunded exactly once", p.lateRefunded === LATE && p.lateRefundCalls === LATE && p.refundCallsDone === LATE, `${p.lateRefunded} intents, ${p.lateRefundCalls} refund requests, ${p.refundCallsDone} sent`);
  check("commissions exactly once per ancestor (depth 1..3)", p.commissions === p.expectedCommissions && p.commissionAccruals === p.commissions, `${p.commissions} rows, ${p.commissionAccruals} ledger accruals, ${p.expectedCommissions} expected`);
  let money = await checkMoney(db);
  check("every ledger transaction balances", money.unbalancedTxns === 0 && money.emptyTxns === 0, `${money.ledgerTxns} transactions, ${money.unbalancedTxns} unbalanced`);
  check("wallets equal the ledger, no bucket negative", money.walletMismatches === 0 && money.negativeBuckets === 0, `${money.walletMismatches} mismatches`);

  // ------------------------------------------------------------------ 2. settlement sweep
  log("");
  log("## 2. kill -9 during a settlement sweep");
  const paid = await db.order.findMany({ where: { status: "PAID" }, select: { id: true } });
  const shippedAt = new Date();
  await pool(paid, 4, async (o) => {
    await inTx(db, { config, now: shippedAt }, async (ctx) => {
      await shipOrder(ctx, o.id);
      await confirmDelivery(ctx, o.id);
    });
  });
  // 35 days of the merchant's calendar replayed by the sweep: completions (+7 d), T+1 settlements,
  // cashback, nightly tier reviews and the monthly team bonus (batched), payment timeouts.
  const until = new Date(shippedAt.getTime() + 35 * 86_400_000);
  const dueBefore = await db.dueTransition.count({ where: { doneAt: null, dueAt: { lte: until } } });
  let sweep = startWorker(["sweep", until.toISOString(), "due"]);
  const killWhen = Math.max(20, Math.floor(dueBefore / 3));
  let doneAtKill = 0;
  for (;;) {
    overTime();
    doneAtKill = await db.dueTransition.count({ where: { doneAt: { not: null } } });
    if (doneAtKill >= killWhen || sweep.child.exitCode !== null) break;
    await sleep(50);
  }
  sweep.child.kill("SIGKILL");
  await sweep.exited;
  const killedMidway = (await db.dueTransition.count({ where: { doneAt: null, dueAt: { lte: until } } })) > 0;
  log(`${dueBefore} transitions due at the start; killed the sweep (SIGKILL) with ${doneAtKill} rows done${killedMidway ? ", work left" : " (it had already finished)"} (${secs()})`);
  const ids = new Set<number>();
  for (const l of sweep.output().split("\n")) if (l.startsWith("done ")) ids.add(Number(l.slice(5)));
  sweep = startWorker(["sweep", until.toISOString(), "due"]);
  const code = await sweep.exited;
  const summary = JSON.parse(sweep.output().trim().split("\n").at(-1) ?? "{}") as { ids?: number[] };
  const redone = (summary.ids ?? []).filter((id) => ids.has(id));
  log(`restarted the sweep: exit ${code}, ${(summary.ids ?? []).length} more rows done (${secs()})`);

  const s = Object.fromEntries(
    Object.entries(
      (
        await db.$queryRaw<Record<string, bigint>[]>`
    SELECT
      (SELECT COUNT(*) FROM "DueTransition" WHERE "dueAt" <= ${until} AND "doneAt" IS NULL) AS "dueNotDone",
      (SELECT COUNT(*) FROM "DueTransition" WHERE "deadAt" IS NOT NULL) AS dead,
      (SELECT COUNT(*) FROM "DueTransition" WHERE "doneAt" IS NOT NULL) AS done,
      (SELECT COUNT(*) FROM "Order" WHERE status = 'COMPLETED') AS completed,
      (SELECT COUNT(*) FROM "Commission" WHERE status = 'SETTLED') AS settled,
      (SELECT COUNT(*) FROM "Commission" WHERE status NOT IN ('SETTLED', 'VOID', 'FORFEITED')) AS unsettled,
      (SELECT COUNT(*) FROM "LedgerTxn" WHERE kind = 'commission_settle') AS "settleTxns",
      (SELECT COUNT(*) FROM (SELECT "orderId" FROM "GmvCredit" WHERE depth = 0 GROUP BY "orderId" HAVING COUNT(*) > 1) x) AS "gmvTwice",
      (SELECT COUNT(*) FROM (SELECT (data->>'orderId')::int FROM "OutboxEvent" WHERE name = 'order/completed' GROUP BY 1 HAVING COUNT(*) > 1) x) AS "completedTwice",
      (SELECT COUNT(*) FROM "OutboxEvent" WHERE name = 'order/completed') AS "completedEvents",
      (SELECT COUNT(*) FROM "JobCursor" WHERE "doneAt" IS NULL) AS "openCursors",
      (SELECT COUNT(*) FROM "JobCursor") AS cursors`
      )[0],
    ).map(([k, v]) => [k, Number(v)]),
  );
  check("restarted sweep exits cleanly", code === 0, `exit ${code}`);
  check("no row committed by both the killed and the restarted sweep", redone.length === 0, `${redone.length} repeated`);
  check("every due transition done, none dead-lettered", s.dueNotDone === 0 && s.dead === 0, `${s.done} done, ${s.dueNotDone} due and not done, ${s.dead} dead`);
  check("every paid order completed exactly once", s.completed === payable && s.completedEvents === payable && s.completedTwice === 0 && s.gmvTwice === 0, `${s.completed} COMPLETED, ${s.completedEvents} completion events, ${s.gmvTwice} double GMV credits`);
  check("every commission settled exactly once", s.unsettled === 0 && s.settled === s.settleTxns && s.settled === p.commissions, `${s.settled} SETTLED, ${s.settleTxns} settlement transactions`);
  check("batched jobs (tier reviews, team bonus) all finished", s.openCursors === 0 && s.cursors > 0, `${s.cursors} runs, ${s.openCursors} unfinished`);
  money = await checkMoney(db);
  check("every ledger transaction balances", money.unbalancedTxns === 0 && money.emptyTxns === 0, `${money.ledgerTxns} transactions, ${money.unbalancedTxns} unbalanced`);
  check("wallets equal the ledger, no bucket negative", money.walletMismatches === 0 && money.negativeBuckets === 0, `${money.walletMismatches} mismatches`);
  log("");
  log(`${failures === 0 ? "ALL CHECKS PASSED" : `${failures} CHECK(S) FAILED`} in ${secs()}`);
} catch (e) {
  failures++;
  log(`ERROR: ${(e as Error).stack ?? e}`);
} finally {
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  const out = path.resolve(import.meta.dirname, "../results/faults.txt");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${lines.join("\n")}\n`);
}
process.exit(failures === 0 ? 0 : 1);
