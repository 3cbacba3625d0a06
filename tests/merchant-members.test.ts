// Back office members (issue 9, /merchant/members) through the tRPC procedures with real staff
// sessions: search by nickname / referral code / phone (lookup hash), filters, commission sums,
// detail with upline and per-level downline, paging a level, freeze / unfreeze (audited, refused for
// support, and the engine then refuses the member's withdrawal), and the CSV export's content.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { phoneFields } from "../server/auth/crypto";
import { createCommissionsForPaidOrder } from "../server/commission";
import { recordRiskEvent } from "../server/risk/flags";
import { runSponsorChanges } from "../server/members/sponsor-change";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { requestWithdrawal } from "../server/wallet/withdrawals";
import { downlineLevel } from "../server/members/admin";
import { ACTIVITY_STEP_MS, sessionIsCurrent } from "../server/auth/session";
import { exportDefinition } from "../server/exports/registry";
import { csvStream } from "../server/exports/csv";
import { freshPglite } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";
import { MemberDetailView } from "../app/merchant/members/[id]/MemberDetailView";

const config = parseConfig({});
let database: Database;
let db: Db;
let ids: Record<string, number>;
let staff: Record<"owner" | "operator" | "support" | "finance", Awaited<ReturnType<typeof signedInStaff>>>;

