// What a reviewer sees (SPEC §8): a member's open flags with each event's evidence, and the
// member's tree around it (upline, directs, members sharing their sign-up ip or device).
import type { Db } from "../db";
import { sponsorAncestors } from "../referral";

const RULE_LABEL: Record<string, string> = {
  self_referral: "自己邀请自己",
  shared_device: "与上级同一设备",
  shared_ip: "与上级同一 IP",
  ip_burst: "同一 IP 短时间内大量注册",
  shared_address: "与上级收货地址相同",
  large_first_order: "注册后立即大额首单",
  refund_abuse: "30 天内多次退款",
};

export function riskRuleLabel(rule: string): string {
  return RULE_LABEL[rule] ?? rule;
}

/** Members with at least one open flag, newest first. */
export async function openRiskQueue(db: Db, take = 50) {
  const flags = await db.riskFlag.findMany({ where: { status: "OPEN" }, orderBy: { id: "desc" }, include: { event: true } });
  const byMember = new Map<number, typeof flags>();
  for (const f of flags) byMember.set(f.memberId, [...(byMember.get(f.memberId) ?? []), f]);
  const members = await db.member.findMany({
    where: { id: { in: [...byMember.keys()] } },
    select: { id: true, username: true, nickname: true, rejectionCount: true, frozen: true, createdAt: true },
  });
  return members
    .map((m) => ({ ...m, flags: (byMember.get(m.id) ?? []).map((f) => ({ id: f.id, rule: f.event.rule, label: riskRuleLabel(f.event.rule), at: f.createdAt })) }))
    .sort((a, b) => b.flags[0].id - a.flags[0].id)
    .slice(0, take);
}

export async function riskCase(db: Db, memberId: number) {
  const member = await db.member.findUnique({
    where: { id: memberId },
    select: { id: true, username: true, nickname: true, sponsorId: true, signupIp: true, signupDevice: true, createdAt: true, rejectionCount: true, frozen: true, phoneMasked: true },
  });
  if (!member) return null;
  const [flags, events, upline, directs, sameIp, sameDevice] = await Promise.all([
    db.riskFlag.findMany({ where: { memberId }, orderBy: { id: "desc" }, include: { event: true } }),
    db.riskEvent.findMany({ where: { memberIds: { has: memberId } }, orderBy: { id: "desc" }, take: 50 }),
    sponsorAncestors({ tx: db }, memberId, 3),
    db.member.findMany({ where: { sponsorId: memberId }, select: { id: true, username: true, nickname: true, createdAt: true, signupIp: true }, take: 50 }),
    member.signupIp ? db.member.findMany({ where: { signupIp: member.signupIp, id: { not: memberId } }, select: { id: true, username: true, nickname: true }, take: 20 }) : [],
    member.signupDevice ? db.member.findMany({ where: { signupDevice: member.signupDevice, id: { not: memberId } }, select: { id: true, username: true, nickname: true }, take: 20 }) : [],
  ]);
  const ancestors = await db.member.findMany({ where: { id: { in: upline.map((u) => u.memberId) } }, select: { id: true, username: true, nickname: true } });
  const involved = await db.member.findMany({ where: { id: { in: [...new Set(events.flatMap((e) => e.memberIds))] } }, select: { id: true, username: true, nickname: true } });
  const names = new Map([...ancestors, ...involved].map((m) => [m.id, m.nickname || m.username]));
  return {
    member,
    openFlags: flags.filter((f) => f.status === "OPEN").length,
    flags: flags.map((f) => ({ id: f.id, status: f.status, rule: f.event.rule, label: riskRuleLabel(f.event.rule), evidence: f.event.evidence, at: f.createdAt, decidedAt: f.decidedAt })),
    events: events.map((e) => ({ id: e.id, rule: e.rule, label: riskRuleLabel(e.rule), members: e.memberIds.map((id) => ({ id, name: names.get(id) ?? String(id) })), evidence: e.evidence, at: e.createdAt })),
    upline: upline.map((u) => ({ depth: u.depth, id: u.memberId, name: names.get(u.memberId) ?? String(u.memberId) })),
    directs,
    sameIp,
    sameDevice,
  };
}
