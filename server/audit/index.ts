// The audit log (issue 9): every staff action that changes data writes one entry, inside the same
// transaction as the change, so an action and its entry commit (or roll back) together.
// The table is append-only in the database (trigger in migration *_audit_append_only).
import type { Tx } from "../db";

/** Who acted: a staff account, a member (shopper-initiated engine steps), or the system. */
export type AuditActor = { type: "staff"; id: number } | { type: "member"; id: number } | { type: "system" };

export interface AuditEntry {
  actor: AuditActor;
  /** dotted verb, e.g. "withdrawal.approved", "staff.role_changed". */
  action: string;
  /** "<kind>:<id>", e.g. "withdrawal:12", "staff:3", "order:FM2026…". */
  target: string;
  before?: unknown;
  after?: unknown;
  /** Extra facts that are neither before nor after (a reason, counts). */
  data?: Record<string, unknown>;
  requestId?: string | null;
}

/** What a staff-initiated domain call carries: the acting account and the request it came from. */
export interface StaffActor {
  staffId: number;
  requestId?: string | null;
}

export function staffActor(a: StaffActor): AuditActor {
  return { type: "staff", id: a.staffId };
}

/** An order's target, as every order entry has it: "order:<orderNo>", the number staff search and filter by. */
export async function orderTarget(tx: Tx, orderId: number): Promise<string> {
  const o = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { orderNo: true } });
  return `order:${o.orderNo}`;
}

const json = (v: unknown) => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as object));

export async function audit(tx: Tx, entry: AuditEntry & { now: Date }): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorType: entry.actor.type,
      actorId: entry.actor.type === "system" ? null : entry.actor.id,
      action: entry.action,
      target: entry.target,
      before: json(entry.before),
      after: json(entry.after),
      data: json(entry.data ?? {}),
      requestId: entry.requestId ?? null,
      createdAt: entry.now,
    },
  });
}
