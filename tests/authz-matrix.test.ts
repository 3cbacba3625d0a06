// Authorization matrix (issue 8): every tRPC procedure, enumerated from the router itself, × every
// kind of caller, with the expected outcome. A procedure added to the router without a row here
// fails the first test; a row whose outcome is wrong fails its own test.
//
// To extend: add an actor to ACTORS (and a column to the presets), or a row to MATRIX. "ok" means the
// call got past authorization: it succeeded, or the domain refused it on its merits (BAD_REQUEST /
// TOO_MANY_REQUESTS with a domain message). A validation error or an internal error is never "ok":
// the row's input must be valid, so the test really exercises the procedure.
// The route handlers (every app/**/route.ts) have their own matrix: tests/security-routes.test.ts.
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { appRouter } from "../server/api/root";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { requestWithdrawal } from "../server/wallet/withdrawals";
import { setFrozen } from "../server/members/status-history";
import { requestAdjustment } from "../server/wallet/adjustments";
import { newAdjustmentRequestKey } from "../server/wallet/schemas";
import { handlePaymentNotification } from "../server/payments";
import { SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, signSandbox } from "../server/payments/sandbox";
import { freshPglite } from "./helpers/db";
import { createSimpleProduct } from "../server/catalog/admin";
import { callerFor, domainRefusal, signedInStaff } from "./helpers/caller";
import { nextTestIdNumber } from "./helpers/id-numbers";
import { STAFF_ROLES, type StaffRole } from "../server/staff/roles";

// ---------------------------------------------------------------------------------------------
// Who calls. Shoppers carry a next-auth session; each staff role a real staff session (password +
// TOTP sign-in, server/staff) and no shopper session: the two never grant each other anything.
// ---------------------------------------------------------------------------------------------
type Caller = ReturnType<typeof callerFor>;
const ACTORS = {
  anonymous: (f: Fixtures) => callerFor(f.db, null),
  shopperA: (f: Fixtures) => callerFor(f.db, f.a),
  /** Another shopper, calling with A's resources (A's order id, address id, notification ids…). */
  shopperB: (f: Fixtures) => callerFor(f.db, f.b),
  /**
   * A frozen member (SPEC §8): signed in and keeping the session (server/auth/session.ts ends only a deleted account's),
   * so every shopper procedure is open to them on their own data, as to B; the domain refuses what a freeze forbids
   * (the withdrawal: FROZEN, the last test below).
   */
  shopperFrozen: (f: Fixtures) => callerFor(f.db, f.frozen),
  owner: (f: Fixtures) => f.staff.owner,
  operator: (f: Fixtures) => f.staff.operator,
  finance: (f: Fixtures) => f.staff.finance,
  risk: (f: Fixtures) => f.staff.risk,
  support: (f: Fixtures) => f.staff.support,
  /** A finance account signed in with its password but not yet enrolled in TOTP: only its own account is open to it. */
  staffNotReady: (f: Fixtures) => f.staffNotReady,
} satisfies Record<string, (f: Fixtures) => Caller>;
type Actor = keyof typeof ACTORS;

