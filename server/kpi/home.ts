// The back office's home (/merchant): today's figures in the merchant's calendar day and the to-do
// counts. Each to-do is one indexed count; "failed jobs" comes from the jobs module when it exists.
import type { Db } from "../db";
import { localParts, nextLocalMidnight, zonedMidnight } from "../clock/time";

export interface HomeFigures {
  today: { from: Date; to: Date; paidOrders: number; gmvFen: number; newMembers: number };
  todo: { toShip: number; refundRequests: number; withdrawalsToApprove: number; riskCases: number; failedJobs: number | null };
}

export async function backOfficeHome(db: Db, now: Date, timeZone: string, failedJobs?: () => Promise<number>): Promise<HomeFigures> {
  const p = localParts(now, timeZone);
  const from = zonedMidnight(p.year, p.month, p.day, timeZone);
  const to = nextLocalMidnight(now, timeZone);
  const paidToday = { paidAt: { gte: from, lt: to } };
  const [paid, newMembers, toShip, withdrawals, riskMembers, jobs] = await Promise.all([
    db.order.aggregate({ where: paidToday, _count: { _all: true }, _sum: { payableFen: true, creditUsedFen: true } }),
    db.member.count({ where: { createdAt: { gte: from, lt: to } } }),
    db.order.count({ where: { status: "PAID" } }),
    db.withdrawal.count({ where: { status: "PENDING_REVIEW" } }),
    db.riskFlag.groupBy({ by: ["memberId"], where: { status: "OPEN" } }),
    failedJobs ? failedJobs() : Promise.resolve(null),
  ]);
  return {
    today: {
      from,
      to,
      paidOrders: paid._count._all,
      // Sales = what buyers paid, cash plus store credit.
      gmvFen: (paid._sum.payableFen ?? 0) + (paid._sum.creditUsedFen ?? 0),
      newMembers,
    },
    // Refund requests exist once after-sales lands (issue 9); until then there are none to answer.
    todo: { toShip, refundRequests: 0, withdrawalsToApprove: withdrawals, riskCases: riskMembers.length, failedJobs: jobs },
  };
}
