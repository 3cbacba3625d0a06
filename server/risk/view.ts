// What a reviewer sees (SPEC §8): a member's open flags with each event's evidence, and the
// member's tree around it (upline, directs, members sharing their sign-up ip or device).
import { z } from "zod";
import { id, text } from "@/server/validation";
import type { Db } from "../db";
import type { Prisma } from "../db/generated/client";
import { sponsorAncestors } from "../referral";
import { seekPage, seeksAfter } from "../exports/keyset";
import { LIST_COUNT_CAP, cappedTotal } from "../pagination";
import { frozenByReview } from "./review";
import { REFUND_ABUSE_WINDOW_MS } from "../orders";

// The engine's own labels (CSV exports, a fallback): the back office's pages name the rules by the
// message keys mr.rule.<rule> (lib/i18n/messages/money.*), in the reader's language.
const RULE_LABEL: Record<string, string> = {
  self_referral: "自己邀请自己",
  shared_device: "与上级同一设备",
  shared_ip: "与上级同一 IP",
  ip_burst: "同一 IP 短时间内大量注册",
  shared_address: "与上级收货地址相同",
  large_first_order: "注册后立即大额首单",
  refund_abuse: "30 天内多次退款",
  returning_phone: "注销后同一手机号重新注册",
};

export function riskRuleLabel(rule: string): string {
  return RULE_LABEL[rule] ?? rule;
}

export const riskQueueFilterSchema = z.object({
  rule: text(40).trim().optional(),
  /** A member id (#12 or 12) or part of a nickname / username. */
  member: text(40).trim().optional(),
  page: z.number().int().min(1).max(100_000).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
});
export type RiskQueueFilter = z.infer<typeof riskQueueFilterSchema>;

function flagWhere(f: RiskQueueFilter): Prisma.RiskFlagWhereInput {
  const and: Prisma.RiskFlagWhereInput[] = [{ status: "OPEN" }];
  if (f.rule) and.push({ event: { rule: f.rule } });
  if (f.member) {
    const id = /^#?(\d{1,9})$/.exec(f.member);
    and.push(id ? { memberId: Number(id[1]) } : { memberId: { in: [] as number[] } });
  }
  return { AND: and };
}

/** The queue's flags: open, of the rule, of the member; a nickname is resolved to member ids first (flags carry no relation). */
export async function riskQueueWhere(db: Db, f: RiskQueueFilter): Promise<Prisma.RiskFlagWhereInput> {
  if (!f.member || /^#?\d{1,9}$/.exec(f.member)) return flagWhere(f);
  const named = await db.member.findMany({ where: { OR: [{ nickname: { contains: f.member, mode: "insensitive" } }, { username: { contains: f.member, mode: "insensitive" } }] }, select: { id: true }, take: 500 });
  return { AND: [flagWhere({ ...f, member: undefined }), { memberId: { in: named.map((m) => m.id) } }] };
}

/** The queue's rows for these members, in the order given: each member with every open flag, newest first. */
async function queueItems(db: Db, memberIds: number[]) {
  const [members, flags] = await Promise.all([
    db.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, username: true, nickname: true, rejectionCount: true, frozen: true, createdAt: true } }),
    db.riskFlag.findMany({ where: { memberId: { in: memberIds }, status: "OPEN" }, orderBy: { id: "desc" }, include: { event: true } }),
  ]);
  const byId = new Map(members.map((m) => [m.id, m]));
  return memberIds.map((id) => {
    const own = flags.filter((fl) => fl.memberId === id);
    return { ...byId.get(id)!, latestAt: own[0]?.createdAt ?? null, flags: own.map((fl) => ({ id: fl.id, rule: fl.event.rule, label: riskRuleLabel(fl.event.rule), at: fl.createdAt })) };
  });
}

/**
 * Members with at least one open flag, the most recently flagged first (by their newest open flag),
 * one page at a time.
 */
export async function riskQueuePage(db: Db, f: RiskQueueFilter) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  const where = await riskQueueWhere(db, f);
  const groups = await db.riskFlag.groupBy({ by: ["memberId"], where, _max: { id: true }, orderBy: { _max: { id: "desc" } } });
  const pageIds = groups.slice((page - 1) * pageSize, page * pageSize).map((g) => g.memberId);
  return { total: groups.length, items: await queueItems(db, pageIds) };
}

/** The members in the queue of `where` (riskQueueWhere): a background export's progress counts against it, once. */
export async function countRiskQueue(db: Db, where: Prisma.RiskFlagWhereInput): Promise<number> {
  return (await db.riskFlag.groupBy({ by: ["memberId"], where })).length;
}