type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";
const REFUSALS = new Set<string>(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"]);

const NO_STAFF = { owner: "UNAUTHORIZED", operator: "UNAUTHORIZED", finance: "UNAUTHORIZED", risk: "UNAUTHORIZED", support: "UNAUTHORIZED", staffNotReady: "UNAUTHORIZED" } as const;
const NO_SHOPPER = { anonymous: "UNAUTHORIZED", shopperA: "UNAUTHORIZED", shopperB: "UNAUTHORIZED", shopperFrozen: "UNAUTHORIZED" } as const;

// Presets: who may call a procedure of each kind.
const PUBLIC: Record<Actor, Outcome> = { anonymous: "ok", shopperA: "ok", shopperB: "ok", shopperFrozen: "ok", owner: "ok", operator: "ok", finance: "ok", risk: "ok", support: "ok", staffNotReady: "ok" };
/** Any signed-in shopper, acting on their own data only (a staff session is not a shopper session). */
const SIGNED_IN: Record<Actor, Outcome> = { anonymous: "UNAUTHORIZED", shopperA: "ok", shopperB: "ok", shopperFrozen: "ok", ...NO_STAFF };
/** Acts on one of A's resources: every other shopper gets NOT_FOUND (not FORBIDDEN: existence is not revealed). */
const A_ONLY: Record<Actor, Outcome> = { anonymous: "UNAUTHORIZED", shopperA: "ok", shopperB: "NOT_FOUND", shopperFrozen: "NOT_FOUND", ...NO_STAFF };
/** Back office for the owner and `roles`; other staff roles FORBIDDEN; shopper sessions count for nothing. */
function STAFF(...roles: StaffRole[]): Record<Actor, Outcome> {
  const staff = Object.fromEntries(STAFF_ROLES.map((r) => [r, r === "owner" || roles.includes(r) ? "ok" : "FORBIDDEN"])) as Record<StaffRole, Outcome>;
  return { ...NO_SHOPPER, ...staff, staffNotReady: "FORBIDDEN" };
}
/** Any signed-in member of staff who has finished set-up. */
const ANY_STAFF = STAFF(...STAFF_ROLES);
/** One's own account: open to every signed-in member of staff, set-up unfinished included. */
const OWN_ACCOUNT: Record<Actor, Outcome> = { ...ANY_STAFF, staffNotReady: "ok" };

interface Row {
  expect: Record<Actor, Outcome>;
  /** The input (built from the fixtures: A's resources). Omit for procedures without input. */
  input?: (f: Fixtures) => unknown;
  /** The result belongs to the caller alone: nobody but A may see A's marker strings in it. */
  private?: boolean;
  /** More checks on a successful result. */
  check?: (result: unknown, actor: Actor, f: Fixtures) => void;
}

// ---------------------------------------------------------------------------------------------
// The matrix: one row per procedure path.
// ---------------------------------------------------------------------------------------------
const MATRIX: Record<string, Row> = {
  // With consent to the documents in force (version 1 of each: sorted, this runs before merchantLegal.save).
  "auth.sendCode": { expect: PUBLIC, input: () => ({ phone: "13800000000", consent: { terms: 1, privacy: 1 } }) },

  "legal.versions": { expect: PUBLIC, check: (r) => expect(r).toEqual({ terms: 1, privacy: 1 }) },
  "legal.document": { expect: PUBLIC, input: () => ({ kind: "privacy", locale: "zh-CN" }), check: (r) => expect(r).toMatchObject({ kind: "privacy", version: 1 }) },

  "catalog.home": { expect: PUBLIC },
  "catalog.categories": { expect: PUBLIC },
  "catalog.products": { expect: PUBLIC, input: () => ({ category: "tea" }) },
  "catalog.category": { expect: PUBLIC, input: () => ({ slug: "tea" }) },
  "catalog.product": { expect: PUBLIC, input: (f) => ({ id: f.teaId }) },
  "catalog.search": { expect: PUBLIC, input: () => ({ q: "龙井", sort: "sales" }) },

  "cart.list": { expect: SIGNED_IN, private: true },
  "cart.count": { expect: SIGNED_IN, private: true },
  "cart.add": { expect: SIGNED_IN, input: (f) => ({ skuId: f.teaSkuId, qty: 1 }) },
  "cart.setQty": { expect: SIGNED_IN, input: (f) => ({ skuId: f.teaSkuId, qty: 1 }) },
  /** Scoped to the caller's own cart lines (member id in every query). */
  "cart.select": { expect: SIGNED_IN, input: (f) => ({ skuIds: [f.teaSkuId], selected: false }) },
  "cart.remove": { expect: SIGNED_IN, input: (f) => ({ skuIds: [f.teaSkuId] }) },

  "member.me": { expect: SIGNED_IN, private: true },
  /** Ends the caller's own sessions only (a session version on the caller's member row). */
  "member.signOutEverywhere": { expect: SIGNED_IN },
  /** Changes the caller's own display name only (the session's member id). */
  "member.updateProfile": { expect: SIGNED_IN, input: () => ({ displayName: "快乐熊猫" }) },
  /** Sets the caller's own avatar, only from the caller's own uploads. */
  "member.updateAvatar": { expect: SIGNED_IN, input: () => ({ url: null }) },

  /** 注销账号: the caller's own account only (the session's member id); staff sessions are no shopper's. */
  "account.deletion": { expect: SIGNED_IN, private: true },
  /** The code goes to the caller's own phone (A and B have none here: refused on the merits). */
  "account.sendDeletionCode": { expect: SIGNED_IN },
  /** Refused on the merits for A (unfinished orders) and B (no phone): no caller's account is deleted here. */
  "account.delete": { expect: SIGNED_IN, input: () => ({ code: "000000", acceptForfeit: false, shown: { commissionFen: 0, cashbackFen: 0, creditFen: 0 } }) },

  "promotion.overview": { expect: SIGNED_IN, private: true },
  "promotion.tasks": { expect: SIGNED_IN, private: true },
  "promotion.team": { expect: SIGNED_IN, private: true },
  "promotion.funnel": { expect: SIGNED_IN, private: true },
  "promotion.commissions": { expect: SIGNED_IN, private: true },
  // A's direct invitee ("flagged") is A's alone to see: B gets its own (empty) list.
  "promotion.invitees": { expect: SIGNED_IN, private: true, check: (r, actor) => expect((r as { items: unknown[] }).items).toHaveLength(actor === "shopperA" ? 1 : 0) },
  "promotion.distribution": { expect: SIGNED_IN, private: true },
  /** A shared monthly ranking (masked names); the caller's own row is computed for the caller. */
  "promotion.leaderboard": { expect: SIGNED_IN },
  /** 在排行榜中显示我: the caller's own setting only (the session's member id); shown, the default, so the rows after see the same board. */
  "promotion.setLeaderboardVisibility": { expect: SIGNED_IN, input: () => ({ shown: true }) },

  "wallet.summary": { expect: SIGNED_IN, private: true },
  "wallet.verifyIdentity": { expect: SIGNED_IN, input: () => ({ realName: "李四", idNumber: "11010519491231002X" }) },
  "wallet.requestWithdrawal": { expect: SIGNED_IN, input: () => ({ amountFen: 10_000, requestKey: "0123456789abcdef0123456789abcdef" }) },
  // Both refused on their merits while the sandbox pays withdrawals (ALIPAY_NOT_USED): still past authorization.
  /** The code goes to the caller's own phone only (the session's member id). */
  "wallet.sendPayeeCode": { expect: SIGNED_IN },
  "wallet.bindAlipay": { expect: SIGNED_IN, input: () => ({ account: "13800138000", code: "123456" }) },
  "wallet.quote": { expect: SIGNED_IN, input: () => ({ amountFen: 10_000 }), check: (r) => expect(r).toEqual({ amountFen: 10_000, feeFen: 0, netFen: 10_000 }) },

  "notification.list": { expect: SIGNED_IN, private: true },
  "notification.unreadCount": {
    expect: SIGNED_IN,
    check: (r, actor) => (actor === "shopperA" ? expect(r).toBeGreaterThan(0) : expect(r).toBe(0)),
  },
  "notification.markRead": {
    expect: SIGNED_IN,
    input: (f) => ({ ids: f.aNotificationIds }),
    // Someone else's ids are silently ignored, never marked.
    check: (r, actor) => (actor === "shopperA" ? expect(r).toMatchObject({ marked: expect.any(Number) }) : expect(r).toEqual({ marked: 0 })),
  },

  "order.preview": { expect: SIGNED_IN, input: () => ({ source: { kind: "buyNow", sku: "tea", qty: 1 } }) },
  "order.place": { expect: A_ONLY, input: (f) => ({ source: { kind: "buyNow", sku: "tea", qty: 1 }, addressId: f.aAddressId }) },
  "order.pay": { expect: A_ONLY, input: (f) => ({ id: f.aPendingOrderIds[0] }) },
  "order.list": { expect: SIGNED_IN, private: true, input: () => ({ tab: "all" }) },
  "order.byId": { expect: A_ONLY, input: (f) => ({ id: f.aPaidOrderIds[0] }) },
  "order.status": { expect: A_ONLY, input: (f) => ({ id: f.aPaidOrderIds[0] }) },
  "order.cancel": { expect: A_ONLY, input: (f) => ({ id: f.aPendingOrderIds[1] }) },
  "order.confirmDelivery": { expect: A_ONLY, input: (f) => ({ id: f.aPaidOrderIds[2] }) },
  "order.requestRefund": { expect: A_ONLY, input: (f) => ({ id: f.aPaidOrderIds[3], reason: "no_longer_needed" }) },
  "order.afterSales": { expect: A_ONLY, private: true, input: (f) => ({ id: f.aPaidOrderIds[6] }) },

  "address.list": { expect: SIGNED_IN, private: true },
  "address.add": { expect: SIGNED_IN, input: () => ({ name: "王五", phone: "13912345679", region: "上海市 浦东新区", detail: "世纪大道 1 号" }) },
  "address.update": { expect: A_ONLY, input: (f) => ({ id: f.aSpareAddressIds[0], ...A_ADDRESS, detail: "改后的地址 8 号" }) },
  "address.delete": { expect: A_ONLY, input: (f) => ({ id: f.aSpareAddressIds[1] }) },
  "address.setDefault": { expect: A_ONLY, input: (f) => ({ id: f.aSpareAddressIds[0] }) },

  "merchantOrder.refund": { expect: STAFF("operator"), input: (f) => ({ id: f.aPaidOrderIds[4] }) },
  "merchantOrder.search": {
    expect: STAFF("operator", "support"),
    input: () => ({ status: "PAID" }),
    // A's paid orders are listed, never with A's street or full phone (support may not see them; the list needs neither).
    check: (r) => {
      expect((r as { items: unknown[] }).items.length).toBeGreaterThan(0);
      expect(JSON.stringify(r)).not.toContain(A_MARK);
      expect(JSON.stringify(r)).not.toContain(A_ADDRESS.phone);
    },
  },
  // The home's 退款异常 count: no refund of the fixtures is stuck.
  "merchantOrder.stuckRefundCount": { expect: STAFF("operator", "support"), check: (r) => expect(r).toBe(0) },
  "merchantOrder.detail": {
    expect: STAFF("operator", "support"),
    input: (f) => ({ id: f.aPaidOrderIds[0] }),
    // Those who ship see the whole address; support sees it masked, and A's full phone nowhere.
    check: (r, actor) => {
      const mayShip = actor === "owner" || actor === "operator";
      expect((r as { address: string }).address.includes(A_MARK)).toBe(mayShip);
      expect(JSON.stringify(r).includes(A_ADDRESS.phone)).toBe(mayShip);
    },
  },
  "merchantOrder.shipWithTracking": { expect: STAFF("operator"), input: (f) => ({ id: f.aPaidOrderIds[5], carrier: "SF", trackingNo: "SF1000000001" }) },
  // A file whose only row names no order: past authorization, nothing shipped, the row error returned.
  "merchantOrder.bulkShip": { expect: STAFF("operator"), input: () => ({ csv: "订单号,物流公司,运单号\nFM-NOPE,SF,SF1000000002" }) },

  "merchantAfterSales.list": { expect: STAFF("operator", "support"), input: () => ({ status: "PENDING" }) },
  "merchantAfterSales.approve": { expect: STAFF("operator"), input: (f) => ({ id: f.aRefundRequestIds[0] }) },
  "merchantAfterSales.reject": { expect: STAFF("operator"), input: (f) => ({ id: f.aRefundRequestIds[1], reason: "商品已使用" }) },

  "merchantRisk.queue": { expect: STAFF("risk") },
  "merchantRisk.frozen": { expect: STAFF("risk"), input: () => ({ pageSize: 5 }), check: (r) => expect(Array.isArray((r as { items: unknown[] }).items)).toBe(true) },
  "merchantRisk.refusedBindings": { expect: STAFF("risk"), input: () => ({ pageSize: 5 }), check: (r) => expect(Array.isArray((r as { items: unknown[] }).items)).toBe(true) },
  "merchantRisk.case": {
    expect: STAFF("risk"),
    input: (f) => ({ memberId: f.flagged }),
    // The shared IP is the evidence under review (SPEC §8 shared_ip, ip_burst): the reviewer sees it whole.
    check: (r) => expect((r as { member: { signupIp: string } }).member.signupIp).toBe(A_IP),
  },
  "merchantRisk.review": { expect: STAFF("risk"), input: (f) => ({ memberId: f.flagged, decision: "approve" }) },
  // Runs after merchantMember.setFrozen froze the spare member: the first allowed caller unfreezes it, the second is refused on the merits (not frozen).
  "merchantRisk.setMemberFrozen": { expect: STAFF("risk"), input: (f) => ({ memberId: f.spareMember, frozen: false, reason: "测试解冻" }) },

  "merchantWithdrawal.list": { expect: STAFF("finance"), input: () => ({}) },
  "merchantWithdrawal.approve": { expect: STAFF("finance"), input: (f) => ({ id: f.aWithdrawalIds[0] }) },
  "merchantWithdrawal.reject": { expect: STAFF("finance"), input: (f) => ({ id: f.aWithdrawalIds[1], reason: "资料不符" }) },
  // Per-row results: past authorization every caller gets a result list (refused rows on their merits).
  "merchantWithdrawal.approveMany": { expect: STAFF("finance"), input: (f) => ({ ids: [f.aWithdrawalIds[0]!] }), check: (r) => expect((r as unknown[]).length).toBe(1) },
  // Not FAILED: refused on the merits.
  "merchantWithdrawal.retryPayout": { expect: STAFF("finance"), input: (f) => ({ id: f.aWithdrawalIds[1] }) },
  // Not PAYING with a dead-lettered payout call: refused on the merits.
  "merchantWithdrawal.confirmPayoutFailed": { expect: STAFF("finance"), input: (f) => ({ id: f.aWithdrawalIds[1] }) },
  "merchantWithdrawal.payingStatus": { expect: STAFF("finance") },
  "merchantWithdrawal.settings": { expect: STAFF("finance") },
  // Owner only: finance must not raise the two-person threshold it is checked by.
  "merchantWithdrawal.updateSettings": { expect: STAFF(), input: () => ({ feeBps: 0, feeMinFen: 0, adjustmentApprovalAboveFen: 100_000 }) },

  // Manual adjustments (finance, owner); the pending ones were requested by an account none of the callers is.
  "merchantAdjustment.list": { expect: STAFF("finance"), input: () => ({}), check: (r) => expect((r as { total: number }).total).toBeGreaterThanOrEqual(2) },
  "merchantAdjustment.findMember": { expect: STAFF("finance"), input: (f) => ({ ref: `#${f.spareMember}` }), check: (r, _a, f) => expect((r as { id: number }).id).toBe(f.spareMember) },
  "merchantAdjustment.request": { expect: STAFF("finance"), input: (f) => ({ member: `#${f.spareMember}`, bucket: "credit", amountFen: 100, reason: "授权测试补发", requestKey: newAdjustmentRequestKey() }) },
  "merchantAdjustment.approve": { expect: STAFF("finance"), input: (f) => ({ id: f.pendingAdjustmentIds[0] }) },
  "merchantAdjustment.reject": { expect: STAFF("finance"), input: (f) => ({ id: f.pendingAdjustmentIds[1], note: "依据不足" }) },

  // Every member of staff sees their own background exports only.
  "merchantExports.mine": { expect: ANY_STAFF },

  "merchantCatalog.products": { expect: STAFF("operator"), input: () => ({}) },
  "merchantCatalog.product": { expect: STAFF("operator"), input: (f) => ({ id: f.teaId }) },
  "merchantCatalog.createProduct": {
    expect: STAFF("operator"),
    input: () => ({ name: "授权测试商品", category: "tea", skus: [{ options: [], priceFen: 100, stock: 1 }] }),
  },
  // A version from before the fixture existed: refused as stale (409, past authorization), nothing changes.
  "merchantCatalog.updateProduct": {
    expect: STAFF("operator"),
    input: (f) => ({ id: f.teaId, version: "2000-01-01T00:00:00.000Z", product: { name: "龙井", category: "tea", skus: [{ options: [], code: "tea", priceFen: 9900, stock: 0, baseStock: 0 }] } }),
  },
  "merchantCatalog.setShelf": { expect: STAFF("operator"), input: (f) => ({ id: f.teaId, active: true }) },
  "merchantCatalog.setSort": { expect: STAFF("operator"), input: (f) => ({ id: f.teaId, sort: 0 }) },
  "merchantCatalog.categories": { expect: STAFF("operator") },
  "merchantCatalog.createCategory": { expect: STAFF("operator"), input: () => ({ slug: "authz", name: "授权" }) },
  // A version from before the fixture existed: refused as stale (past authorization), nothing changes.
  "merchantCatalog.updateCategory": { expect: STAFF("operator"), input: () => ({ slug: "tea", name: "茗茶", version: "2000-01-01T00:00:00.000Z" }) },
  "merchantCatalog.setCategoryRates": { expect: STAFF(), input: () => ({ slug: "tea", ratesBps: null }) },
  "merchantCatalog.adjustStock": { expect: STAFF("operator"), input: (f) => ({ skuId: f.teaSkuId, delta: 1, reason: "授权测试入库" }) },
  "merchantCatalog.lowStock": { expect: STAFF("operator"), input: () => ({}) },
  "merchantCatalog.searchStock": {
    expect: STAFF("operator"),
    input: () => ({ q: "龙井" }),
    check: (r) => expect((r as { items: { code: string }[] }).items.map((i) => i.code)).toContain("tea"),
  },
  "merchantCatalog.stockHistory": { expect: STAFF("operator"), input: () => ({}) },

  "merchantJobs.failedCount": { expect: STAFF("finance") },
  "merchantReconciliation.list": { expect: STAFF("finance"), input: () => ({}) },
  "merchantJobs.failedList": { expect: STAFF("finance"), input: () => ({}) },
  // Nothing is dead-lettered in the fixtures: staff get past authorization and the domain refuses.
  "merchantJobs.retry": { expect: STAFF("finance"), input: () => ({ type: "transition", id: 1 }) },

  "merchantHome.figures": {
    expect: ANY_STAFF,
    // Open to every role, but each figure only to the roles of its area (sales: KPI; each to-do: its queue's page); the rest null.
    check: (r, actor) => {
      const sees = (...roles: Actor[]) => (actor === "owner" || roles.includes(actor) ? expect.any(Number) : null);
      const home = r as { today: Record<string, unknown>; todo: Record<string, unknown> };
      expect(home.today).toMatchObject({ paidOrders: sees("operator", "finance"), gmvFen: sees("operator", "finance"), refundedOrders: sees("operator", "finance"), refundedFen: sees("operator", "finance"), newMembers: expect.any(Number) });
      expect(home.todo).toEqual({
        toShip: sees("operator", "support"),
        refundRequests: sees("operator"),
        withdrawalsToApprove: sees("finance"),
        payoutsBlocked: sees("finance"),
        payoutsFailed: sees("finance"),
        riskCases: sees("risk"),
        failedJobs: sees("finance"),
      });
    },
  },
  "merchantHome.setup": { expect: STAFF(), check: (r) => expect((r as { total: number }).total).toBe(7) },

  // Members: operator and support read (support only reads), the operator writes.
  "merchantMember.list": { expect: STAFF("operator", "support"), input: () => ({ q: "shopper-a" }), check: (r) => expect((r as { total: number }).total).toBe(1) },
  "merchantMember.detail": {
    expect: STAFF("operator", "support"),
    input: (f) => ({ id: f.a }),
    // The sign-up IP is personal data: whole for the owner (who also reviews risk), its network half for the others, A's whole IP nowhere.
    check: (r, actor, f) => {
      expect((r as { id: number }).id).toBe(f.a);
      expect((r as { signupIp: string }).signupIp).toBe(actor === "owner" ? A_IP : "7.7.*.*");
      expect(JSON.stringify(r).includes(A_IP)).toBe(actor === "owner");
    },
  },
  "merchantMember.downline": { expect: STAFF("operator", "support"), input: (f) => ({ id: f.a, depth: 1 }), check: (r, _a, f) => expect((r as { rows: { id: number }[] }).rows.map((m) => m.id)).toContain(f.flagged) },
  // Aimed at a member nobody calls as; the second allowed caller is refused on the merits (already frozen), which still counts as past authorization.
  "merchantMember.setFrozen": { expect: STAFF("operator"), input: (f) => ({ id: f.spareMember, frozen: true, reason: "测试冻结" }) },
  "merchantMember.children": { expect: STAFF("operator", "support"), input: (f) => ({ id: f.a }), check: (r, _a, f) => expect((r as { rows: { id: number }[] }).rows.map((m) => m.id)).toEqual([f.flagged]) },
  // Same shape as setFrozen: the second allowed caller is refused on the merits (already disabled).
  "merchantMember.setDistributor": { expect: STAFF("operator"), input: (f) => ({ id: f.spareMember, enabled: false, reason: "测试停用" }) },
  // Owner only: personal data in clear (A's real name), audited.
  "merchantMember.reveal": { expect: STAFF(), input: (f) => ({ id: f.a, field: "realName", reason: "核对提现身份" }), check: (r) => expect((r as { value: string }).value).toBe("王店长") },
  "merchantMember.sponsorPreview": { expect: STAFF("operator"), input: (f) => ({ id: f.spareMember, to: `#${f.b}` }), check: (r, _a, f) => expect((r as { to: { id: number } }).to.id).toBe(f.b) },
  // The first allowed caller's request is made; the second is refused on the merits (one open request per member).
  "merchantMember.requestSponsorChange": { expect: STAFF("operator"), input: (f) => ({ id: f.spareMember, to: `#${f.b}`, reason: "授权测试改绑" }) },
  // Owner only; an unknown request is refused on the merits once past authorization.
  "merchantMember.decideSponsorChange": { expect: STAFF(), input: () => ({ requestId: 999_999, approve: true }) },
  // Those who may request (operator, owner); an unknown request is refused on the merits once past authorization.
  "merchantMember.withdrawSponsorChange": { expect: STAFF("operator"), input: () => ({ requestId: 999_999 }) },
  "merchantMember.sponsorChanges": { expect: STAFF("operator", "support"), input: () => ({}) },
  "merchantMember.bindHistory": { expect: STAFF("operator", "support"), input: (f) => ({ id: f.a }), check: (r) => expect(r).toEqual([]) },

  "merchantRules.overview": { expect: STAFF("operator") },
  "merchantKpi.dashboard": { expect: STAFF("operator", "finance"), input: () => ({ preset: "30d" }) },
  "merchantRules.diff": { expect: STAFF("operator"), input: () => ({ version: 1 }) },
  "merchantRules.save": { expect: STAFF(), input: () => ({ config: { rebate: { percent: 90 } }, reason: "授权测试" }) },
  "merchantExperiments.list": { expect: STAFF("operator") },
  "merchantSimulator.list": { expect: STAFF("operator") },
  "merchantSimulator.rules": { expect: STAFF("operator") },
  "merchantSimulator.get": { expect: STAFF("operator"), input: () => ({ id: 999_999 }), check: (r) => expect(r).toBeNull() },
  // Queues a small run per allowed caller (performed in the background, not awaited here).
  "merchantSimulator.queue": {
    expect: STAFF("operator"),
    input: () => ({ name: "授权测试", population: { members: 10, sharerPercent: 50, invitesPerSharer: 1, firstOrderPercent: 50, categories: [{ category: "fmcg", priceFen: 9900, weight: 1 }], refundPercent: 0, repeatOrders: 0, horizonDays: 7, seed: 1 } }),
  },
  "merchantExperiments.report": { expect: STAFF("operator"), input: () => ({ id: 999_999 }), check: (r) => expect(r).toBeNull() },
  // Owner only; the first owner call starts it, a second would be refused on the merits (one running).
  "merchantExperiments.start": { expect: STAFF(), input: () => ({ name: "授权测试", hypothesis: "", variantPercent: 50, variantRebate: { n: 2 } }) },
  // Owner only; an unknown experiment is refused on the merits once past authorization.
  "merchantExperiments.end": { expect: STAFF(), input: () => ({ id: 999_999, winner: "A", reason: "授权测试" }) },
  // Owner only (a shop setting, AREA_ROLES.rulesWrite): the 用户协议 and 隐私政策 shoppers accept at sign-in.
  "merchantLegal.overview": { expect: STAFF() },
  // The owner's save is version 2 of the terms.
  "merchantLegal.save": { expect: STAFF(), input: () => ({ kind: "terms", body: "# 授权测试协议", baseVersion: 1 }), check: (r) => expect(r).toEqual({ kind: "terms", version: 2 }) },
  // 店铺资料: every member of staff reads it; the owner alone saves it (a shop setting, AREA_ROLES.rulesWrite).
  "merchantShop.profile": { expect: ANY_STAFF },
  "merchantShop.save": {
    expect: STAFF(),
    input: () => ({ name: "授权测试店", nameEn: null, operatorName: null, servicePhone: "13800138000", serviceWechat: null, email: null, serviceHours: null, address: null, baseUpdatedAt: null }),
    check: (r) => expect(r).toMatchObject({ changed: true, profile: { name: "授权测试店" } }),
  },
  "merchantAudit.list": { expect: STAFF(), input: () => ({ action: "withdrawal." }) },
  "merchantAudit.actors": { expect: STAFF() },

  // Owner only; all aimed at a spare account that is none of the callers.
  "merchantStaff.list": { expect: STAFF() },
  "merchantStaff.invite": { expect: STAFF(), input: () => ({ username: "invited1", displayName: "新同事", role: "support" }) },
  "merchantStaff.setRole": { expect: STAFF(), input: (f) => ({ id: f.spareStaffId, role: "operator" }) },
  "merchantStaff.setDisabled": { expect: STAFF(), input: (f) => ({ id: f.spareStaffId, disabled: true }) },
  "merchantStaff.resetPassword": { expect: STAFF(), input: (f) => ({ id: f.spareStaffId }) },
  "merchantStaff.resetTotp": { expect: STAFF(), input: (f) => ({ id: f.spareStaffId }) },
  "merchantStaff.sessions": { expect: STAFF(), input: (f) => ({ id: f.spareStaffId }) },
  "merchantStaff.revokeSession": { expect: STAFF(), input: (f) => ({ sessionId: f.spareSessionIds[0] }) },
  // 要求全体员工启用两步验证: owner only (a shop setting); left off here, so the rows after keep their callers as they are.
  "merchantStaff.totpPolicy": { expect: STAFF(), check: (r) => expect(r).toMatchObject({ requireTotp: false }) },
  "merchantStaff.setTotpPolicy": { expect: STAFF(), input: () => ({ requireTotp: false }), check: (r) => expect(r).toMatchObject({ requireTotp: false }) },

  // One's own account, open to every member of staff (set-up included); never anyone else's session.
  "staffAccount.me": { expect: OWN_ACCOUNT, check: (r, actor) => expect((r as { role: string }).role).toBe(actor === "staffNotReady" ? "finance" : actor) },
  "staffAccount.sessions": { expect: OWN_ACCOUNT },
  // Refused on the merits (wrong current password, TOTP already on): authorization is what is checked.
  "staffAccount.changePassword": { expect: OWN_ACCOUNT, input: () => ({ current: "not-my-password", next: "whatever-new-42" }) },
  "staffAccount.beginTotp": { expect: OWN_ACCOUNT },
  "staffAccount.confirmTotp": { expect: OWN_ACCOUNT, input: () => ({ code: "123456" }) },
  "staffAccount.disableTotp": { expect: OWN_ACCOUNT, input: () => ({ password: "not-my-password" }) },
  "staffAccount.revokeSession": {
    expect: { ...NO_SHOPPER, owner: "ok", operator: "NOT_FOUND", finance: "NOT_FOUND", risk: "NOT_FOUND", support: "NOT_FOUND", staffNotReady: "NOT_FOUND" },
    input: (f) => ({ sessionId: f.ownerSpareSessionId }),
  },
};

// ---------------------------------------------------------------------------------------------
// Fixtures: A owns orders in several states, addresses, notifications and withdrawals.
// ---------------------------------------------------------------------------------------------
const A_MARK = "甲的私密门牌-MARK-A-7731";
const A_ADDRESS = { name: "甲先生", phone: "13912345678", region: "浙江省 杭州市 西湖区", detail: A_MARK };
/** A's sign-up IP, shared by the flagged member. */
const A_IP = "7.7.7.7";

interface Fixtures {
  db: Db;
  a: number;
  b: number;
  /** A frozen member (SPEC §8), calling with A's resources like B. */
  frozen: number;
  staff: Record<StaffRole, Caller>;
  staffNotReady: Caller;
  /** An account that is none of the callers, and a session of another such account. */
  spareStaffId: number;
  spareSessionIds: number[];
  /** A second session of the owner (not the one the owner calls with). */
  ownerSpareSessionId: number;
  flagged: number;
  /** A member that is none of the callers (frozen by the member rows). */
  spareMember: number;
  teaId: number;
  teaSkuId: number;
  aAddressId: number;
  aSpareAddressIds: number[];
  aPendingOrderIds: number[];
  aPaidOrderIds: number[];
  aNotificationIds: number[];
  aWithdrawalIds: number[];
  /** Pending after-sales requests on A's shipped orders 6 and 7. */
  aRefundRequestIds: number[];
  /** Adjustments above the two-person threshold, requested by the spare staff account. */
  pendingAdjustmentIds: number[];
}

const config = parseConfig({});
let database: Database;
let f: Fixtures;

async function buildFixtures(db: Db): Promise<Fixtures> {
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(db, { config }, fn);
  await db.category.create({ data: { slug: "tea", name: "茗茶" } });
  const tea = await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 1000 });
  const a = (await run((c) => registerMember(c, { username: "shopper-a", nickname: "甲-MARK-A-nick", ip: "7.7.7.7", device: "da" }))).id;
  const b = (await run((c) => registerMember(c, { username: "shopper-b", ip: "8.8.8.8", device: "db" }))).id;
  const frozen = (await run((c) => registerMember(c, { username: "shopper-frozen", ip: "6.6.6.6", device: "dz" }))).id;
  expect(await run((c) => setFrozen(c, frozen, true))).toBe(true);
  const staffSessions = Object.fromEntries(await Promise.all(STAFF_ROLES.map(async (r) => [r, await signedInStaff(db, r, { username: `authz-${r}` })] as const))) as Record<StaffRole, Awaited<ReturnType<typeof signedInStaff>>>;
  const staff = Object.fromEntries(STAFF_ROLES.map((r) => [r, staffSessions[r].caller])) as Record<StaffRole, Caller>;
  const spareStaff = await signedInStaff(db, "support", { username: "authz-spare" });
  // Its own account: the other rows reset and disable the first spare, which ends that one's sessions.
  const spareForRevoke = await signedInStaff(db, "support", { username: "authz-spare2" });
  const staffNotReady = (await signedInStaff(db, "finance", { username: "authz-newfin", totp: false })).caller;
  const ownerSpare = await db.staffSession.create({
    data: { staffId: staffSessions.owner.id, tokenHash: "spare-owner-session", mfaPassed: true, createdAt: new Date(), lastSeenAt: new Date(), expiresAt: new Date(Date.now() + 3600_000) },
  });
  // Shares A's sign-up IP: flagged for risk review (SPEC §8).
  const flagged = (await run((c) => registerMember(c, { username: "flagged", sponsorId: a, ip: "7.7.7.7", device: "df" }))).id;

  const spareMember = (await run((c) => registerMember(c, { username: "spare-member", ip: "9.9.9.9", device: "ds" }))).id;

  const api = callerFor(db, a);
  const addr = await api.address.add(A_ADDRESS);
  const spare = [await api.address.add({ ...A_ADDRESS, detail: `${A_MARK} 备用1` }), await api.address.add({ ...A_ADDRESS, detail: `${A_MARK} 备用2` })];
  const place = () => api.order.place({ source: { kind: "buyNow", sku: "tea", qty: 1 }, addressId: addr.id, useCredit: false });
  const pending = [await place(), await place()];
  const paid = [];
  for (let i = 0; i < 8; i++) {
    const p = await place();
    const body = JSON.stringify({ reference: p.reference, providerTxnId: `SBX-${p.orderId}`, amountFen: p.payableFen, currency: "CNY", status: "SUCCESS" });
    const ts = String(Date.now());
    const headers = new Headers({ [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts });
    expect(await handlePaymentNotification(db, "sandbox", body, headers)).toEqual({ outcome: "paid" });
    paid.push(p);
  }
  // Shipped, so A can confirm delivery for real.
  await staff.operator.merchantOrder.shipWithTracking({ id: paid[2]!.orderId, carrier: "SF", trackingNo: "SF2000000002" });
  // Shipped orders with a pending after-sales request (A's marker in the details).
  const aRefundRequestIds: number[] = [];
  for (const p of [paid[6]!, paid[7]!]) {
    await staff.operator.merchantOrder.shipWithTracking({ id: p.orderId, carrier: "SF", trackingNo: `SF20000000${p.orderId}` });
    aRefundRequestIds.push((await api.order.requestRefund({ id: p.orderId, reason: "damaged", detail: `破损 ${A_MARK}` })).id);
  }
  const aNotificationIds = (await db.notification.findMany({ where: { memberId: a }, select: { id: true } })).map((n) => n.id);
  expect(aNotificationIds.length).toBeGreaterThan(0);

  await run((c) => fromMerchant(c, "fund", "authz-matrix", "merchant:commission", a, "available", 2_000_000));
  await run((c) => verifyIdentity(c, a, { realName: "王店长", idNumber: "11010519491231002X" }));
  const w1 = await run((c) => requestWithdrawal(c, a, 300_000));
  const w2 = await run((c) => requestWithdrawal(c, a, 300_000));
  expect([w1.status, w2.status]).toEqual(["PENDING_REVIEW", "PENDING_REVIEW"]);
  const pendingAdjustmentIds: number[] = [];
  for (const reason of ["待审批一", "待审批二"]) {
    const adj = await run((c) => requestAdjustment(c, { staffId: spareStaff.id }, { member: `#${spareMember}`, bucket: "available", amountFen: 500_000, reason, requestKey: newAdjustmentRequestKey() }));
    expect(adj.status).toBe("PENDING_APPROVAL");
    pendingAdjustmentIds.push(adj.id);
  }

  return {
    db, a, b, frozen, staff, staffNotReady, flagged, spareMember, teaId: tea.id, teaSkuId: tea.skus[0]!.id,
    spareStaffId: spareStaff.id,
    spareSessionIds: [spareForRevoke.sessionId],
    ownerSpareSessionId: ownerSpare.id,
    aAddressId: addr.id,
    aSpareAddressIds: spare.map((s) => s.id),
    aPendingOrderIds: pending.map((p) => p.orderId),
    aPaidOrderIds: paid.map((p) => p.orderId),
    aNotificationIds,
    aWithdrawalIds: [w1.id, w2.id],
    aRefundRequestIds,
    pendingAdjustmentIds,
  };
}

