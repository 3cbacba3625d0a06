// Referral binding and the sponsor tree (关系绑定, SPEC §2) plus the sign-up risk rules (§8).
import { kpiFactRow, recordKpiFact, recordKpiFacts } from "../kpi/facts";
import type { Ctx, CreatedNotification } from "../context";
import { refuse, emit, notify, sideRowsCtes, takeSideRows, afterSideRows } from "../context";
import { Prisma } from "../db";
import type { MemberModel as Member } from "../db/generated/models";
import { maskMemberName } from "../promotion";
import { MINUTE } from "../clock/time";
import { lockPlacement, placeInMatrix, placementLockCte } from "../matrix";
import { recordRiskEvent } from "../risk/flags";
import { ipRateKey } from "../auth/otp";
import { referralCodeFor, normaliseCode } from "./codes";
import { recomputeTiersForTeamChange } from "../tiers";
import { distributorSinceAtSignup } from "../distribution";

export { referralCodeFor, normaliseCode };

export interface RegisterInput {
  username: string;
  /** Display name, or a function of the new member's id (sign-up: the friendly default name). */
  nickname?: string | null | ((id: number) => string);
  /** Code from the share link (cookie); an unknown or invalid code, or a frozen or deleted member's, binds nobody. */
  sponsorCode?: string | null;
  /** Sponsor by id (scenario replay, admin tools); takes precedence over sponsorCode. */
  sponsorId?: number | null;
  /** The sign-up used the member's own code. */
  sponsorIsSelf?: boolean;
  ip?: string | null;
  /** The sign-up risk rules compare `ip` as given, not by its network (the scenario replay). */
  ipAsGiven?: boolean;
  device?: string | null;
  phone?: { hash: string; enc: string; masked: string } | null;
}

export const IP_BURST_COUNT = 5;
export const IP_BURST_WINDOW_MS = 60 * MINUTE;

