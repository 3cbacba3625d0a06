import { inTx, isRetryableTxError, type Ctx } from "../../server/context";
import type { Database, Db } from "../../server/db";
import type { MallConfig } from "../../server/config/schema";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "./db";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two transactions that overlap: `first` runs and holds its transaction open, `second` starts meanwhile
 * (and waits on any lock `first` holds), then `first` commits. Returns what `second` returned.
 */
export async function overlapping<T>(run: <R>(fn: (ctx: Ctx) => Promise<R>) => Promise<R>, first: (ctx: Ctx) => Promise<unknown>, second: (ctx: Ctx) => Promise<T>): Promise<T> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const a = run(async (ctx) => {
    await first(ctx);
    await gate;
  });
  await sleep(400);
  const b = run(second);
  await sleep(600);
  release();
  const [, out] = await Promise.all([a, b]);
  return out;
}

/**
 * `first` in a transaction of `run`'s, held open once it is done: `reached` resolves then (or when the transaction ended
 * early), `release()` lets it commit, `done` is the transaction.
 */
export function heldOpen<T>(run: (fn: (ctx: Ctx) => Promise<void>) => Promise<T>, first: (ctx: Ctx) => Promise<unknown>) {
  let release!: () => void;
  let reach!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const ready = new Promise<void>((r) => (reach = r));
  const done = run(async (ctx) => {
    await first(ctx);
    reach();
    await gate;
  });
  return { reached: Promise.race([ready, done]), release, done };
}

/** Runs `sql` (one row, parameter `id`) in a transaction of its own, held until released, so the steps after it queue in a known order. */
export function hold(prisma: Db, sql: string, id: number) {
  let release!: () => void;
  let lock!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  /** Resolves once the row is held. */
  const locked = new Promise<void>((r) => (lock = r));
  const held = prisma.$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe(sql, id);
      lock();
      await gate;
    },
    { timeout: 60_000 },
  );
  return { release, held, locked };
}

/**
 * Resolves once `n` sessions of the database wait for a lock, or `step` has settled without waiting: the steps queue in
 * the intended order however slow the machine (a fixed sleep let the second step run first under load).
 */
export async function queued(prisma: Db, n: number, step: Promise<unknown>) {
  let settled = false;
  void step.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 600 && !settled; i++) {
    const [{ waiting }] = await prisma.$queryRawUnsafe<{ waiting: number }[]>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting >= n) return;
    await sleep(50);
  }
}

/** Holds `sql`'s row; starts `first`, and `second` once `first` waits on a lock (or ends), then releases: the two in a known order. */
export async function behind<A, B>(prisma: Db, sql: string, id: number, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  const { release, held, locked } = hold(prisma, sql, id);
  await locked;
  const a = first();
  await queued(prisma, 1, a);
  const b = second();
  await queued(prisma, 2, b);
  release();
  const [, ra, rb] = await Promise.all([held, a, b]);
  return [ra, rb];
}

/** "function (server/…/file.ts)" of the innermost domain frame of an error's stack: the statement PostgreSQL aborted. */
function victim(e: Error): string {
  const frame = (e.stack ?? "").split("\n").find((l) => /\/server\//.test(l) && !/server\/(context|scheduler\/batches)\.ts/.test(l));
  return frame?.trim().replace(/^at /, "").replace(/\/.*\/(server\/[^:]+):\d+:\d+/, "$1") ?? e.message;
}

/**
 * The database with every transaction's deadlock or serialization failure recorded in `aborted` (as the domain
 * function whose statement was the victim), including those inTx retried and no caller saw.
 */
export function recordingAborts(prisma: Db, aborted: string[]): Db {
  return new Proxy(prisma, {
    get(target, prop) {
      if (prop === "$transaction") {
        return async (...args: unknown[]) => {
          try {
            return await (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args);
          } catch (e) {
            if (isRetryableTxError(e)) aborted.push(victim(e as Error));
            throw e;
          }
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** A fresh database for a race test (every transaction recorded in `aborted`), the rules `config` and one tea at 100 元 in deep stock. */
export async function raceShop(config: MallConfig, aborted: string[]): Promise<{ database: Database; db: Db }> {
  const database = await freshDatabase();
  const db = recordingAborts(database.prisma, aborted);
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await inTx(db, { config, now: new Date() }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 100_000 });
  });
  return { database, db };
}
