// 我邀请的好友: the members a shopper invited directly (sponsor = the shopper, SPEC §2 L1), so they can see who has not
// bought yet and remind them. Level 1 only: a level-2/3 member was invited by someone else (PIPL), as in myCommissions.
import { Prisma, type Db } from "../db";
import type { OrderStatus } from "../db/generated/enums";
import { DELETED_MEMBER_NAME } from "../members/profile";
import { maskMemberName } from "./index";

/** Rows per page of the list. */
export const INVITEES_PAGE = 20;

/**
 * Where an invitee's first paid order stands, as 推三返一 counts it (SPEC §5): NONE (no paid order yet), ORDERED (paid,
 * not yet completed: it counts, and becomes final when completed), COMPLETED, REFUNDED (it does not count, ever).
 */
export type InviteeFirstOrder = "NONE" | "ORDERED" | "COMPLETED" | "REFUNDED";

/** Deleted (注销, personal data erased) or not; a freeze is a risk outcome, that member's own business, so not shown. */
export type InviteeAccount = "ACTIVE" | "DELETED";

export interface InviteeRow {
  id: number;
  name: string;
  joinedAt: Date;
  account: InviteeAccount;
  /** Null for a deleted account: nothing about a person who left is shown but that they did. */
  firstOrder: InviteeFirstOrder | null;
  /** Counts (not removed) for one of this member's 推三返一 tasks. */
  countsForTask: boolean;
  /**
   * Why a first order that stands (ORDERED or COMPLETED) counts for no task: NO_TASK, it was never assigned (SPEC §5: when
   * it was paid this member had no OPEN task with room: none open, or the open ones full). Null otherwise, and for one
   * removed in a risk review (the invitee's own business, as a freeze) or assigned to a task of a former sponsor.
   */
  notCountedWhy: "NO_TASK" | null;
}

function firstOrderOf(status: OrderStatus | null): InviteeFirstOrder {
  switch (status) {
    case null:
      return "NONE";
    case "COMPLETED":
      return "COMPLETED";
    case "REFUNDED":
      return "REFUNDED";
    // A first *paid* order is never PENDING_PAYMENT or CANCELLED; PAID/SHIPPED/DELIVERED wait for the return window.
    default:
      return "ORDERED";
  }
}

/**
 * A page of the member's direct invitees, newest first (by member id, the sign-up order), after `cursor` (the previous
 * page's last id): one query seeking in Member(sponsorId, id), each row's first order and task assignment by unique key.
 * The first page (no cursor) also carries the totals: invited, and how many of them have a first order that stands
 * (paid, not refunded).
 */
export async function myInvitees(db: Db, memberId: number, opts: { cursor?: number; take?: number } = {}) {
  const take = Math.min(Math.max(opts.take ?? INVITEES_PAGE, 1), 50);
  const rows = await db.$queryRaw<{ id: number; nickname: string | null; username: string; createdAt: Date; deleted: boolean; firstStatus: OrderStatus | null; counted: boolean; assigned: boolean }[]>`
    SELECT m.id, m.nickname, m.username, m."createdAt", m."deletedAt" IS NOT NULL AS deleted,
      o.status::text AS "firstStatus", (t.id IS NOT NULL) AS counted,
      EXISTS (SELECT 1 FROM "RebateAssignment" x WHERE x."inviteeId" = m.id) AS assigned
    FROM "Member" m
    LEFT JOIN "Order" o ON o.id = m."firstPaidOrderId"
    LEFT JOIN "RebateAssignment" a ON a."inviteeId" = m.id AND a."removedAt" IS NULL
    LEFT JOIN "RebateTask" t ON t.id = a."taskId" AND t."memberId" = ${memberId}
    WHERE m."sponsorId" = ${memberId} ${opts.cursor === undefined ? Prisma.empty : Prisma.sql`AND m.id < ${opts.cursor}`}
    ORDER BY m.id DESC
    LIMIT ${take + 1}`;
  const page = rows.slice(0, take);
  const items: InviteeRow[] = page.map((r) => {
    const firstOrder = r.deleted ? null : firstOrderOf(r.firstStatus);
    const stands = firstOrder === "ORDERED" || firstOrder === "COMPLETED";
    return {
      id: r.id,
      name: r.deleted ? DELETED_MEMBER_NAME : maskMemberName(r),
      joinedAt: r.createdAt,
      account: r.deleted ? "DELETED" : "ACTIVE",
      firstOrder,
      countsForTask: !r.deleted && r.counted,
      notCountedWhy: stands && !r.assigned ? "NO_TASK" : null,
    };
  });
  // 已下单 counts the friends whose first order stands, as the rows say it (a refunded first order is 首单已退款, not ordered).
  const totals =
    opts.cursor === undefined
      ? await db.$queryRaw<{ invited: number; ordered: number }[]>`
          SELECT count(*)::int AS invited, count(*) FILTER (WHERE o.status IS NOT NULL AND o.status <> 'REFUNDED')::int AS ordered
          FROM "Member" m LEFT JOIN "Order" o ON o.id = m."firstPaidOrderId"
          WHERE m."sponsorId" = ${memberId}`.then(([r]) => ({ invited: r!.invited, ordered: r!.ordered }))
      : null;
  return { items, nextCursor: rows.length > take ? page.at(-1)!.id : undefined, totals };
}