export async function registerMember(ctx: Ctx, input: RegisterInput) {
  const username = input.username.trim();
  if (!username) refuse("INVALID_USERNAME", "用户名不能为空");
  // The name check, the sponsor (by id, else by code) and the new id in one round trip; an id is drawn
  // only for a free name, so a refused sign-up leaves the next member's id (and referral code) unchanged.
  // It takes the IP's lock (none without an IP) to commit: sign-ups from one IP run one by one, so the next statement's
  // ip_burst count (SPEC §8) sees every earlier one. Before any row lock, one sign-up per transaction: no lock cycle.
  // The sponsor's row next, key share as the member's foreign key takes it anyway, before any upline lock (bottom-up,
  // bench/README.md): a deletion in progress (FOR UPDATE) is waited for and seen.
  const byId = input.sponsorIsSelf ? null : (input.sponsorId ?? null);
  const byCode = input.sponsorIsSelf || byId !== null ? null : normaliseCode(input.sponsorCode);
  const ip = input.ip ?? null;
  // SPEC §8's "one IP" as the SMS limit counts it: an IPv6 subscriber's /64, where privacy addresses rotate. The
  // scenario replay compares its texts as given (SPEC §10's contract: "equals"), as they are not always addresses.
  const ipKey = ip === null ? null : input.ipAsGiven ? ip : ipRateKey(ip);
  const [found] = await ctx.tx.$queryRaw<{ taken: boolean; id: number | null; sponsorId: number | null; sponsorActive: boolean | null; sponsorDevice: string | null; sponsorIpKey: string | null }[]>`
    WITH t AS (SELECT EXISTS (SELECT 1 FROM "Member" WHERE username = ${username}) AS taken
      FROM (SELECT pg_advisory_xact_lock(hashtext('SignupIp'), hashtext(${ipKey}::text))) ip_lock)
    SELECT t.taken, CASE WHEN t.taken THEN NULL ELSE nextval('"Member_id_seq"')::int END AS id,
           s.id AS "sponsorId", s.active AS "sponsorActive", s."signupDevice" AS "sponsorDevice", s."signupIpKey" AS "sponsorIpKey"
    FROM t LEFT JOIN LATERAL (
      SELECT id, (${byId}::int IS NOT NULL OR NOT frozen) AND "deletedAt" IS NULL AS active, "signupDevice", "signupIpKey" FROM "Member"
      WHERE id = COALESCE(${byId}::int, (SELECT id FROM "Member" WHERE "referralCode" = ${byCode}::text))
      FOR KEY SHARE) s ON true`;
  if (!found || found.taken || found.id === null) refuse("USERNAME_TAKEN", `username ${username} is already registered`);
  const id = found.id;

  // The sponsor is bound once, here, and never changes. A frozen or deleted member's link is invalid (the landing
  // page says so) and binds nobody, as an unknown code; the member is told the invitation did not bind. A sponsor
  // named by id (scenario replay, SPEC §10) binds while frozen: SPEC §2 refuses only self and shared-device bindings.
  const inactive = found.sponsorId !== null && !found.sponsorActive;
  const candidate = found.sponsorId === null || inactive ? null : { id: found.sponsorId, signupDevice: found.sponsorDevice, signupIpKey: found.sponsorIpKey };
  // SPEC §8: a shared device refuses the binding (and flags nobody).
  const deviceClash = Boolean(candidate && input.device && candidate.signupDevice === input.device);
  const sponsor = candidate && !deviceClash ? candidate : null;
  const nickname = typeof input.nickname === "function" ? input.nickname(id) : (input.nickname ?? null);

  if (sponsor) await notify(ctx, sponsor.id, "team", "team.joined", { name: maskMemberName({ nickname, username }) });
  await emit(ctx, "member/joined", { memberId: id });
  await recordKpiFact(ctx, `member_joined:${id}`, "member_joined", ctx.now, { deltas: { newMembers: 1, referredSignups: sponsor ? 1 : 0 } });

  // The member (its referral code a permutation of the id), the wallet, the side rows gathered so far,
  // the sign-ups from this IP in the burst window (this one included), and then the placement lock, in
  // one statement: the member's own rows come before the lock, every shared row after it (no deadlock).
  // The count's snapshot predates the placement wait; the IP's lock (above) lets no sign-up from this IP commit meanwhile.
  const since = new Date(ctx.now.getTime() - IP_BURST_WINDOW_MS);
  const [row] = await ctx.tx.$queryRaw<(Member & { fromIp: number | null; notes: CreatedNotification[] | null; locked: number })[]>`
    WITH m AS (
      INSERT INTO "Member" (id, username, nickname, "referralCode", "sponsorId", "signupIp", "signupIpKey", "signupDevice", "bindingRefusal",
        "phoneHash", "phoneEnc", "phoneMasked", "createdAt", tier, "distributorSince")
      VALUES (${id}::int, ${username}, ${nickname}::text, ${referralCodeFor(id)}, ${sponsor?.id ?? null}::int, ${ip}::text, ${ipKey}::text, ${input.device ?? null}::text,
        ${deviceClash ? "shared_device" : inactive ? "sponsor_inactive" : null}::text, ${input.phone?.hash ?? null}::text, ${input.phone?.enc ?? null}::text, ${input.phone?.masked ?? null}::text,
        ${ctx.now.toISOString()}::timestamptz, ${ctx.config.tiers[0]?.name ?? "member"}, ${distributorSinceAtSignup(ctx.config, ctx.now)?.toISOString() ?? null}::timestamptz)
      ON CONFLICT (username) DO NOTHING
      RETURNING *),
    w AS (INSERT INTO "Wallet" ("memberId") SELECT id FROM m),
    ${sideRowsCtes(takeSideRows(ctx))},
    ${placementLockCte}
    SELECT m.*, (SELECT json_agg(n) FROM n) AS notes, (SELECT count(*)::int FROM placement_lock) AS locked,
      CASE WHEN ${ipKey}::text IS NULL THEN NULL ELSE 1 + (
        SELECT count(*)::int FROM "Member"
        WHERE "signupIpKey" = ${ipKey}::text AND "createdAt" BETWEEN ${since.toISOString()}::timestamptz AND ${ctx.now.toISOString()}::timestamptz) END AS "fromIp"
    FROM m`;
  // The name check's snapshot predates a same-name sign-up committed meanwhile: the insert then finds the name taken.
  if (!row) refuse("USERNAME_TAKEN", `username ${username} is already registered`);
  const { fromIp, notes, locked, ...member } = row;
  await afterSideRows(ctx.tx, notes ?? [], ctx.config.timeZone);

  if (input.sponsorIsSelf) {
    await recordRiskEvent(ctx, "self_referral", [member.id], [], { code: member.referralCode });
  } else if (candidate && deviceClash) {
    await recordRiskEvent(ctx, "shared_device", [candidate.id, member.id], [], { device: input.device });
  }
  if (sponsor && ipKey && sponsor.signupIpKey === ipKey) {
    await recordRiskEvent(ctx, "shared_ip", [sponsor.id, member.id], [member.id], { ip });
  }
  if (ipKey && fromIp !== null && fromIp >= IP_BURST_COUNT) {
    await recordRiskEvent(ctx, "ip_burst", [member.id], [member.id], { ip, signupsInWindow: fromIp });
  }

  // Shared rows last, behind the placement lock (in a statement of their own, whose snapshot sees the
  // placement committed before the lock), so sign-ups queue only for that statement and the commit.
  if (!locked) await lockPlacement(ctx);
  await placeInMatrix(ctx, member.id, sponsor?.id ?? null, sponsor ? sponsorTreeCtes(member.id, sponsor.id) : undefined);
  if (sponsor) await recomputeTiersForTeamChange(ctx, member.id);
  return member;
}

/**
 * Closure rows for the new member, the per-depth downline counters and team sizes of every ancestor (CTEs of the
 * placement statement). The ancestors are locked nearest first, as a payment locks its buyer before the sponsor.
 */