/**
 * The queue's CSV export, one page at a time: up to `take` members after `after` (the previous page's last
 * row; null to start) in the queue's order, newest matching open flag first. Walks the matching flags down
 * from the cursor's flag (an index seek on status and id) and keeps a member at their newest one, instead of
 * grouping every open flag again for each page.
 */
export async function riskQueueExportPage(db: Db, where: Prisma.RiskFlagWhereInput, after: { newestFlagId: number } | null, take: number) {
  const picked: { memberId: number; newestFlagId: number }[] = [];
  let below = after?.newestFlagId ?? null;
  while (picked.length < take) {
    const flags = await db.riskFlag.findMany({ where: { AND: [where, below === null ? {} : { id: { lt: below } }] }, orderBy: { id: "desc" }, take, select: { id: true, memberId: true } });
    if (!flags.length) break;
    const newest = await db.riskFlag.groupBy({ by: ["memberId"], where: { AND: [where, { memberId: { in: [...new Set(flags.map((fl) => fl.memberId))] } }] }, _max: { id: true } });
    const newestOf = new Map(newest.map((g) => [g.memberId, g._max.id]));
    // A member's older flags are passed over: the member was (or is) written at their newest.
    for (const fl of flags) if (picked.length < take && newestOf.get(fl.memberId) === fl.id) picked.push({ memberId: fl.memberId, newestFlagId: fl.id });
    if (flags.length < take) break;
    below = flags[flags.length - 1]!.id;
  }
  const items = await queueItems(db, picked.map((p) => p.memberId));
  return items.map((item, i) => ({ ...item, newestFlagId: picked[i]!.newestFlagId }));
}

export const frozenMembersFilterSchema = z.object({
  /** A member id (#12 or 12) or part of a nickname / username. */
  member: text(40).trim().optional(),
  /** The previous page's last row (its freeze time, null for a freeze of no recorded time, and id); none: the first page. */
  after: z.object({ at: z.date().nullable(), id: id() }).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
});
export type FrozenMembersFilter = z.infer<typeof frozenMembersFilterSchema>;

async function frozenWhere(db: Db, member: string | undefined): Promise<Prisma.MemberWhereInput> {
  // A deleted account stays frozen for good (server/members/deletion.ts): nobody can unfreeze it, so it is not listed.
  const base: Prisma.MemberWhereInput = { frozen: true, deletedAt: null };
  if (!member) return base;
  const byId = /^#?(\d{1,9})$/.exec(member);
  if (byId) return { ...base, id: Number(byId[1]) };
  return { ...base, OR: [{ nickname: { contains: member, mode: "insensitive" } }, { username: { contains: member, mode: "insensitive" } }] };
}

/**
 * Frozen members (SPEC §8), the most recently frozen first, a keyset page at a time (frozenAt, id; a freeze of no
 * recorded time last): whoever froze them, the review's third rejection or staff, they leave the queue once their
 * flags are decided, and only here can a reviewer find them again to lift the freeze from their case.
 * Each row says who froze them, when and why: the rejection that froze them (its reviewer) with the rules of every
 * rejection that led to it, else the latest staff freeze's audit entry (its author and reason).
 */
