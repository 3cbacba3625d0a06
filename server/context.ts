// The engine context every domain function receives: a transaction, the clock and the rules.
// Domain functions never read the wall clock themselves, so the scenario runner and tests can
// drive time (SPEC §10) and production passes `new Date()`.
import { Prisma, type Db, type Tx } from "./db";
import type { KpiFactRow } from "./kpi/facts";
import { parseConfig, type MallConfig } from "./config/schema";
import { audit as writeAudit } from "./audit";
import { appNow } from "./clock/app-clock";
import { enqueueChannelMessages } from "./notifications/channels";
import type { NoticeKey, NoticeParams } from "@/lib/i18n/messages/notices.zh-CN";
import { storedNoticeText } from "./notifications/text";

export interface Ctx {
  tx: Tx;
  now: Date;
  config: MallConfig;
  /** The rule version `config` came from (server/rules); null when the rules are not versioned (scenario, tests). */
  ruleVersionId?: number | null;
  /** Simulation only (the what-if simulator's replay): writes no replay figure reads are skipped — notifications, outbox events, KPI facts. */
  simulation?: boolean;
  /** Set by inTx: side rows gathered during the transaction and written by one statement at its end. */
  sideRows?: SideRows;
  /** Told the due time of each transition scheduled (TxOptions.onScheduled). */
  onScheduled?: (dueAt: Date) => void;
}

/** Insert-only rows nothing in a transaction reads back: notifications, outbox events, KPI facts. */
export interface SideRows {
  notifications: (Notice & { title: string; body: string; createdAt: Date })[];
  events: { name: string; data: Record<string, unknown>; createdAt: Date }[];
  facts: KpiFactRow[];
}

export class DomainError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    /** Per-field refusals (dotted path → message) for forms, when the rule names fields. */
    public readonly issues?: { path: string; message: string }[],
    /** The values other languages' wording of the code fills in (error.<CODE>'s {placeholders}): the message is Chinese only. */
    public readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** A rule refused the request: nothing changed. */
export function refuse(code: string, message: string): never {
  throw new DomainError(code, message);
}

export interface Rules {
  config: MallConfig;
  versionId: number | null;
}

/** Parsed configurations by their JSON text: a transaction re-reads the text but parses each text once. */
const parsedConfigs = new Map<string, MallConfig>();
function parseConfigText(text: string | null): MallConfig {
  const key = text ?? "{}";
  let config = parsedConfigs.get(key);
  if (!config) {
    config = parseConfig(JSON.parse(key));
    // A handful of versions are live at a time; a full map means an unusual run (many test databases).
    if (parsedConfigs.size >= 64) parsedConfigs.clear();
    parsedConfigs.set(key, config);
  }
  return config;
}

/**
 * The rules in force at `at`: the rule version with the latest effectiveAt ≤ at (server/rules). A
 * database that has never saved a version (scenario replay, tests) uses its MallConfig row, else
 * defaults. One statement; the returned config is shared between transactions and must not be mutated.
 */
export async function loadRules(tx: Tx | Db, at: Date = appNow()): Promise<Rules> {
  const rows = await tx.$queryRaw<{ id: number | null; config: string }[]>`
    SELECT v.id, v.config::text AS config FROM (
      SELECT id, config FROM "RuleVersion" WHERE "effectiveAt" <= ${at} ORDER BY "effectiveAt" DESC, version DESC LIMIT 1
    ) v
    UNION ALL
    SELECT NULL, c.data::text FROM "MallConfig" c
    WHERE c.id = 'default' AND NOT EXISTS (SELECT 1 FROM "RuleVersion" WHERE "effectiveAt" <= ${at})`;
  const row = rows[0];
  return { config: parseConfigText(row?.config ?? null), versionId: row?.id ?? null };
}

export async function loadConfig(tx: Tx | Db, at: Date = appNow()): Promise<MallConfig> {
  return (await loadRules(tx, at)).config;
}

/**
 * The rules of a recorded version (an order's, a commission's, a task's): later steps follow the
 * rules that rewarded it, so a rule change never alters what was already earned. null = ctx.config.
 */
