// Reading the audit log (/merchant/audit): filters by actor, action, target and date, newest first,
// with the actor's display name; the same filters drive the CSV export.
import { z } from "zod";
import type { Db, Prisma } from "../db";
import { INT4_MAX, text } from "../validation";
import { nextLocalMidnight, zonedMidnight } from "../clock/time";
import { MESSAGES } from "@/lib/i18n/messages";
import { AUDIT_MEMBER_KEYS, AUDIT_STAFF_KEYS, type AuditFilterCodes, type AuditNames } from "./display";

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

type NamedRow = { actorType: string; actorId: number | null };
type PageNames = { staff: Map<number, { displayName: string; username: string }>; members: Map<number, { nickname: string | null; username: string; deletedAt: Date | null }> };

/** The staff accounts and members of a page: one read of each, whatever the page's size (none for no ids). */
async function readNames(db: Pick<Db, "staffAccount" | "member">, staffIds: Iterable<number>, memberIds: Iterable<number>): Promise<PageNames> {
  const sIds = [...new Set(staffIds)];
  const mIds = [...new Set(memberIds)];
  const [staff, members] = await Promise.all([
    sIds.length ? db.staffAccount.findMany({ where: { id: { in: sIds } }, select: { id: true, displayName: true, username: true } }) : [],
    mIds.length ? db.member.findMany({ where: { id: { in: mIds } }, select: { id: true, nickname: true, username: true, deletedAt: true } }) : [],
  ]);
  return { staff: new Map(staff.map((s) => [s.id, s])), members: new Map(members.map((m) => [m.id, m])) };
}

const actorIds = (rows: NamedRow[], type: "staff" | "member") => rows.flatMap((r) => (r.actorType === type && r.actorId !== null ? [r.actorId] : []));

function namedActors<T extends NamedRow>(rows: T[], names: PageNames) {
  return rows.map((r) => {
    const staff = r.actorType === "staff" ? names.staff.get(r.actorId!) : undefined;
    const member = r.actorType === "member" ? names.members.get(r.actorId!) : undefined;
    return {
      ...r,
      actorName: r.actorType === "staff" ? (staff ? `${staff.displayName} (${staff.username})` : `#${r.actorId}`) : r.actorType === "member" ? (member ? (member.nickname ?? member.username) : `#${r.actorId}`) : null,
      /** A staff actor's name alone, for the screen (actorName, with the username, for the CSV and a tooltip). */
      actorDisplayName: r.actorType === "staff" ? (staff?.displayName ?? null) : null,
    };
  });
}

/** Each entry with its actor's name: a staff account's display name and username, a member's nickname. */
export async function withActorNames<T extends NamedRow>(db: Pick<Db, "staffAccount" | "member">, rows: T[]) {
  return namedActors(rows, await readNames(db, actorIds(rows, "staff"), actorIds(rows, "member")));
}

/** The ids of members and staff accounts an entry's facts (before, after, data; nested objects and lists too) name (AUDIT_MEMBER_KEYS, AUDIT_STAFF_KEYS). */
function referencedIds(value: unknown, out: { members: number[]; staff: number[] }, key?: string): void {
  if (typeof value === "number" && key !== undefined && Number.isSafeInteger(value)) {
    if (AUDIT_MEMBER_KEYS.includes(key)) out.members.push(value);
    else if (AUDIT_STAFF_KEYS.includes(key)) out.staff.push(value);
  } else if (Array.isArray(value)) for (const v of value) referencedIds(v, out, key);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) referencedIds(v, out, k);
}

/**
 * A page of entries with their actors' names, and the names (AuditNames) of every member and staff account their facts
 * name by id (an adjustment's member and requester, a sponsor change's sponsors and approver): one read of the members
 * and one of the staff accounts for the page, actors included, never one per entry. A deleted member reads by the name
 * the deletion left (已注销用户), marked deleted.
 */
export async function withAuditNames<T extends NamedRow & { action: string; target: string; before: unknown; after: unknown; data: unknown }>(db: Pick<Db, "staffAccount" | "member" | "category">, rows: T[]) {
  const ids = { members: actorIds(rows, "member"), staff: actorIds(rows, "staff") };
  const slugs = new Set<string>();
  for (const r of rows) {
    for (const facts of [r.before, r.after, r.data]) referencedIds(facts, ids);
    // The entry's target: a staff account or member by name, a category by its name (one read of categories for the page).
    const target = /^(staff|member|category):(.+)$/.exec(r.target);
    if (target?.[1] === "category") slugs.add(target[2]);
    else if (target && /^\d{1,10}$/.test(target[2])) (target[1] === "staff" ? ids.staff : ids.members).push(Number(target[2]));
    // A product's category (catalog.product.* before / after).
    if (r.action.startsWith("catalog.product.")) for (const facts of [r.before, r.after]) {
      const slug = facts && typeof facts === "object" && !Array.isArray(facts) ? (facts as { category?: unknown }).category : undefined;
      if (typeof slug === "string") slugs.add(slug);
    }
  }
  const [read, categories] = await Promise.all([
    readNames(db, ids.staff, ids.members),
    slugs.size ? db.category.findMany({ where: { slug: { in: [...slugs] } }, select: { slug: true, name: true } }) : [],
  ]);
  const names: AuditNames = { members: {}, staff: {}, categories: Object.fromEntries(categories.map((c) => [c.slug, c.name])) };
  for (const [id, m] of read.members) names.members[id] = { name: m.nickname || m.username, deleted: m.deletedAt !== null };
  for (const [id, s] of read.staff) names.staff[id] = s.displayName;
  return { rows: namedActors(rows, read), names };
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
  return { total, ...(await withAuditNames(db, rows)) };
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
  // The CSV names members and staff as the page does: one read of each for the batch.
  const { rows: named, names } = await withAuditNames(db, rows);
  return named.map((r) => ({ ...r, names }));
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