beforeAll(async () => {
  database = await freshPglite();
  f = await buildFixtures(database.prisma);
});
afterAll(() => database.close());

/** Every procedure path of the router, read from the router itself. */
function routerProcedures(): string[] {
  return Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).sort();
}

async function call(caller: Caller, path: string, input: unknown): Promise<{ outcome: string; result?: unknown; detail?: string }> {
  const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (i: unknown) => Promise<unknown>;
  try {
    return { outcome: "ok", result: await fn(input) };
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    if (REFUSALS.has(e.code)) return { outcome: e.code, detail: e.message };
    // Past authorization, but only a refusal on the merits counts: bad test input or a crash does not.
    if (e.cause instanceof ZodError || e.code === "INTERNAL_SERVER_ERROR") return { outcome: `${e.code}`, detail: e.message };
    return { outcome: "ok", detail: `${e.code}: ${e.message}` };
  }
}

describe("authorization matrix", () => {
  it("has a row for every procedure in the router, and no row for a procedure that is gone", () => {
    const procedures = routerProcedures();
    expect(procedures.length).toBeGreaterThan(40);
    expect(procedures.filter((p) => !(p in MATRIX)), "procedures without a row in MATRIX").toEqual([]);
    expect(Object.keys(MATRIX).filter((p) => !procedures.includes(p)), "rows for procedures that no longer exist").toEqual([]);
  });

  it.each(Object.keys(MATRIX).sort())("%s", async (path) => {
    const row = MATRIX[path]!;
    // Refusals first: a refused call must change nothing, so the allowed calls after it see A's data intact.
    const actors = (Object.keys(ACTORS) as Actor[]).sort((x, y) => Number(row.expect[x] === "ok") - Number(row.expect[y] === "ok"));
    const got: Record<string, string> = {};
    for (const actor of actors) {
      const r = await call(ACTORS[actor](f), path, row.input?.(f));
      got[actor] = r.outcome === row.expect[actor] ? r.outcome : `${r.outcome} (${r.detail ?? ""})`;
      if (r.outcome === "ok" && r.detail === undefined) {
        if (row.private && actor !== "shopperA") expect(JSON.stringify(r.result), `${actor} sees A's data through ${path}`).not.toContain("MARK-A");
        row.check?.(r.result, actor, f);
      }
    }
    expect(got).toEqual(row.expect);
  });

  it("A's own private reads really show A's data (so the leak check above can fail)", async () => {
    const a = ACTORS.shopperA(f);
    expect(JSON.stringify(await a.address.list())).toContain("MARK-A");
    // member.updateProfile (above) renamed every caller; A takes a marked name back, which only A's reads may show.
    await a.member.updateProfile({ displayName: "甲-MARK-A" });
    expect(JSON.stringify(await a.member.me())).toContain("MARK-A");
    expect(JSON.stringify(await ACTORS.shopperB(f).member.me())).not.toContain("MARK-A");
  });

  it("a frozen member's own money stays in view, and the domain refuses its withdrawal (FROZEN), not authorization", async () => {
    const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(f.db, { config }, fn);
    await run((c) => fromMerchant(c, "fund-frozen", "authz-matrix", "merchant:commission", f.frozen, "available", 50_000));
    await run((c) => verifyIdentity(c, f.frozen, { realName: "冻结者", idNumber: nextTestIdNumber() }));
    const z = ACTORS.shopperFrozen(f);
    expect(await z.wallet.summary()).toMatchObject({ frozen: true, balances: { available: 50_000 } });
    expect(await domainRefusal(z.wallet.requestWithdrawal({ amountFen: 10_000, requestKey: "fedcba9876543210fedcba9876543210" }))).toBe("FROZEN");
    expect(await f.db.withdrawal.count({ where: { memberId: f.frozen } })).toBe(0);
  });
});