beforeAll(async () => {
  database = await freshPglite();
  db = database.prisma;
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(db, { config }, fn);
  const reg = (username: string, sponsorId: number | null, extra: { nickname?: string; phone?: string } = {}) =>
    run((c) =>
      registerMember(c, {
        username,
        sponsorId,
        nickname: extra.nickname ?? null,
        ip: `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
        device: username,
        phone: extra.phone ? phoneFields(extra.phone) : null,
      }),
    ).then((m) => m.id);
  const root = await reg("root", null, { nickname: "老王" });
  const a = await reg("alice", root, { nickname: "爱丽丝", phone: "13812345678" });
  const a1 = await reg("a1", a);
  const a2 = await reg("a2", a);
  const a11 = await reg("a11", a1);
  const other = await reg("other", null, { nickname: "路人" });
  ids = { root, a, a1, a2, a11, other };
  // Commissions of Alice in every status: settled counts as earned, pending + confirmed as pending.
  const order = await db.order.create({ data: { orderNo: "T-1", memberId: a1, goodsFen: 10_000, payableFen: 10_000, createdAt: new Date(), status: "PAID" } });
  const order2 = await db.order.create({ data: { orderNo: "T-2", memberId: a11, goodsFen: 10_000, payableFen: 10_000, createdAt: new Date(), status: "PAID" } });
  const order3 = await db.order.create({ data: { orderNo: "T-3", memberId: a2, goodsFen: 10_000, payableFen: 10_000, createdAt: new Date(), status: "PAID" } });
  const order4 = await db.order.create({ data: { orderNo: "T-4", memberId: a2, goodsFen: 10_000, payableFen: 10_000, createdAt: new Date(), status: "PAID" } });
  await db.commission.createMany({
    data: [
      { orderId: order.id, beneficiaryId: a, level: 1, amountFen: 1234, status: "SETTLED", createdAt: new Date() },
      { orderId: order2.id, beneficiaryId: a, level: 2, amountFen: 500, status: "PENDING", createdAt: new Date() },
      { orderId: order3.id, beneficiaryId: a, level: 1, amountFen: 300, status: "CONFIRMED", createdAt: new Date() },
      { orderId: order4.id, beneficiaryId: a, level: 1, amountFen: 999, status: "VOID", createdAt: new Date() },
    ],
  });
  await run((c) => fromMerchant(c, "fund-alice", "test", "merchant:commission", a, "available", 50_000));
  await run((c) => verifyIdentity(c, a, { realName: "王店长", idNumber: "11010519491231002X" }));
  staff = {
    owner: await signedInStaff(db, "owner"),
    operator: await signedInStaff(db, "operator"),
    support: await signedInStaff(db, "support"),
    finance: await signedInStaff(db, "finance"),
  };
});
afterAll(() => database.close());

const names = (r: { rows: { username: string }[] }) => r.rows.map((m) => m.username).sort();

describe("member list", () => {
  it("searches by nickname, referral code and full phone number (its last four digits too: tests/integration/member-phone-tail-search.test.ts), never by another part of a phone", async () => {
    const api = staff.support.caller.merchantMember;
    expect(names(await api.list({ q: "爱丽" }))).toEqual(["alice"]);
    const code = (await db.member.findUniqueOrThrow({ where: { id: ids.a1 } })).referralCode;
    expect(names(await api.list({ q: code.toLowerCase() }))).toEqual(["a1"]);
    expect(names(await api.list({ q: "138 1234 5678" }))).toEqual(["alice"]);
    expect(names(await api.list({ q: "1381234" }))).toEqual([]);
  });

  it("shows sponsor, directs, team size, commission earned / pending / withdrawn and the orders it came from", async () => {
    const r = await staff.operator.caller.merchantMember.list({ q: "alice" });
    expect([r.total, r.more]).toEqual([1, false]);
    expect(r.rows[0]).toMatchObject({
      phoneMasked: "138****5678",
      sponsor: { id: ids.root, name: "老王" },
      directs: 2,
      teamSize: 3,
      earnedFen: 1234,
      pendingFen: 800,
      withdrawnFen: 0,
      // T-1, T-2, T-3 (T-4 was refunded: its commission is VOID), 100 元 each.
      promotionOrders: 3,
      promotionFen: 30_000,
      lastActiveAt: null,
      distributor: true,
      frozen: false,
    });
    expect(JSON.stringify(r)).not.toContain("13812345678");
  });

  it("filters by tier, frozen and distributor, and pages with a total", async () => {
    const api = staff.owner.caller.merchantMember;
    expect((await api.list({ tier: "member" })).total).toBe(6);
    expect((await api.list({ tier: "partner" })).total).toBe(0);
    expect((await api.list({ frozen: "yes" })).total).toBe(0);
    // Default mode `everyone`: every member is a distributor.
    expect((await api.list({ distributor: "yes" })).total).toBe(6);
    expect((await api.list({ distributor: "no" })).total).toBe(0);
    const p1 = await api.list({ pageSize: 20, page: 1, sort: { id: "teamSize", desc: true } });
    expect(p1.rows[0]!.username).toBe("root");
    expect((await api.list({ page: 2 })).rows).toEqual([]);
  });

  it("is refused to finance and risk, and to shoppers", async () => {
    expect((await refusal(staff.finance.caller.merchantMember.list({}))).code).toBe("FORBIDDEN");
  });
});

describe("member detail", () => {
  it("has the wallet, commissions, the upline chain nearest first and the downline counts per level", async () => {
    const d = await staff.support.caller.merchantMember.detail({ id: ids.a11 });
    expect(d.upline.map((u) => [u.depth, u.id])).toEqual([
      [1, ids.a1],
      [2, ids.a],
      [3, ids.root],
    ]);
    const alice = await staff.support.caller.merchantMember.detail({ id: ids.a });
    expect(alice.levels).toEqual([
      { depth: 1, count: 2 },
      { depth: 2, count: 1 },
    ]);
    // Matrix seat (SPEC §3): 老王 took the first seat under the platform, Alice the first under 老王;
    // her sign-ups a1 and a2 fill two of her three seats, a1's a11 is her second level's only seat.
    expect(alice.matrix).toEqual({
      level: 2,
      position: 0,
      parent: { id: ids.root, name: "老王" },
      width: 3,
      children: [
        { position: 0, member: { id: ids.a1, name: "a1" } },
        { position: 1, member: { id: ids.a2, name: "a2" } },
      ],
      levels: [
        { level: 1, filled: 2, capacity: 3, vacancies: 1 },
        { level: 2, filled: 1, capacity: 9, vacancies: 8 },
      ],
    });
    // Without a sponsor, 路人 spilled to the platform's second seat.
    expect((await staff.support.caller.merchantMember.detail({ id: ids.other })).matrix).toMatchObject({ level: 1, position: 1, parent: null, children: [] });
    expect(alice.wallet.available).toBe(50_000);
    expect(alice.ledger[0]).toMatchObject({ bucket: "available", amountFen: 50_000 });
    expect(alice.commissions.map((c) => c.status).sort()).toEqual(["CONFIRMED", "PENDING", "SETTLED", "VOID"]);
    expect((await refusal(staff.support.caller.merchantMember.detail({ id: 999_999 }))).code).toBe("NOT_FOUND");
  });

  it("expands one downline level per request, paged", async () => {
    const l1 = await staff.support.caller.merchantMember.downline({ id: ids.a, depth: 1 });
    expect(l1.rows.map((m) => m.id).sort()).toEqual([ids.a1, ids.a2].sort());
    expect(l1.nextAfterId).toBeNull();
    const l2 = await staff.support.caller.merchantMember.downline({ id: ids.a, depth: 2 });
    expect(l2.rows.map((m) => m.id)).toEqual([ids.a11]);
    // Page size 1: the first page points at the next one, which ends the level.
    const first = await downlineLevel(db, ids.a, 1, null, 1);
    expect(first.rows).toHaveLength(1);
    const second = await downlineLevel(db, ids.a, 1, first.nextAfterId, 1);
    expect(second.rows).toHaveLength(1);
    expect(second.nextAfterId).toBeNull();
    expect(second.rows[0]!.id).not.toBe(first.rows[0]!.id);
  });
});

describe("freeze / unfreeze", () => {
  it("support is refused; the operator freezes with a reason (audited), then the member cannot withdraw", async () => {
    expect((await refusal(staff.support.caller.merchantMember.setFrozen({ id: ids.a, frozen: true, reason: "可疑刷单" }))).code).toBe("FORBIDDEN");
    expect((await db.member.findUniqueOrThrow({ where: { id: ids.a } })).frozen).toBe(false);
    expect((await refusal(staff.operator.caller.merchantMember.setFrozen({ id: ids.a, frozen: true, reason: " " }))).code).toBe("BAD_REQUEST");

    await staff.operator.caller.merchantMember.setFrozen({ id: ids.a, frozen: true, reason: "可疑刷单" });
    const m = await db.member.findUniqueOrThrow({ where: { id: ids.a } });
    expect(m.frozen).toBe(true);
    expect(m.frozenAt).not.toBeNull();
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "member.frozen", target: `member:${ids.a}` } });
    expect(entry).toMatchObject({ actorType: "staff", actorId: staff.operator.id, data: { reason: "可疑刷单" }, before: { frozen: false } });
    // Freezing again is refused and writes nothing.
    expect((await refusal(staff.operator.caller.merchantMember.setFrozen({ id: ids.a, frozen: true, reason: "再次" }))).code).toBe("BAD_REQUEST");
    expect(await db.auditLog.count({ where: { action: "member.frozen", target: `member:${ids.a}` } })).toBe(1);
    // The engine honours it.
    await expect(inTx(db, { config }, (c) => requestWithdrawal(c, ids.a!, 10_000))).rejects.toBeInstanceOf(DomainError);
    expect((await staff.support.caller.merchantMember.list({ frozen: "yes" })).rows.map((r) => r.id)).toEqual([ids.a]);

    await staff.owner.caller.merchantMember.setFrozen({ id: ids.a, frozen: false, reason: "核实无误" });
    expect((await db.member.findUniqueOrThrow({ where: { id: ids.a } })).frozen).toBe(false);
    expect(await db.auditLog.count({ where: { action: "member.unfrozen", target: `member:${ids.a}` } })).toBe(1);
    const w = await inTx(db, { config }, (c) => requestWithdrawal(c, ids.a!, 10_000));
    expect(w.status).toBeDefined();
  });
});

describe("last active", () => {
  it("a session in use records the member's activity once per step; the list sorts by it, the never-seen last", async () => {
    const t = new Date("2026-06-01T02:00:00Z");
    expect(await sessionIsCurrent(db, ids.a1, 0, t)).toBe(true);
    const lastActive = async () => (await db.member.findUniqueOrThrow({ where: { id: ids.a1 } })).lastActiveAt?.toISOString();
    expect(await lastActive()).toBe(t.toISOString());
    await sessionIsCurrent(db, ids.a1, 0, new Date(t.getTime() + ACTIVITY_STEP_MS - 1));
    expect(await lastActive()).toBe(t.toISOString());
    const later = new Date(t.getTime() + ACTIVITY_STEP_MS);
    await sessionIsCurrent(db, ids.a1, 0, later);
    expect(await lastActive()).toBe(later.toISOString());
    // A stale session version is refused and records nothing.
    expect(await sessionIsCurrent(db, ids.a2, 7, later)).toBe(false);
    const api = staff.support.caller.merchantMember;
    for (const desc of [true, false]) {
      const rows = (await api.list({ sort: { id: "lastActiveAt", desc } })).rows;
      expect(rows[0]!.username).toBe("a1");
      expect(rows.slice(1).every((r) => r.lastActiveAt === null)).toBe(true);
    }
  });
});

describe("CSV export", () => {
  it("starts with a BOM, has the list's columns and money in 元 with two decimals", async () => {
    const def = exportDefinition("members")!;
    const csv = (search: string) => csvStream(def.columns("Asia/Shanghai"), def.rows(db, def.fromSearch(new URLSearchParams(search)), "Asia/Shanghai"));
    const bytes = new Uint8Array(await new Response(csv("q=alice&page=2")).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const lines = text.slice(1).trim().split("\n");
    expect(lines[0]).toContain("昵称");
    expect(lines[0]).toContain("已结算佣金(元)");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("爱丽丝");
    expect(lines[1]).toContain("138****5678");
    expect(lines[1]).toContain(",12.34,8.00,0.00,3,300.00,");
    expect(text).not.toContain("13812345678");
    const all = await new Response(csv("")).text();
    expect(all.trim().split("\n")).toHaveLength(7);
    expect(await def.count(db, {}, "Asia/Shanghai")).toBe(6);
    expect(def.fromSearch(new URLSearchParams("frozen=maybe"))).toBeNull();
  });
});

describe("distributor status", () => {
  it("the operator suspends it with a reason (audited): the member forfeits commissions until re-enabled", async () => {
    const api = staff.operator.caller.merchantMember;
    expect((await refusal(staff.support.caller.merchantMember.setDistributor({ id: ids.a1, enabled: false, reason: "违规推广" }))).code).toBe("FORBIDDEN");
    await api.setDistributor({ id: ids.a1, enabled: false, reason: "违规推广" });
    expect((await refusal(api.setDistributor({ id: ids.a1, enabled: false, reason: "再次" }))).code).toBe("BAD_REQUEST");
    expect(await db.auditLog.count({ where: { action: "member.distributor_disabled", target: `member:${ids.a1}` } })).toBe(1);
    expect((await api.list({ distributor: "no" })).rows.map((r) => r.id)).toEqual([ids.a1]);
    expect((await api.detail({ id: ids.a1 })).distributor).toBe(false);

    // a11 buys: a1 (L1) forfeits as not a distributor, a (L2) earns.
    const order = await db.order.create({ data: { orderNo: "T-D1", memberId: ids.a11!, goodsFen: 10_000, payableFen: 10_000, createdAt: new Date(), status: "PAID" } });
    await inTx(db, { config }, (c) => createCommissionsForPaidOrder(c, { id: order.id, memberId: ids.a11!, lines: [{ goodsFen: 10_000, category: "tea" }] }));
    const rows = await db.commission.findMany({ where: { orderId: order.id }, orderBy: { level: "asc" } });
    expect(rows.map((r) => [r.beneficiaryId, r.status])).toEqual([[ids.a1, "FORFEITED"], [ids.a, "PENDING"], [ids.root, "PENDING"]]);

    await api.setDistributor({ id: ids.a1, enabled: true, reason: "申诉通过" });
    expect((await api.detail({ id: ids.a1 })).distributor).toBe(true);
    expect((await api.list({ distributor: "no" })).total).toBe(0);
    expect(await db.auditLog.count({ where: { action: "member.distributor_enabled", target: `member:${ids.a1}` } })).toBe(1);
  });
});

describe("reveal", () => {
  it("owner only, one field at a time, with a reason; the audit entry names the field and reason, never the value", async () => {
    await db.address.create({ data: { memberId: ids.a!, name: "爱丽丝", phone: "13912340000", region: "浙江省 杭州市", detail: "文三路 99 号", isDefault: true } });
    const d = await staff.operator.caller.merchantMember.detail({ id: ids.a });
    expect(d.revealable).toEqual({ phone: true, realName: true, address: true });
    expect(d.addressMasked).toBe("浙江省 杭州市 ****");
    expect(JSON.stringify(d)).not.toContain("文三路");
    for (const who of [staff.operator, staff.support, staff.finance]) {
      expect((await refusal(who.caller.merchantMember.reveal({ id: ids.a, field: "phone", reason: "核对" }))).code).toBe("FORBIDDEN");
    }
    expect((await refusal(staff.owner.caller.merchantMember.reveal({ id: ids.a, field: "phone", reason: " " }))).code).toBe("BAD_REQUEST");
    expect(await staff.owner.caller.merchantMember.reveal({ id: ids.a, field: "phone", reason: "客户来电核对" })).toEqual({ field: "phone", value: "13812345678" });
    expect(await staff.owner.caller.merchantMember.reveal({ id: ids.a, field: "realName", reason: "提现核对" })).toEqual({ field: "realName", value: "王店长" });
    expect((await staff.owner.caller.merchantMember.reveal({ id: ids.a, field: "address", reason: "补发快递" })).value).toBe("爱丽丝 13912340000 浙江省 杭州市 文三路 99 号");
    expect((await refusal(staff.owner.caller.merchantMember.reveal({ id: ids.a1, field: "realName", reason: "核对" }))).code).toBe("BAD_REQUEST");
    const entries = await db.auditLog.findMany({ where: { action: "member.revealed", target: `member:${ids.a}` }, orderBy: { id: "asc" } });
    expect(entries.map((e) => e.data)).toEqual([
      { field: "phone", reason: "客户来电核对" },
      { field: "realName", reason: "提现核对" },
      { field: "address", reason: "补发快递" },
    ]);
    expect(entries.every((e) => e.actorType === "staff" && e.actorId === staff.owner.id)).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/13812345678|王店长|文三路/);
  });
});

describe("change sponsor through the back office", () => {
  it("the operator previews and requests, the owner approves, the move runs, the history and the tree show it", async () => {
    const op = staff.operator.caller.merchantMember;
    const code = (await db.member.findUniqueOrThrow({ where: { id: ids.other } })).referralCode;
    const preview = await op.sponsorPreview({ id: ids.a1, to: code.toLowerCase() });
    expect(preview).toMatchObject({ from: { id: ids.a }, to: { id: ids.other }, movedCount: 2, closure: { removed: 4, added: 2 } });
    expect((await refusal(op.sponsorPreview({ id: ids.a, to: `#${ids.a11}` }))).message).toContain("循环");
    expect((await refusal(staff.support.caller.merchantMember.requestSponsorChange({ id: ids.a1, to: code, reason: "客户申请" }))).code).toBe("FORBIDDEN");
    const { id } = await op.requestSponsorChange({ id: ids.a1, to: code, reason: "客户申请" });
    expect((await refusal(op.decideSponsorChange({ requestId: id, approve: true }))).code).toBe("FORBIDDEN");
    const open = await staff.support.caller.merchantMember.sponsorChanges({});
    expect(open.map((r) => [r.id, r.status, r.requestedBy.id])).toEqual([[id, "PENDING", staff.operator.id]]);
    await staff.owner.caller.merchantMember.decideSponsorChange({ requestId: id, approve: true, note: "同意" });
    await runSponsorChanges(db, { now: new Date(), config });
    const [done] = await staff.support.caller.merchantMember.sponsorChanges({ memberId: ids.a1 });
    expect(done).toMatchObject({ status: "DONE", progress: { moved: 2, total: 2 }, decidedBy: { id: staff.owner.id } });
    const history = await staff.support.caller.merchantMember.bindHistory({ id: ids.a1 });
    expect(history).toMatchObject([{ from: { id: ids.a }, to: { id: ids.other }, reason: "客户申请", movedCount: 2 }]);
    expect((await staff.support.caller.merchantMember.detail({ id: ids.a11 })).upline.map((u) => u.id)).toEqual([ids.a1, ids.other]);
    expect((await staff.support.caller.merchantMember.children({ id: ids.other })).rows.map((m) => m.id)).toEqual([ids.a1]);
    expect((await staff.support.caller.merchantMember.children({ id: ids.a })).rows.map((m) => m.id)).toEqual([ids.a2]);
  });
});

describe("member detail: a member under review, tasks that ended unpaid, a refused sign-up binding", () => {
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(db, { config }, fn);
  let ipSeq = 0;
  const join = (username: string, nickname: string | null, how: { sponsorId?: number; sponsorCode?: string; self?: boolean; device?: string } = {}) =>
    run((c) =>
      registerMember(c, {
        username,
        nickname,
        sponsorId: how.sponsorId ?? null,
        sponsorCode: how.sponsorCode ?? null,
        sponsorIsSelf: how.self ?? false,
        // Distinct networks: no shared_ip flag, no burst.
        ip: `10.${100 + ++ipSeq}.0.1`,
        device: how.device ?? username,
      }),
    );
  const day = 24 * 3600_000;
  let seq = 0;
  const order = (memberId: number) =>
    db.order.create({ data: { orderNo: `H-${++seq}`, memberId, goodsFen: 39_900, payableFen: 39_900, createdAt: new Date(), status: "PAID" } });
  const task = async (memberId: number, status: "OPEN" | "VOID" | "EXPIRED" | "PAID", invitee?: { id: number }) => {
    const anchor = await order(memberId);
    const t = await db.rebateTask.create({
      data: { memberId, anchorOrderId: anchor.id, status, n: 3, percent: 100, payout: "cash", cashbackFen: 39_900, createdAt: new Date(), deadline: new Date(Date.now() + 30 * day) },
    });
    if (invitee) {
      const first = await order(invitee.id);
      await db.rebateAssignment.create({ data: { taskId: t.id, inviteeId: invitee.id, orderId: first.id, assignedAt: new Date() } });
    }
    return t.id;
  };
  /** The member page as the browser first shows it (its detail read seeded), unescaped; `section` one card's testid. */
  const page = async (id: number, locale: "zh-CN" | "en", canOpenRisk = false, section?: string) => {
    const detail = await staff.operator.caller.merchantMember.detail({ id });
    const { html } = renderInProviders(createElement(MemberDetailView, { id, canWrite: false, isOwner: false, canOpenRisk, staffId: staff.operator.id }), locale, (trpc, qc) =>
      qc.setQueryData(trpc.merchantMember.detail.queryKey({ id }), detail),
    );
    const text = html.replaceAll("&#x27;", "'");
    return section ? new RegExp(`data-testid="${section}">.*?</section>`).exec(text)![0] : text;
  };

  it("an open flag: the member's task, a task they count for and the commissions from their orders read ON_HOLD, and the member is marked under review", async () => {
    // R → S → H; H's first order was large and quick (large_first_order), an open flag on H.
    const r = await join("hold-r", "阿荣");
    const s = await join("hold-s", "阿松", { sponsorId: r.id });
    const h = await join("hold-h", "阿河", { sponsorId: s.id });
    const hTask = await task(h.id, "OPEN");
    const sTask = await task(s.id, "OPEN", h);
    const sPaid = await task(s.id, "PAID");
    const hOrder = await order(h.id);
    await db.commission.createMany({
      data: [
        { orderId: hOrder.id, beneficiaryId: s.id, level: 1, amountFen: 3_990, status: "PENDING", createdAt: new Date() },
        { orderId: hOrder.id, beneficiaryId: r.id, level: 2, amountFen: 1_995, status: "CONFIRMED", createdAt: new Date() },
      ],
    });
    // Settled before the flag: final, it stays SETTLED (SPEC §8).
    const settled = await order(h.id);
    await db.commission.create({ data: { orderId: settled.id, beneficiaryId: s.id, level: 1, amountFen: 700, status: "SETTLED", createdAt: new Date() } });
    await run((c) => recordRiskEvent(c, "large_first_order", [h.id], [h.id], { orderNo: hOrder.orderNo }));

    const api = staff.operator.caller.merchantMember;
    const dh = await api.detail({ id: h.id });
    expect(dh.riskHold).toBe(true);
    // H is the anchor buyer: 审核中, not 进行中.
    expect(dh.rebateTasks.map((t) => [t.id, t.status])).toEqual([[hTask, "ON_HOLD"]]);
    // The page marks H under review; a role that reviews risk (the owner) opens the case from the badge, others read it.
    const zh = await page(h.id, "zh-CN", true);
    expect(zh).toMatch(new RegExp(`data-testid="member-risk-hold"><a [^>]*href="/merchant/risk/${h.id}"><span[^>]*>风控审核中</span>`));
    expect(new RegExp(`data-testid="member-tasks">.*?</section>`).exec(zh)![0]).toContain(">审核中<");
    const en = await page(h.id, "en");
    expect(en).toMatch(/data-testid="member-risk-hold"><span[^>]*>Under risk review<\/span>/);
    expect(en).not.toContain("/merchant/risk/");

    const ds = await api.detail({ id: s.id });
    // S is not under review themself; their task that counts H is held, the paid one stays paid.
    expect(ds.riskHold).toBe(false);
    expect(Object.fromEntries(ds.rebateTasks.map((t) => [t.id, t.status]))).toEqual({ [sTask]: "ON_HOLD", [sPaid]: "PAID" });
    expect(ds.commissions.map((c) => [c.amountFen, c.status]).sort()).toEqual([
      [3_990, "ON_HOLD"],
      [700, "SETTLED"],
    ]);
    // Level 2 too: staff see every commission from the held buyer's orders held.
    expect((await api.detail({ id: r.id })).commissions.map((c) => c.status)).toEqual(["ON_HOLD"]);
    const sTasks = await page(s.id, "zh-CN", false, "member-tasks");
    expect(sTasks).toContain(">审核中<");
    expect(sTasks).not.toContain("进行中");
    expect(await page(s.id, "zh-CN")).not.toContain("member-risk-hold");

    // The review approves: the flag closes and everything reads as stored again.
    await db.riskFlag.updateMany({ where: { memberId: h.id }, data: { status: "APPROVED", decidedAt: new Date() } });
    const after = await api.detail({ id: s.id });
    expect(after.rebateTasks.find((t) => t.id === sTask)!.status).toBe("OPEN");
    expect(after.commissions.map((c) => c.status).sort()).toEqual(["PENDING", "SETTLED"]);
    expect((await api.detail({ id: h.id })).riskHold).toBe(false);
  });

  it("a task that ended unpaid (VOID, EXPIRED) shows no cashback; a live or paid one shows it", async () => {
    const m = await join("ended-m", null);
    const voided = await task(m.id, "VOID");
    const expired = await task(m.id, "EXPIRED");
    const open = await task(m.id, "OPEN");
    const paid = await task(m.id, "PAID");
    const d = await staff.support.caller.merchantMember.detail({ id: m.id });
    expect(Object.fromEntries(d.rebateTasks.map((t) => [t.id, [t.status, t.cashbackFen]]))).toEqual({
      [voided]: ["VOID", null],
      [expired]: ["EXPIRED", null],
      [open]: ["OPEN", 39_900],
      [paid]: ["PAID", 39_900],
    });
    // On the page: "—" for the two ended tasks, ¥399.00 for the open and the paid one.
    const card = await page(m.id, "zh-CN", false, "member-tasks");
    expect(card.match(/—/g)).toHaveLength(2);
    expect(card.match(/¥399\.00/g)).toHaveLength(2);
  });

  it("a refused sign-up binding says why and whose link it was; the inviter's own detail does not", async () => {
    const inviter = await join("bind-d", "迪迪", { device: "phone-1" });
    // Same device as the inviter: refused (SPEC §2), bound to nobody.
    const same = await join("bind-e", null, { sponsorId: inviter.id, device: "phone-1" });
    const api = staff.support.caller.merchantMember;
    const de = await api.detail({ id: same.id });
    expect(de.sponsor).toBeNull();
    expect(de.signupRefusal).toMatchObject({ rule: "shared_device", inviter: { id: inviter.id, name: "迪迪" } });
    expect(await page(same.id, "zh-CN", false, "member-sponsor-changes")).toContain(`注册绑定：无（邀请人 迪迪 #${inviter.id} 的链接，因与邀请人同一设备被拒绝）`);
    expect(await page(same.id, "en", false, "member-sponsor-changes")).toContain(`Sign-up binding: none (signed up through 迪迪 #${inviter.id}'s link; refused: same device as the inviter)`);
    expect(await page(inviter.id, "zh-CN", false, "member-sponsor-changes")).toContain("注册绑定：无（顶级）");
    // The inviter appears in that event too, but their own sign-up had no link.
    expect((await api.detail({ id: inviter.id })).signupRefusal).toBeNull();
    // Their own code (the scenario replay's self_referral): refused, the "inviter" is the member.
    const self = await join("bind-self", "自荐", { self: true });
    expect((await api.detail({ id: self.id })).signupRefusal).toMatchObject({ rule: "self_referral", inviter: { id: self.id, name: "自荐" } });
    // A frozen inviter's link binds nobody: no risk event, the member row says so.
    const frozen = await join("bind-f", "冻冻");
    await db.member.update({ where: { id: frozen.id }, data: { frozen: true, frozenAt: new Date() } });
    const late = await join("bind-g", null, { sponsorCode: frozen.referralCode });
    expect((await api.detail({ id: late.id })).signupRefusal).toEqual({ rule: "sponsor_inactive", inviter: null, at: null });
    // A sign-up that bound: nothing refused.
    const bound = await join("bind-h", null, { sponsorId: inviter.id, device: "phone-2" });
    expect((await api.detail({ id: bound.id })).signupRefusal).toBeNull();
  });
});