function sponsorTreeCtes(memberId: number, sponsorId: number): Prisma.Sql {
  return Prisma.sql`closure AS (
      INSERT INTO "SponsorClosure" ("ancestorId", "descendantId", depth)
      SELECT ${sponsorId}::int, ${memberId}::int, 1
      UNION ALL
      SELECT "ancestorId", ${memberId}::int, depth + 1 FROM "SponsorClosure" WHERE "descendantId" = ${sponsorId}
      RETURNING "ancestorId", depth),
    downline AS (
      INSERT INTO "DownlineLevelCount" ("memberId", depth, count) SELECT "ancestorId", depth, 1 FROM closure
      ON CONFLICT ("memberId", depth) DO UPDATE SET count = "DownlineLevelCount".count + 1),
    team_lock AS MATERIALIZED (SELECT m.id FROM "Member" m JOIN closure c ON c."ancestorId" = m.id ORDER BY c.depth FOR NO KEY UPDATE OF m),
    team AS (UPDATE "Member" m SET "teamSize" = m."teamSize" + 1 FROM team_lock l WHERE m.id = l.id)`;
}

/** Ancestors in the sponsor tree, nearest first, up to maxDepth (one indexed query). */
export async function sponsorAncestors(ctx: Pick<Ctx, "tx">, memberId: number, maxDepth: number) {
  const rows = await ctx.tx.sponsorClosure.findMany({
    where: { descendantId: memberId, depth: { lte: maxDepth } },
    orderBy: { depth: "asc" },
    select: { ancestorId: true, depth: true },
  });
  return rows.map((r) => ({ memberId: r.ancestorId, depth: r.depth }));
}

/** Downline counted by depth, read from counters (independent of the downline's size). */
export async function downlineByDepth(ctx: Pick<Ctx, "tx">, memberId: number, maxDepth = 10) {
  const rows = await ctx.tx.downlineLevelCount.findMany({
    where: { memberId, depth: { lte: maxDepth } },
    orderBy: { depth: "asc" },
  });
  return rows.map((r) => ({ depth: r.depth, count: r.count }));
}

export async function recordReferralVisit(ctx: Ctx, code: string, visitorId: string | null) {
  return (await recordReferralVisits(ctx, [{ code, visitorId, at: ctx.now }]))[0];
}

/**
 * Share-link visits, set-wise: the members of all codes in one query, the visits and their KPI facts
 * in one statement each. Returns each visit's member (null for an unknown code or a frozen member), in input order.
 * The visitor id is not stored: it only de-duplicates views in memory (visit-buffer.ts), and nothing reads it back.
 */
export async function recordReferralVisits(ctx: Ctx, visits: { code: string; visitorId: string | null; at: Date }[]) {
  const norm = visits.map((v) => normaliseCode(v.code));
  const codes = [...new Set(norm.filter((c): c is string => c !== null))];
  if (codes.length === 0) return visits.map(() => null);
  // A frozen member's link shows as invalid and counts no visit.
  const members = await ctx.tx.member.findMany({ where: { referralCode: { in: codes }, frozen: false } });
  const byCode = new Map(members.map((m) => [m.referralCode, m]));
  const known = visits.flatMap((v, i) => {
    const member = norm[i] ? byCode.get(norm[i]) : undefined;
    return member ? [{ code: norm[i]!, memberId: member.id, createdAt: v.at }] : [];
  });
  if (known.length > 0) {
    // Raw, not createManyAndReturn: Prisma's query compiler walks every row of that call on the event loop
    // (~50 ms for a 500-view batch, the landing page's p99 under load); this statement costs ~5 ms.
    const created = await ctx.tx.$queryRaw<{ id: number; memberId: number; createdAt: Date }[]>`
      INSERT INTO "ReferralVisit" (code, "memberId", "createdAt")
      SELECT x.code, x."memberId", x."createdAt" FROM unnest(${known.map((k) => k.code)}::text[], ${known.map((k) => k.memberId)}::int[],
        ${known.map((k) => k.createdAt.toISOString())}::timestamptz[]) WITH ORDINALITY AS x(code, "memberId", "createdAt", ord)
      ORDER BY x.ord
      RETURNING id, "memberId", "createdAt"`;
    // K-factor's sharers: members whose link was opened after their first payment (a batched visit may
    // be recorded after a payment that came later than the visit itself).
    const firstPaid = await ctx.tx.order.findMany({
      where: { id: { in: members.flatMap((m) => (m.firstPaidOrderId !== null ? [m.firstPaidOrderId] : [])) } },
      select: { memberId: true, paidAt: true },
    });
    const paidAt = new Map(firstPaid.map((o) => [o.memberId, o.paidAt]));
    const sharedAt = (memberId: number, at: Date) => {
      const p = paidAt.get(memberId);
      return p != null && p <= at;
    };
    await recordKpiFacts(ctx, created.map((v) => kpiFactRow(ctx, `visit:${v.id}`, "visit", v.createdAt, { deltas: { visits: 1 }, shared: sharedAt(v.memberId, v.createdAt) }, v.memberId)));
  }
  return norm.map((c) => (c ? (byCode.get(c) ?? null) : null));
}
