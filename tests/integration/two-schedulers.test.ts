// Two schedulers in two OS processes sweep one PostgreSQL database (issue 8): rows are claimed with
// FOR UPDATE SKIP LOCKED, so 2 000 due transitions are each performed exactly once — shown by the
// processes' own reports (disjoint, together complete) and by the effects in the database.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { seedUnpaidOrders, CREDIT_PER_ORDER_FEN } from "../../bench/faults/fixtures";
import { checkMoney, checkPaymentTimeouts } from "../../bench/faults/checks";
import { freshPostgres, usingPostgres } from "../helpers/db";

const N = 2000;
const WORKER = path.resolve(__dirname, "../../bench/faults/worker.ts");
let database: Database;
let url: string;

function sweeper(until: Date): Promise<{ code: number | null; ids: number[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, "sweep", until.toISOString()], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "{}";
      const summary = last.startsWith("{") ? (JSON.parse(last) as { ids: number[] }) : { ids: [] };
      resolve({ code, ids: summary.ids, stderr: err });
    });
  });
}

describe.skipIf(!usingPostgres())("two scheduler processes on one PostgreSQL", () => {
  beforeAll(async () => {
    const scratch = await freshPostgres();
    database = scratch;
    url = scratch.url;
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  it(`performs each of ${N} due transitions exactly once`, async () => {
    const db = database.prisma;
    const t0 = new Date("2026-03-10T02:00:00Z");
    const { orderIds } = await seedUnpaidOrders(db, t0, N);
    expect(orderIds).toHaveLength(N);
    const stockBefore = await db.sku.aggregate({ _sum: { stock: true } });
    const until = new Date(t0.getTime() + 31 * 60_000);

    const [a, b] = await Promise.all([sweeper(until), sweeper(until)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);

    // The processes' reports: both did a share, no row was committed by both, none by neither.
    expect(a.ids.length).toBeGreaterThan(0);
    expect(b.ids.length).toBeGreaterThan(0);
    const inBoth = a.ids.filter((id) => new Set(b.ids).has(id));
    expect(inBoth).toEqual([]);
    const all = await db.dueTransition.findMany({ where: { kind: "ORDER_PAYMENT_TIMEOUT" }, select: { id: true } });
    expect(new Set([...a.ids, ...b.ids])).toEqual(new Set(all.map((r) => r.id)));
    expect(a.ids.length + b.ids.length).toBe(N);

    // The effects: every order cancelled once, its stock and its store credit given back once.
    const t = await checkPaymentTimeouts(db, until);
    expect(t).toMatchObject({ transitions: N, done: N, dueNotDone: 0, dead: 0, cancelled: N, stillPending: 0, creditReturns: N, ordersCancelledTwice: 0 });
    expect(t.stock).toBe((stockBefore._sum.stock ?? 0) + N);
    const credit = await db.wallet.aggregate({ _sum: { credit: true } });
    expect(Number(credit._sum.credit)).toBe(20 * 1_000_000);
    expect(await db.ledgerTxn.count({ where: { kind: "credit_return" } })).toBe(N);
    expect(CREDIT_PER_ORDER_FEN * N).toBe((await db.ledgerEntry.aggregate({ where: { txn: { kind: "credit_return" }, memberId: { not: null } }, _sum: { amountFen: true } }))._sum.amountFen);
    expect(await checkMoney(db)).toMatchObject({ unbalancedTxns: 0, emptyTxns: 0, walletMismatches: 0, negativeBuckets: 0 });
  }, 900_000);
});
