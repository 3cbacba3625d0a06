// The back office's home (/merchant): today's figures in the merchant's calendar day and the to-do
// counts, each one indexed read (paidAt, createdAt, status) whatever the number of orders and members;
// "failed jobs" comes from the jobs module.
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
  const [paid, newMembers, toShip, refundRequests, withdrawals, riskMembers, jobs] = await Promise.all([
    db.order.aggregate({ where: paidToday, _count: { _all: true }, _sum: { goodsFen: true } }),
    db.member.count({ where: { createdAt: { gte: from, lt: to } } }),
    db.order.count({ where: { status: "PAID" } }),
    db.refundRequest.count({ where: { status: "PENDING" } }),
    db.withdrawal.count({ where: { status: "PENDING_REVIEW" } }),
    db.riskFlag.groupBy({ by: ["memberId"], where: { status: "OPEN" } }),
    failedJobs ? failedJobs() : Promise.resolve(null),
  ]);
  return {
    today: {
      from,
      to,
      paidOrders: paid._count._all,
      // GMV as the KPI page and SPEC define it: the goods amount, without shipping.
      gmvFen: paid._sum.goodsFen ?? 0,
      newMembers,
    },
    todo: { toShip, refundRequests, withdrawalsToApprove: withdrawals, riskCases: riskMembers.length, failedJobs: jobs },
  };
}
