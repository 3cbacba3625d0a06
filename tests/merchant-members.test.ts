// Back office members (issue 9, /merchant/members) through the tRPC procedures with real staff
// sessions: search by nickname / referral code / phone (lookup hash), filters, commission sums,
// detail with upline and per-level downline, paging a level, freeze / unfreeze (audited, refused for
// support, and the engine then refuses the member's withdrawal), and the CSV export's content.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { lookupHash } from "../server/auth/crypto";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { requestWithdrawal } from "../server/wallet/withdrawals";
import { downlineLevel } from "../server/members/admin";
import { memberCsv } from "../server/members/csv";
import { freshPglite } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";

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
        phone: extra.phone ? { hash: lookupHash(extra.phone), enc: "enc", masked: `${extra.phone.slice(0, 3)}****${extra.phone.slice(-4)}` } : null,
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
  it("searches by nickname, referral code and full phone number, and never by a partial phone", async () => {
    const api = staff.support.caller.merchantMember;
    expect(names(await api.list({ q: "爱丽" }))).toEqual(["alice"]);
    const code = (await db.member.findUniqueOrThrow({ where: { id: ids.a1 } })).referralCode;
    expect(names(await api.list({ q: code.toLowerCase() }))).toEqual(["a1"]);
    expect(names(await api.list({ q: "138 1234 5678" }))).toEqual(["alice"]);
    expect(names(await api.list({ q: "1381234" }))).toEqual([]);
  });

  it("shows sponsor, directs, team size and commission earned / pending / withdrawn", async () => {
    const r = await staff.operator.caller.merchantMember.list({ q: "alice" });
    expect(r.total).toBe(1);
    expect(r.rows[0]).toMatchObject({
      phoneMasked: "138****5678",
      sponsor: { id: ids.root, name: "老王" },
      directs: 2,
      teamSize: 3,
      earnedFen: 1234,
      pendingFen: 800,
      withdrawnFen: 0,
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

describe("CSV export", () => {
  it("starts with a BOM, has the list's columns and money in 元 with two decimals", async () => {
    const bytes = new Uint8Array(await new Response(memberCsv(db, config, { q: "alice" })).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const lines = text.slice(1).trim().split("\n");
    expect(lines[0]).toContain("昵称");
    expect(lines[0]).toContain("已结算佣金(元)");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("爱丽丝");
    expect(lines[1]).toContain("138****5678");
    expect(lines[1]).toContain(",12.34,8.00,");
    expect(text).not.toContain("13812345678");
    const all = await new Response(memberCsv(db, config, {})).text();
    expect(all.trim().split("\n")).toHaveLength(7);
  });
});