export async function frozenMembersPage(db: Db, f: FrozenMembersFilter) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const where = await frozenWhere(db, f.member);
  const select = { id: true, username: true, nickname: true, frozen: true, frozenAt: true, rejectionCount: true } as const;
  const seeks = seeksAfter("frozenAt", "desc", f.after ? { value: f.after.at, id: f.after.id } : null, "last");
  const [counted, rows] = await Promise.all([
    db.member.count({ where, take: LIST_COUNT_CAP + 1 }),
    seekPage(seeks, pageSize + 1, (seek, n) =>
      db.member.findMany({ where: { AND: [where, seek.where as Prisma.MemberWhereInput] }, orderBy: seek.orderBy as Prisma.MemberOrderByWithRelationInput[], take: n, select }),
    ),
  ]);
  const page = rows.slice(0, pageSize);
  const ids = page.map((m) => m.id);
  const [rejections, freezes, openFlags] = await Promise.all([
    db.riskFlag.findMany({ where: { memberId: { in: ids }, status: "REJECTED" }, orderBy: [{ decidedAt: "asc" }, { id: "asc" }], select: { memberId: true, decidedAt: true, decidedBy: true, event: { select: { rule: true } } } }),
    db.auditLog.findMany({ where: { action: "member.frozen", target: { in: ids.map((i) => `member:${i}`) } }, orderBy: { id: "desc" }, select: { target: true, actorType: true, actorId: true, data: true } }),
    db.riskFlag.groupBy({ by: ["memberId"], where: { memberId: { in: ids }, status: "OPEN" }, _count: { _all: true } }),
  ]);
  const open = new Map(openFlags.map((g) => [g.memberId, g._count._all]));
  const items = page.map((m) => {
    const own = rejections.filter((r) => r.memberId === m.id);
    // The same rule as the unfreeze's (RISK_FREEZE_REVIEWER_ONLY), so the list never calls a freeze the review's that the rule does not.
    if (frozenByReview(m, own)) {
      // The rejection that froze them: the first decided since the freeze began (a freeze of no recorded time: the latest).
      const first = m.frozenAt ? own.find((r) => r.decidedAt && r.decidedAt >= m.frozenAt!) : own[own.length - 1];
      // Why: every rejection counted up to it (累计驳回 n 次), each rule once, in the order they were rejected.
      const counted = own.filter((r) => !first?.decidedAt || !r.decidedAt || r.decidedAt <= first.decidedAt);
      return { ...m, openFlags: open.get(m.id) ?? 0, by: "review" as const, byStaffId: first?.decidedBy ?? null, reason: null, rules: [...new Set(counted.map((r) => r.event.rule))] };
    }
    const entry = freezes.find((a) => a.target === `member:${m.id}`);
    const reason = entry?.data && typeof entry.data === "object" && !Array.isArray(entry.data) ? (entry.data as { reason?: unknown }).reason : null;
    return { ...m, openFlags: open.get(m.id) ?? 0, by: "staff" as const, byStaffId: entry?.actorType === "staff" ? entry.actorId : null, reason: typeof reason === "string" ? reason : null, rules: [] as string[] };
  });
  const staffIds = [...new Set(items.flatMap((it) => (it.byStaffId ? [it.byStaffId] : [])))];
  const staff = new Map((staffIds.length ? await db.staffAccount.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true, username: true } }) : []).map((s) => [s.id, `${s.displayName} (${s.username})`]));
  const last = page[page.length - 1];
  return {
    ...cappedTotal(counted),
    items: items.map(({ byStaffId, ...it }) => ({ ...it, byStaff: byStaffId ? (staff.get(byStaffId) ?? `#${byStaffId}`) : null })),
    next: rows.length > pageSize && last ? { at: last.frozenAt, id: last.id } : null,
  };
}

/** Every rule with a label (a case's events name any of them). */
export const RISK_RULES = Object.keys(RULE_LABEL);

/** Rules that refuse a referral binding and flag nobody (SPEC §8 self_referral, shared_device): events, never in the queue. */
export const REFUSED_BINDING_RULES: readonly string[] = ["self_referral", "shared_device"];

/** The rules the queue can filter by: those that flag a member (a refused binding's rule would always list nobody). */
export const FLAG_RULES = RISK_RULES.filter((r) => !REFUSED_BINDING_RULES.includes(r));

export const refusedBindingsFilterSchema = z.object({
  /** The previous page's last event id; none: the first page. */
  after: id().optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
});
export type RefusedBindingsFilter = z.infer<typeof refusedBindingsFilterSchema>;

/**
 * Sign-ups whose referral binding was refused (SPEC §8 self_referral, shared_device), newest first, a keyset page at a
 * time: they flag nobody, so the queue never lists them, and the risk role cannot open member pages; here a reviewer
 * sees them, each member linking to their case. Only the rules' events are read (the index on rule, createdAt).
 */
export async function refusedBindingsPage(db: Db, f: RefusedBindingsFilter) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const rows = await db.riskEvent.findMany({
    where: { rule: { in: [...REFUSED_BINDING_RULES] }, ...(f.after ? { id: { lt: f.after } } : {}) },
    orderBy: { id: "desc" },
    take: pageSize + 1,
  });
  const page = rows.slice(0, pageSize);
  const members = await db.member.findMany({ where: { id: { in: [...new Set(page.flatMap((e) => e.memberIds))] } }, select: { id: true, username: true, nickname: true } });
  const names = new Map(members.map((m) => [m.id, m.nickname || m.username]));
  return {
    items: page.map((e) => ({ id: e.id, rule: e.rule, label: riskRuleLabel(e.rule), at: e.createdAt, evidence: e.evidence, members: e.memberIds.map((mid) => ({ id: mid, name: names.get(mid) ?? String(mid) })) })),
    next: rows.length > pageSize ? page[page.length - 1]!.id : null,
  };
}

