// Reading the audit log (/merchant/audit): filters by actor, action, target and date, newest first,
// with the actor's display name; the same filters drive the CSV export.
import { z } from "zod";
import type { Db, Prisma } from "../db";
import { INT4_MAX, text } from "../validation";
import { nextLocalMidnight, zonedMidnight } from "../clock/time";
import { MESSAGES } from "@/lib/i18n/messages";
import type { AuditFilterCodes } from "./display";

/** The audit log's filters, shared by the list procedure and the CSV export. */
export const auditFilterSchema = z.object({
  /** "staff:3", "member:12" or "system". */
  actor: text(20)
    .regex(/^(system|staff:\d{1,10}|member:\d{1,10})$/, "操作人无效")
    .refine((a) => Number(a.split(":")[1] ?? 0) <= INT4_MAX, "操作人编号无效（超出范围）")
    .optional(),
  /** Action prefix, e.g. "withdrawal." or "staff.role_changed". */
  action: text(100).trim().optional(),
  /** Exact target, e.g. "withdrawal:12"; a trailing ":" matches a kind ("order:"). */
  target: text(200).trim().optional(),
  /** Merchant calendar days "YYYY-MM-DD", both inclusive. */
  fromDay: z.iso.date("日期无效").optional(),
  toDay: z.iso.date("日期无效").optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function dayStart(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return zonedMidnight(y, m, d, timeZone);
}

export function auditWhere(f: AuditFilter, timeZone: string): Prisma.AuditLogWhereInput {
  const where: Prisma.AuditLogWhereInput = {};
  if (f.actor === "system") where.actorType = "system";
  else if (f.actor) {
    const m = /^(staff|member):(\d+)$/.exec(f.actor);
    if (m) Object.assign(where, { actorType: m[1], actorId: Number(m[2]) });
    else where.id = -1; // an actor that cannot exist matches nothing
  }
  if (f.action) where.action = { startsWith: f.action };
  if (f.target) where.target = f.target.endsWith(":") ? { startsWith: f.target } : f.target;
  const from = f.fromDay && DAY_RE.test(f.fromDay) ? dayStart(f.fromDay, timeZone) : null;
  const to = f.toDay && DAY_RE.test(f.toDay) ? nextLocalMidnight(dayStart(f.toDay, timeZone), timeZone) : null;
  if (from || to) where.createdAt = { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };
  return where;
}

/** Each entry with its actor's name: a staff account's display name and username, a member's nickname. */
export async function withActorNames<T extends { actorType: string; actorId: number | null }>(db: Pick<Db, "staffAccount" | "member">, rows: T[]) {
  const staffIds = [...new Set(rows.filter((r) => r.actorType === "staff" && r.actorId !== null).map((r) => r.actorId!))];
  const memberIds = [...new Set(rows.filter((r) => r.actorType === "member" && r.actorId !== null).map((r) => r.actorId!))];
  const [staff, members] = await Promise.all([
    staffIds.length ? db.staffAccount.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true, username: true } }) : [],
    memberIds.length ? db.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, nickname: true, username: true } }) : [],
  ]);
  const staffById = new Map(staff.map((s) => [s.id, s]));
  const staffName = new Map(staff.map((s) => [s.id, `${s.displayName} (${s.username})`]));
  const memberName = new Map(members.map((m) => [m.id, m.nickname ?? m.username]));
  return rows.map((r) => ({
    ...r,
    actorName: r.actorType === "staff" ? (staffName.get(r.actorId!) ?? `#${r.actorId}`) : r.actorType === "member" ? (memberName.get(r.actorId!) ?? `#${r.actorId}`) : null,
    /** A staff actor's name alone, for the screen (actorName, with the username, for the CSV and a tooltip). */
    actorDisplayName: r.actorType === "staff" ? (staffById.get(r.actorId!)?.displayName ?? null) : null,
  }));
}

const SORTABLE = { createdAt: "createdAt", action: "action", target: "target" } as const;

export async function listAudit(db: Db, f: AuditFilter, timeZone: string, page: { page: number; pageSize: number; sort?: { id: string; desc: boolean } | null }) {
  const where = auditWhere(f, timeZone);
  const key = page.sort && page.sort.id in SORTABLE ? SORTABLE[page.sort.id as keyof typeof SORTABLE] : "createdAt";
  const dir = page.sort && !page.sort.desc ? "asc" : "desc";
  const [total, rows] = await Promise.all([
    db.auditLog.count({ where }),
    db.auditLog.findMany({ where, orderBy: [{ [key]: dir }, { id: dir }], skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
  ]);
  return { total, rows: await withActorNames(db, rows) };
}

/** Every staff account, for the actor filter. */
export function auditActors(db: Db) {
  return db.staffAccount.findMany({ orderBy: { id: "asc" }, select: { id: true, displayName: true, username: true } });
}

export function countAudit(db: Db, f: AuditFilter, timeZone: string): Promise<number> {
  return db.auditLog.count({ where: auditWhere(f, timeZone) });
}

/** Batches for the streamed export, newest first (keyset on id, which grows with time). */
export async function auditExportBatch(db: Db, f: AuditFilter, timeZone: string, beforeId: number | null, take: number) {
  const where = auditWhere(f, timeZone);
  const rows = await db.auditLog.findMany({ where: beforeId ? { AND: [where, { id: { lt: beforeId } }] } : where, orderBy: { id: "desc" }, take });
  return withActorNames(db, rows);
}

/**
 * What the action and target filters offer, from the catalogue's names (both languages have the same keys): every
 * named action (m.audit.act.*), every target kind (m.audit.targetKind.*, but the export list's wording) and every
 * target named whole (m.audit.targetName.*).
 */
export function auditFilterCodes(keys: Iterable<string> = Object.keys(MESSAGES["zh-CN"])): AuditFilterCodes {
  const codes: { actions: string[]; kinds: string[]; named: string[] } = { actions: [], kinds: [], named: [] };
  for (const key of keys) {
    if (key.startsWith("m.audit.act.")) codes.actions.push(key.slice("m.audit.act.".length));
    else if (key.startsWith("m.audit.targetKind.") && key !== "m.audit.targetKind.exportList") codes.kinds.push(key.slice("m.audit.targetKind.".length));
    else if (key.startsWith("m.audit.targetName.")) codes.named.push(key.slice("m.audit.targetName.".length));
  }
  return codes;
}
