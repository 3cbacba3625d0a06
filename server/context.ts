// The engine context every domain function receives: a transaction, the clock and the rules.
// Domain functions never read the wall clock themselves, so the scenario runner and tests can
// drive time (SPEC §10) and production passes `new Date()`.
import type { Db, Tx } from "./db";
import { parseConfig, type MallConfig } from "./config/schema";
import { audit as writeAudit } from "./audit";

export interface Ctx {
  tx: Tx;
  now: Date;
  config: MallConfig;
}

export class DomainError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** A rule refused the request: nothing changed. */
export function refuse(code: string, message: string): never {
  throw new DomainError(code, message);
}

export async function loadConfig(tx: Tx | Db): Promise<MallConfig> {
  const row = await tx.mallConfig.findUnique({ where: { id: "default" } });
  return parseConfig(row?.data ?? {});
}

export interface TxOptions {
  now?: Date;
  config?: MallConfig;
}

/** Runs fn in one database transaction with a fresh engine context. */
export async function inTx<T>(db: Db, opts: TxOptions, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => fn({ tx, now: opts.now ?? new Date(), config: opts.config ?? (await loadConfig(tx)) }),
    { timeout: 120_000, maxWait: 120_000 },
  );
}

/** Writes an event for Inngest to the outbox in the same transaction (relayed after commit). */
export async function emit(ctx: Ctx, name: string, data: Record<string, unknown>): Promise<void> {
  await ctx.tx.outboxEvent.create({ data: { name, data: data as object, createdAt: ctx.now } });
}

export async function notify(ctx: Ctx, memberId: number, kind: string, title: string, body: string): Promise<void> {
  await ctx.tx.notification.create({ data: { memberId, kind, title, body, createdAt: ctx.now } });
}

/** Audit entry of an engine step taken by a member (actorId) or by the system (null). Staff actions use server/audit. */
export async function audit(ctx: Ctx, actorId: number | null, action: string, target: string, data?: Record<string, unknown>) {
  await writeAudit(ctx.tx, { actor: actorId === null ? { type: "system" } : { type: "member", id: actorId }, action, target, data, now: ctx.now });
}