export async function rulesOfVersion(ctx: Pick<Ctx, "tx" | "config"> & { ruleVersionId?: number | null }, versionId: number | null | undefined): Promise<MallConfig> {
  if (versionId === null || versionId === undefined || versionId === ctx.ruleVersionId) return ctx.config;
  const [row] = await ctx.tx.$queryRaw<{ config: string }[]>`SELECT config::text AS config FROM "RuleVersion" WHERE id = ${versionId}`;
  if (!row) throw new Error(`rule version ${versionId} not found`);
  return parseConfigText(row.config);
}

export interface TxOptions {
  now?: Date;
  config?: MallConfig;
  /** The version `config` is (only with `config`). */
  ruleVersionId?: number | null;
  /** Simulation only: sets Ctx.simulation. */
  simulation?: boolean;
  /** Told the due time of each transition the transaction schedules, committed or not (the scenario replay sweeps only once one can be due). */
  onScheduled?: (dueAt: Date) => void;
  /** false: a deadlock or serialization failure is thrown, not run again (fn asked an outside party, which a rerun would ask again). */
  retry?: boolean;
}

/** Attempts of one transaction when PostgreSQL aborts it as a deadlock victim or a serialization failure. */
export const TX_ATTEMPTS = 4;

/** A deadlock (40P01) or serialization failure (40001): the transaction was rolled back and may simply run again. */
export function isRetryableTxError(e: unknown): boolean {
  if (!(e instanceof Error) || e instanceof DomainError) return false;
  const { code, meta } = e as { code?: unknown; meta?: { code?: unknown } };
  return code === "P2034" || meta?.code === "40P01" || meta?.code === "40001" || /\b(40P01|40001)\b/.test(e.message);
}

/** A unique constraint refused the write (P2002): a concurrent request took the key first. */
export function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}

/**
 * Runs fn in one database transaction with a fresh engine context. A transaction PostgreSQL aborted
 * as a deadlock victim or serialization failure runs again (fn only touches the database, so
 * re-running it is safe; else retry: false), up to TX_ATTEMPTS times with a short random pause.
 */
