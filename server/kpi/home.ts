// The back office's home (/merchant): today's figures in the merchant's calendar day and the to-do
// counts, each one indexed read (paidAt, createdAt, status) whatever the number of orders and members;
// "failed jobs" comes from the jobs module. Each figure is read only for a role whose area it belongs
// to (null otherwise): the home is open to every role, the sales figures and to-do queues are not.
// "Payouts blocked": approved withdrawals no payout takes, the member frozen or under risk review (payoutBlockedWhere).
// "Failed payouts": withdrawals whose payout failed (the money back in the member's balance) and whose member has not
// asked again since (failedAwaitingWhere), each waiting for finance: 重新打款, or leave it to the member (the reason says whose move it is).
import type { Db } from "../db";
import { localParts, nextLocalMidnight, zonedMidnight } from "../clock/time";
import { canAccess, type Area, type StaffRole } from "../staff/roles";
import { failedAwaitingWhere, payoutBlockedWhere } from "../wallet/review";

export interface HomeFigures {
  /** refunded*: orders refunded today (whenever paid), beside the paid ones, so a day of refunds does not read as sales. */
  today: { from: Date; to: Date; paidOrders: number | null; gmvFen: number | null; refundedOrders: number | null; refundedFen: number | null; newMembers: number };
  todo: { toShip: number | null; refundRequests: number | null; withdrawalsToApprove: number | null; payoutsBlocked: number | null; payoutsFailed: number | null; riskCases: number | null; failedJobs: number | null };
}

export async function backOfficeHome(db: Db, now: Date, timeZone: string, role: StaffRole = "owner", failedJobs?: () => Promise<number>): Promise<HomeFigures> {
  const p = localParts(now, timeZone);
  const from = zonedMidnight(p.year, p.month, p.day, timeZone);
  const to = nextLocalMidnight(now, timeZone);
  const paidToday = { paidAt: { gte: from, lt: to } };
  const ifAllowed = <T>(area: Area, read: () => Promise<T>): Promise<T | null> => (canAccess(role, area) ? read() : Promise.resolve(null));
  const [paid, refunded, newMembers, toShip, refundRequests, withdrawals, payoutsBlocked, payoutsFailed, riskMembers, jobs] = await Promise.all([
    ifAllowed("kpi", () => db.order.aggregate({ where: paidToday, _count: { _all: true }, _sum: { goodsFen: true } })),
    ifAllowed("kpi", () => db.order.aggregate({ where: { refundedAt: { gte: from, lt: to } }, _count: { _all: true }, _sum: { goodsFen: true } })),
    db.member.count({ where: { createdAt: { gte: from, lt: to } } }),
    ifAllowed("ordersRead", () => db.order.count({ where: { status: "PAID" } })),
    ifAllowed("afterSales", () => db.refundRequest.count({ where: { status: "PENDING" } })),
    ifAllowed("withdrawals", () => db.withdrawal.count({ where: { status: "PENDING_REVIEW" } })),
    ifAllowed("withdrawals", async () => db.withdrawal.count({ where: await payoutBlockedWhere(db) })),
    ifAllowed("withdrawals", async () => db.withdrawal.count({ where: await failedAwaitingWhere(db) })),
    ifAllowed("risk", () => db.riskFlag.groupBy({ by: ["memberId"], where: { status: "OPEN" } })),
    failedJobs ? ifAllowed("jobs", failedJobs) : Promise.resolve(null),
  ]);
  return {
    today: {
      from,
      to,
      paidOrders: paid ? paid._count._all : null,
      // GMV as the KPI page and SPEC define it: the goods amount, without shipping.
      gmvFen: paid ? (paid._sum.goodsFen ?? 0) : null,
      refundedOrders: refunded ? refunded._count._all : null,
      refundedFen: refunded ? (refunded._sum.goodsFen ?? 0) : null,
      newMembers,
    },
    todo: { toShip, refundRequests, withdrawalsToApprove: withdrawals, payoutsBlocked, payoutsFailed, riskCases: riskMembers ? riskMembers.length : null, failedJobs: jobs },
  };
}
