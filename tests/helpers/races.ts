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