export async function inTx<T>(db: Db, opts: TxOptions, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(
        async (tx) => {
          const now = opts.now ?? new Date();
          const rules = opts.config ? { config: opts.config, versionId: opts.ruleVersionId ?? null } : await loadRules(tx, now);
          const sideRows: SideRows = { notifications: [], events: [], facts: [] };
          const result = await fn({ tx, now, config: rules.config, ruleVersionId: rules.versionId, simulation: opts.simulation === true, sideRows, onScheduled: opts.onScheduled });
          await insertSideRows(tx, sideRows, rules.config.timeZone);
          return result;
        },
        { timeout: 120_000, maxWait: 120_000 },
      );
    } catch (e) {
      if (attempt >= TX_ATTEMPTS || opts.retry === false || !isRetryableTxError(e)) throw e;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/** Writes an event for Inngest to the outbox in the same transaction (relayed after commit). */
export async function emit(ctx: Ctx, name: string, data: Record<string, unknown>): Promise<void> {
  if (ctx.simulation) return;
  await writeSideRows(ctx, { events: [{ name, data, createdAt: ctx.now }] });
}

/**
 * A notification: the message key with parameters the list renders in the reader's language (lib/i18n/notices.ts);
 * it is stored with its Chinese text too (what WeChat and rows read without a key show), rendered from the same key.
 */
export interface Notice {
  memberId: number;
  kind: string;
  key: NoticeKey;
  params?: NoticeParams;
}

/** An in-app notification, and its outside messages (WeChat) queued in the same transaction. */
export async function notify(ctx: Ctx, memberId: number, kind: string, key: NoticeKey, params?: NoticeParams): Promise<void> {
  await notifyMany(ctx, [{ memberId, kind, key, params }]);
}

/** Several in-app notifications, each with its outside messages. */
export async function notifyMany(ctx: Ctx, items: Notice[]): Promise<void> {
  if (items.length === 0 || ctx.simulation) return;
  await writeSideRows(ctx, { notifications: items.map((n) => ({ ...n, ...storedNoticeText(n.key, n.params), createdAt: ctx.now })) });
}

/** Side rows of a transaction: gathered until its end under inTx (one statement for all), else written now. */
export async function writeSideRows(ctx: Ctx, rows: Partial<SideRows>): Promise<void> {
  const all: SideRows = { notifications: rows.notifications ?? [], events: rows.events ?? [], facts: rows.facts ?? [] };
  if (!ctx.sideRows) return insertSideRows(ctx.tx, all, ctx.config.timeZone);
  ctx.sideRows.notifications.push(...all.notifications);
  ctx.sideRows.events.push(...all.events);
  ctx.sideRows.facts.push(...all.facts);
}

/**
 * The side rows as CTEs `e`, `f` and `n` of a statement (notifications and outbox events in the order
 * given, KPI facts once per key); `n` returns the notifications, for afterSideRows.
 */
export function sideRowsCtes(r: SideRows): Prisma.Sql {
  const { notifications: n, events: e, facts: f } = r;
  return Prisma.sql`e AS (
      INSERT INTO "OutboxEvent" (name, data, "createdAt")
      SELECT x.name, x.data::jsonb, x."createdAt" FROM unnest(${e.map((v) => v.name)}::text[], ${e.map((v) => JSON.stringify(v.data))}::text[],
        ${e.map((v) => v.createdAt.toISOString())}::timestamptz[]) WITH ORDINALITY AS x(name, data, "createdAt", ord)
      ORDER BY x.ord
    ), f AS (
      INSERT INTO "KpiFact" (key, day, kind, "memberId", data)
      SELECT x.key, x.day, x.kind, x."memberId", x.data::jsonb FROM unnest(${f.map((v) => v.key)}::text[], ${f.map((v) => v.day)}::text[], ${f.map((v) => v.kind)}::text[],
        ${f.map((v) => v.memberId)}::int[], ${f.map((v) => JSON.stringify(v.data))}::text[]) WITH ORDINALITY AS x(key, day, kind, "memberId", data, ord)
      ORDER BY x.ord
      ON CONFLICT DO NOTHING
    ), n AS (
      INSERT INTO "Notification" ("memberId", kind, title, body, key, params, "createdAt")
      SELECT x."memberId", x.kind, x.title, x.body, x.key, x.params::jsonb, x."createdAt" FROM unnest(${n.map((v) => v.memberId)}::int[], ${n.map((v) => v.kind)}::text[],
        ${n.map((v) => v.title)}::text[], ${n.map((v) => v.body)}::text[], ${n.map((v) => v.key)}::text[], ${n.map((v) => (v.params ? JSON.stringify(v.params) : null))}::text[],
        ${n.map((v) => v.createdAt.toISOString())}::timestamptz[])
        WITH ORDINALITY AS x("memberId", kind, title, body, key, params, "createdAt", ord)
      ORDER BY x.ord
      RETURNING id, "memberId", kind, title, body, "createdAt")`;
}

export type CreatedNotification = { id: number; memberId: number; kind: string; title: string; body: string; createdAt: Date };

/** The side rows gathered so far, taken out of the transaction's list: the caller writes them (sideRowsCtes) in a statement of its own. */
export function takeSideRows(ctx: Ctx): SideRows {
  const r = ctx.sideRows;
  if (!r) return { notifications: [], events: [], facts: [] };
  return { notifications: r.notifications.splice(0), events: r.events.splice(0), facts: r.facts.splice(0) };
}

/** What follows writing notifications: their outside messages. `createdAt` may come back as text from json_agg. */
export async function afterSideRows(tx: Tx, created: CreatedNotification[], timeZone: string): Promise<void> {
  for (const c of created) await enqueueChannelMessages(tx, { ...c, createdAt: new Date(c.createdAt) }, timeZone);
}

/** One statement for all side rows; then the notifications' outside messages. */
async function insertSideRows(tx: Tx, r: SideRows, timeZone: string): Promise<void> {
  if (r.notifications.length + r.events.length + r.facts.length === 0) return;
  const created = await tx.$queryRaw<CreatedNotification[]>`WITH ${sideRowsCtes(r)} SELECT * FROM n`;
  await afterSideRows(tx, created, timeZone);
}

/** Audit entry of an engine step taken by a member (actorId) or by the system (null). Staff actions use server/audit. */
export async function audit(ctx: Ctx, actorId: number | null, action: string, target: string, data?: Record<string, unknown>) {
  await writeAudit(ctx.tx, { actor: actorId === null ? { type: "system" } : { type: "member", id: actorId }, action, target, data, now: ctx.now });
}