export async function riskCase(db: Db, memberId: number) {
  const member = await db.member.findUnique({
    where: { id: memberId },
    select: { id: true, username: true, nickname: true, sponsorId: true, signupIp: true, signupIpKey: true, signupDevice: true, createdAt: true, rejectionCount: true, frozen: true, phoneMasked: true, deletedAt: true },
  });
  if (!member) return null;
  const [flags, events, upline, directs, sameIp, sameDevice] = await Promise.all([
    db.riskFlag.findMany({ where: { memberId }, orderBy: { id: "desc" }, include: { event: true } }),
    db.riskEvent.findMany({ where: { memberIds: { has: memberId } }, orderBy: { id: "desc" }, take: 50 }),
    sponsorAncestors({ tx: db }, memberId, 3),
    db.member.findMany({ where: { sponsorId: memberId }, select: { id: true, username: true, nickname: true, createdAt: true, signupIp: true }, take: 50 }),
    // One IP as SPEC §8's rules count it (an IPv6 subscriber's /64).
    member.signupIpKey ? db.member.findMany({ where: { signupIpKey: member.signupIpKey, id: { not: memberId } }, select: { id: true, username: true, nickname: true }, take: 20 }) : [],
    member.signupDevice ? db.member.findMany({ where: { signupDevice: member.signupDevice, id: { not: memberId } }, select: { id: true, username: true, nickname: true }, take: 20 }) : [],
  ]);
  const ancestors = await db.member.findMany({ where: { id: { in: upline.map((u) => u.memberId) } }, select: { id: true, username: true, nickname: true } });
  const involved = await db.member.findMany({ where: { id: { in: [...new Set(events.flatMap((e) => e.memberIds))] } }, select: { id: true, username: true, nickname: true } });
  const names = new Map([...ancestors, ...involved].map((m) => [m.id, m.nickname || m.username]));
  const refunds = await countedRefunds(db, memberId, [...flags.map((f) => f.event), ...events]);
  return {
    member,
    openFlags: flags.filter((f) => f.status === "OPEN").length,
    flags: flags.map((f) => ({
      id: f.id, status: f.status, rule: f.event.rule, label: riskRuleLabel(f.event.rule), evidence: f.event.evidence, at: f.createdAt, decidedAt: f.decidedAt, note: f.decisionNote,
      refunds: refunds.get(f.event.id) ?? null,
    })),
    events: events.map((e) => ({
      id: e.id, rule: e.rule, label: riskRuleLabel(e.rule), members: e.memberIds.map((id) => ({ id, name: names.get(id) ?? String(id) })), evidence: e.evidence, at: e.createdAt,
      refunds: refunds.get(e.id) ?? null,
    })),
    upline: upline.map((u) => ({ depth: u.depth, id: u.memberId, name: names.get(u.memberId) ?? String(u.memberId) })),
    directs,
    sameIp,
    sameDevice,
  };
}

/** At most this many refunded orders listed as one refund_abuse event's evidence (the rule needs 3). */
export const COUNTED_REFUNDS_MAX = 50;

export type CountedRefund = { orderId: number; orderNo: string; amountFen: number; refundedAt: Date };

/**
 * The refunded orders each of the member's refund_abuse events counted (SPEC §8: a refund that makes 3 or more by one
 * member within 30 days), as the refund counted them (server/orders refundOrder): the member's REFUNDED orders
 * refunded within the 30 days up to the event, both ends included; newest first. Their amount is what went back, the
 * payment and the store credit used. Keyed by event id; other rules' events have none.
 */
export async function countedRefunds(db: Db, memberId: number, events: readonly { id: number; rule: string; createdAt: Date }[]): Promise<Map<number, CountedRefund[]>> {
  const abuse = events.filter((e) => e.rule === "refund_abuse");
  const out = new Map<number, CountedRefund[]>();
  if (!abuse.length) return out;
  const times = abuse.map((e) => e.createdAt.getTime());
  const orders = await db.order.findMany({
    where: { memberId, status: "REFUNDED", refundedAt: { gte: new Date(Math.min(...times) - REFUND_ABUSE_WINDOW_MS), lte: new Date(Math.max(...times)) } },
    orderBy: [{ refundedAt: "desc" }, { id: "desc" }],
    select: { id: true, orderNo: true, payableFen: true, creditUsedFen: true, refundedAt: true },
    take: COUNTED_REFUNDS_MAX * abuse.length,
  });
  for (const e of abuse) {
    const since = e.createdAt.getTime() - REFUND_ABUSE_WINDOW_MS;
    const counted = orders.filter((o) => o.refundedAt && o.refundedAt.getTime() >= since && o.refundedAt.getTime() <= e.createdAt.getTime());
    out.set(e.id, counted.slice(0, COUNTED_REFUNDS_MAX).map((o) => ({ orderId: o.id, orderNo: o.orderNo, amountFen: o.payableFen + o.creditUsedFen, refundedAt: o.refundedAt! })));
  }
  return out;
}
