// Change sponsor 改绑上级 (issue 9, server/members/sponsor-change): the loop check, the preview, the
// four-eyes approval, the append-only bind history, pending vs earned commissions, the batched move
// with progress and resume, payments while it runs (the new upline from the approval on), and — on a
// generated tree moved several times in small batches — closure rows, per-depth counters, team sizes,
// qualified directs and gmv credits equal to what sign-up under the new sponsors would have produced
// (a replay of the final tree through registerMember).
// Runs on PGlite, and on PostgreSQL with FM_TEST_DB=postgres (the concurrent approvals race for real there).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig, type MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { recordCompletedGmv } from "../../server/tiers";
import { createOrder, confirmPayment } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import { runDueTransitions } from "../../server/scheduler";
import { fromMerchant } from "../../server/wallet/ledger";
import {
  decideSponsorChange,
  listSponsorChanges,
  previewSponsorChange,
  requestSponsorChange,
  runSponsorChanges,
  bindHistory,
} from "../../server/members/sponsor-change";
import { freshDatabase } from "../helpers/db";

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

const NOW = new Date("2026-03-10T02:00:00Z");
const requester = { staffId: 101, requestId: "req-1" };
const approver = { staffId: 202, requestId: "req-2" };

function setup(config: MallConfig = parseConfig({})) {
  const db = () => database!.prisma;
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2], now = NOW) => inTx(db(), { config, now }, fn);
  const reg = async (username: string, sponsorId: number | null) =>
    (await run((c) => registerMember(c, { username, sponsorId, ip: `10.${username.length}.${username.charCodeAt(0)}.1`, device: `dev-${username}` }))).id;
  /** Request by one member of staff, approval by another, then the queue runs. */
  const change = async (memberId: number, to: number, batchSize = 500) => {
    const { id } = await run((c) => requestSponsorChange(c, { memberId, to, reason: "客户申请改绑" }, requester));
    await run((c) => decideSponsorChange(c, id, true, null, approver));
    await runSponsorChanges(db(), { now: NOW, config, batchSize });
    return id;
  };
  return { db, run, reg, change, config };
}

const refusalCode = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("sponsor change: rules", () => {
  it("refuses the member itself, anyone in its downline, and the current sponsor", async () => {
    database = await freshDatabase();
    const { run, reg } = setup();
    const root = await reg("root", null);
    const a = await reg("a", root);
    const a1 = await reg("a1", a);
    const a11 = await reg("a11", a1);
    const ask = (m: number, to: number | string) => run((c) => requestSponsorChange(c, { memberId: m, to, reason: "测试" }, requester));
    expect(await refusalCode(ask(a, a))).toBe("SPONSOR_IS_SELF");
    expect(await refusalCode(ask(a, a1))).toBe("SPONSOR_IN_DOWNLINE");
    expect(await refusalCode(ask(a, a11))).toBe("SPONSOR_IN_DOWNLINE");
    expect(await refusalCode(ask(a, `#${a11}`))).toBe("SPONSOR_IN_DOWNLINE");
    expect(await refusalCode(ask(a, root))).toBe("SAME_SPONSOR");
    expect(await refusalCode(ask(a, "ZZZZZZ"))).toBe("SPONSOR_NOT_FOUND");
    expect(await refusalCode(run((c) => requestSponsorChange(c, { memberId: a1, to: root, reason: " " }, requester)))).toBe("INVALID_REASON");
    expect(await database.prisma.sponsorChangeRequest.count()).toBe(0);
    // The other way round is fine: a11 may move up under root.
    const ok = await ask(a11, root);
    expect(ok.preview).toMatchObject({ movedCount: 1, from: { id: a1 }, to: { id: root } });
    // One open request per member.
    expect(await refusalCode(ask(a11, a))).toBe("CHANGE_ALREADY_OPEN");
  });

  it("needs an owner other than the requester; two approvals at once approve once; a rejection needs a reason", async () => {
    database = await freshDatabase();
    const { run, reg, db } = setup();
    const root = await reg("root", null);
    const a = await reg("a", root);
    const b = await reg("b", null);
    const { id } = await run((c) => requestSponsorChange(c, { memberId: a, to: b, reason: "客户申请改绑" }, requester));
    expect(await refusalCode(run((c) => decideSponsorChange(c, id, true, null, requester)))).toBe("SELF_APPROVAL");
    expect(await refusalCode(run((c) => decideSponsorChange(c, id, false, null, approver)))).toBe("INVALID_REASON");
    const results = await Promise.allSettled([0, 1, 2].map(() => run((c) => decideSponsorChange(c, id, true, null, approver))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect(((r as PromiseRejectedResult).reason as DomainError).code).toBe("CHANGE_NOT_PENDING");
    expect(await db().auditLog.count({ where: { action: "member.sponsor_change_approved" } })).toBe(1);
    expect(await db().dueTransition.count({ where: { kind: "SPONSOR_CHANGE", refId: id } })).toBe(1);
    // The scheduler's sweep performs the move (the same path Inngest wakes up).
    await runDueTransitions(db(), NOW, { now: NOW });
    expect((await db().member.findUniqueOrThrow({ where: { id: a } })).sponsorId).toBe(b);
    expect((await db().sponsorChangeRequest.findUniqueOrThrow({ where: { id } })).status).toBe("DONE");
    const actions = (await db().auditLog.findMany({ where: { target: `member:${a}` }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["member.sponsor_change_requested", "member.sponsor_change_approved", "member.sponsor_changed"]);
  });

  it("writes an append-only bind history: the database refuses UPDATE and DELETE", async () => {
    database = await freshDatabase();
    const { reg, change, db } = setup();
    const root = await reg("root", null);
    const a = await reg("a", root);
    const b = await reg("b", null);
    const id = await change(a, b);
    const history = await bindHistory(db(), a);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ from: { id: root }, to: { id: b }, reason: "客户申请改绑", movedCount: 1 });
    const row = await db().sponsorBindHistory.findUniqueOrThrow({ where: { changeRequestId: id } });
    expect(row).toMatchObject({ requestedById: requester.staffId, approvedById: approver.staffId });
    await expect(db().$executeRaw`UPDATE "SponsorBindHistory" SET reason = 'x' WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM "SponsorBindHistory" WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    expect(await db().sponsorBindHistory.count()).toBe(1);
  });
});

describe("sponsor change: preview and money", () => {
  it("previews closure rows, tiers and the pending commissions that stay; earned ones never move; new orders earn for the new upline", async () => {
    database = await freshDatabase();
    // A tier on team size, so moving a team of 3 changes tiers both ways.
    const config = parseConfig({ tiers: [{ name: "member" }, { name: "leader", minTeam: 4 }] });
    const { run, reg, db } = setup(config);
    const old1 = await reg("old1", null); // depth 2 above a
    const old = await reg("old", old1);
    const a = await reg("a", old);
    const a1 = await reg("a1", a);
    const a11 = await reg("a11", a1);
    const x = await reg("x", null);
    const n = await reg("n", x);
    const n1 = await reg("n1", n);
    expect((await db().member.findUniqueOrThrow({ where: { id: old1 } })).tier).toBe("leader"); // team 4
    // Orders of the moved team with commissions to the old upline: pending, confirmed, settled.
    const order = (no: string, memberId: number) => db().order.create({ data: { orderNo: no, memberId, goodsFen: 10_000, payableFen: 10_000, createdAt: NOW, status: "PAID" } });
    const o1 = await order("P-1", a1);
    const o2 = await order("P-2", a11);
    const o3 = await order("P-3", a1);
    await db().commission.createMany({
      data: [
        { orderId: o1.id, beneficiaryId: a, level: 1, amountFen: 1000, status: "PENDING", createdAt: NOW },
        { orderId: o1.id, beneficiaryId: old, level: 2, amountFen: 500, status: "PENDING", createdAt: NOW },
        { orderId: o2.id, beneficiaryId: old, level: 3, amountFen: 200, status: "CONFIRMED", createdAt: NOW },
        { orderId: o3.id, beneficiaryId: old, level: 2, amountFen: 700, status: "SETTLED", createdAt: NOW },
      ],
    });
    await run((c) => fromMerchant(c, "accrue-old", "test", "merchant:commission", old, "pending", 700));
    const closureBefore = await db().sponsorClosure.count();

    const preview = await run((c) => previewSponsorChange(c, a, n1));
    expect(preview).toMatchObject({
      member: { id: a },
      from: { id: old },
      to: { id: n1 },
      movedCount: 3,
      levels: [{ depth: 0, count: 1 }, { depth: 1, count: 1 }, { depth: 2, count: 1 }],
      closure: { removed: 2 * 3, added: 3 * 3 },
      ancestorsLosing: 2,
      ancestorsGaining: 3,
      qualifiedDirectMoves: false,
      pendingStay: { count: 2, amountFen: 700 },
      settledStay: { count: 1, amountFen: 700 },
    });
    // a's own commission (a moves along) is not "staying above": only old's.
    expect(preview.pendingStay.rows.map((r) => r.beneficiaryId).sort()).toEqual([old, old]);
    expect(preview.tiers.sort((p, q) => p.id - q.id)).toEqual([
      { id: old1, name: "old1", from: "leader", to: "member" },
      { id: x, name: "x", from: "member", to: "leader" },
      { id: n, name: "n", from: "member", to: "leader" },
    ]);

    const { id } = await run((c) => requestSponsorChange(c, { memberId: a, to: n1, reason: "主播要求改绑" }, requester));
    await run((c) => decideSponsorChange(c, id, true, "同意", approver));
    expect(await runSponsorChanges(db(), { now: NOW, config })).toBe(1);

    // The preview's closure figures are the real change.
    expect(await db().sponsorClosure.count()).toBe(closureBefore - preview.closure.removed + preview.closure.added);
    expect((await db().member.findUniqueOrThrow({ where: { id: old1 } })).tier).toBe("member");
    expect((await db().member.findUniqueOrThrow({ where: { id: x } })).tier).toBe("leader");
    expect((await db().member.findUniqueOrThrow({ where: { id: n } })).tier).toBe("leader");
    // Commissions never move: every row keeps its beneficiary and status; old's pending money stays.
    const rows = await db().commission.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.beneficiaryId, r.status])).toEqual([[a, "PENDING"], [old, "PENDING"], [old, "CONFIRMED"], [old, "SETTLED"]]);
    expect(Number((await db().wallet.findUniqueOrThrow({ where: { memberId: old } })).pending)).toBe(700);

    // An order paid after the move earns for the new upline.
    await run(async (c) => {
      await c.tx.category.create({ data: { slug: "tea", name: "茶" } });
      await createSimpleProduct(c.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 10 });
    });
    const later = new Date(NOW.getTime() + 60_000);
    const o = await run((c) => createOrder(c, { memberId: a11, lines: [{ sku: "tea", qty: 1 }] }), later);
    await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: "after-move", amountFen: o.payableFen, currency: "CNY" }), later);
    const earned = await db().commission.findMany({ where: { orderId: o.id }, orderBy: { level: "asc" } });
    expect(earned.map((c) => [c.level, c.beneficiaryId])).toEqual([[1, a1], [2, a], [3, n1]]);
  });

  it("moves a qualified direct from the old sponsor to the new one", async () => {
    database = await freshDatabase();
    const { reg, change, db, run } = setup();
    const old = await reg("old", null);
    const a = await reg("a", old);
    const n = await reg("n", null);
    await db().member.update({ where: { id: a }, data: { paidUnrefundedCount: 1 } });
    await db().member.update({ where: { id: old }, data: { qualifiedDirects: 1 } });
    expect((await run((c) => previewSponsorChange(c, a, n))).qualifiedDirectMoves).toBe(true);
    await change(a, n);
    expect((await db().member.findUniqueOrThrow({ where: { id: old } })).qualifiedDirects).toBe(0);
    expect((await db().member.findUniqueOrThrow({ where: { id: n } })).qualifiedDirects).toBe(1);
  });
});

describe("sponsor change: the batched move", () => {
  it("reports progress, resumes after a stop, and runs queued changes one at a time", async () => {
    database = await freshDatabase();
    const { run, reg, db, config } = setup();
    const old = await reg("old", null);
    const a = await reg("a", old);
    for (let i = 0; i < 12; i++) await reg(`t${i}`, i < 3 ? a : (await db().member.findUniqueOrThrow({ where: { username: `t${i % 3}` } })).id);
    const n = await reg("n", null);
    const m2 = await reg("m2", null);
    const { id } = await run((c) => requestSponsorChange(c, { memberId: a, to: n, reason: "大团队改绑" }, requester));
    const { id: id2 } = await run((c) => requestSponsorChange(c, { memberId: m2, to: a, reason: "第二个申请" }, requester));
    await run((c) => decideSponsorChange(c, id, true, null, approver));
    await run((c) => decideSponsorChange(c, id2, true, null, approver));
    // Two batches of 4, then "crash".
    expect(await runSponsorChanges(db(), { now: NOW, config, batchSize: 4, maxBatches: 2 })).toBe(0);
    let [row] = await listSponsorChanges(db(), { memberId: a });
    expect(row).toMatchObject({ status: "RUNNING", progress: { moved: 8, total: 13 } });
    expect((await listSponsorChanges(db(), { memberId: m2 }))[0]!.status).toBe("APPROVED");
    // Sign-ups under a member already moved (t0) and one not yet moved (t11) while the move is half done.
    const t0 = (await db().member.findUniqueOrThrow({ where: { username: "t0" } })).id;
    const t11 = (await db().member.findUniqueOrThrow({ where: { username: "t11" } })).id;
    await reg("late0", t0);
    await reg("late1", t11);
    // Two runners resume together: the rest is moved once, then the queued change runs.
    const done = await Promise.all([runSponsorChanges(db(), { now: NOW, config, batchSize: 4 }), runSponsorChanges(db(), { now: NOW, config, batchSize: 4 })]);
    expect(done[0] + done[1]).toBe(2);
    [row] = await listSponsorChanges(db(), { memberId: a });
    expect(row).toMatchObject({ status: "DONE", progress: { moved: 15, total: 15 } });
    expect((await listSponsorChanges(db(), { memberId: m2 }))[0]!.status).toBe("DONE");
    // n: a's 13, the two late sign-ups, and m2.
    expect((await db().member.findUniqueOrThrow({ where: { id: n } })).teamSize).toBe(16);
    expect(await db().sponsorClosure.count({ where: { ancestorId: n } })).toBe(16);
    expect((await db().downlineLevelCount.aggregate({ where: { memberId: n }, _sum: { count: true } }))._sum.count).toBe(16);
    expect((await db().member.findUniqueOrThrow({ where: { id: old } })).teamSize).toBe(0);
    expect(await db().sponsorClosure.count({ where: { ancestorId: old } })).toBe(0);
    expect(await db().downlineLevelCount.count({ where: { memberId: old } })).toBe(0);
    const late1 = (await db().member.findUniqueOrThrow({ where: { username: "late1" } })).id;
    expect((await db().sponsorClosure.findMany({ where: { descendantId: late1 }, orderBy: { depth: "asc" } })).map((r) => r.ancestorId)).toEqual([
      t11,
      (await db().member.findUniqueOrThrow({ where: { id: t11 } })).sponsorId,
      a,
      n,
    ]);
    expect(await db().sponsorBindHistory.count()).toBe(2);
    expect(await db().auditLog.count({ where: { action: "member.sponsor_changed" } })).toBe(2);
  });

  it("fails (moving nothing) an approved change that the tree has turned into a loop", async () => {
    database = await freshDatabase();
    const { run, reg, db, config } = setup();
    const a = await reg("a", null);
    const b = await reg("b", null);
    const ab = await run((c) => requestSponsorChange(c, { memberId: a, to: b, reason: "a 到 b 下" }, requester));
    const ba = await run((c) => requestSponsorChange(c, { memberId: b, to: a, reason: "b 到 a 下" }, requester));
    await run((c) => decideSponsorChange(c, ab.id, true, null, approver));
    await run((c) => decideSponsorChange(c, ba.id, true, null, approver));
    await runSponsorChanges(db(), { now: NOW, config });
    expect((await db().sponsorChangeRequest.findUniqueOrThrow({ where: { id: ab.id } })).status).toBe("DONE");
    const failed = await db().sponsorChangeRequest.findUniqueOrThrow({ where: { id: ba.id } });
    expect(failed.status).toBe("FAILED");
    expect(failed.failureReason).toMatch(/循环/);
    expect((await db().member.findUniqueOrThrow({ where: { id: b } })).sponsorId).toBeNull();
  });
});

describe("sponsor change: payments while the move runs", () => {
  /** old1 → old → a → {a1 → a11, a2}; x → n → n1. A tea costs 10 000 fen: commissions 1 000 / 500 / 200. */
  async function team() {
    const s = setup();
    const old1 = await s.reg("old1", null);
    const old = await s.reg("old", old1);
    const a = await s.reg("a", old);
    // Ten unused ids after a's: a sign-up may land there (behind the move's cursor).
    await s.db().$queryRaw`SELECT setval('"Member_id_seq"', ${a + 10})`;
    const a1 = await s.reg("a1", a);
    const a11 = await s.reg("a11", a1);
    const a2 = await s.reg("a2", a);
    const x = await s.reg("x", null);
    const n = await s.reg("n", x);
    const n1 = await s.reg("n1", n);
    await s.run(async (c) => {
      await c.tx.category.create({ data: { slug: "tea", name: "茶" } });
      await createSimpleProduct(c.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 100 });
    });
    const pay = async (memberId: number) => {
      const o = await s.run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
      await s.run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `pay-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
      const rows = await s.db().commission.findMany({ where: { orderId: o.id }, orderBy: { level: "asc" } });
      return rows.map((r) => [r.level, r.beneficiaryId, r.amountFen]);
    };
    return { ...s, pay, ids: { old1, old, a, a1, a11, a2, x, n, n1 } };
  }

  it("an order paid after the approval earns for the new upline, whichever batch its buyer is in; one paid before, for the old", async () => {
    database = await freshDatabase();
    const { run, db, pay, config, ids } = await team();
    const { old1, old, a, a1, a11, a2, x, n, n1 } = ids;
    const { id } = await run((c) => requestSponsorChange(c, { memberId: a, to: n1, reason: "主播团队合并" }, requester));
    // Requested, not approved: the old upline.
    expect(await pay(a11)).toEqual([[1, a1, 1000], [2, a, 500], [3, old, 200]]);
    await run((c) => decideSponsorChange(c, id, true, null, approver));
    // Approved, no batch run yet: a2 (second batch) already earns for the new upline.
    expect(await pay(a2)).toEqual([[1, a, 1000], [2, n1, 500], [3, n, 200]]);
    // One batch of two (a, a1), then a payment of a11, whose closure rows the second batch moves.
    expect(await runSponsorChanges(db(), { now: NOW, config, batchSize: 2, maxBatches: 1 })).toBe(0);
    expect((await listSponsorChanges(db(), { memberId: a }))[0]).toMatchObject({ status: "RUNNING", progress: { moved: 2, total: 4 } });
    expect(await pay(a11)).toEqual([[1, a1, 1000], [2, a, 500], [3, n1, 200]]);
    expect(await pay(a1)).toEqual([[1, a, 1000], [2, n1, 500], [3, n, 200]]);
    expect(await pay(a)).toEqual([[1, n1, 1000], [2, n, 500], [3, x, 200]]);
    expect(await runSponsorChanges(db(), { now: NOW, config, batchSize: 2 })).toBe(1);
    expect(await pay(a11)).toEqual([[1, a1, 1000], [2, a, 500], [3, n1, 200]]);
    // Pending money: old keeps only the commission of the order paid before the approval.
    const pending = async (m: number) => Number((await db().wallet.findUniqueOrThrow({ where: { memberId: m } })).pending);
    expect(await pending(old)).toBe(200);
    expect(await pending(old1)).toBe(0);
    expect(await pending(n1)).toBe(500 + 200 + 500 + 1000 + 200);
    expect(await pending(n)).toBe(200 + 200 + 500);
    expect(await pending(x)).toBe(200);
  });

  it("the moved member's own first payment after the approval qualifies, and counts as the invitee of, the new sponsor", async () => {
    database = await freshDatabase();
    const { run, db, pay, config, ids } = await team();
    const { old, a, n1 } = ids;
    // Both sponsors have an open 推三返一 task.
    await pay(old);
    await pay(n1);
    const { id } = await run((c) => requestSponsorChange(c, { memberId: a, to: n1, reason: "主播团队合并" }, requester));
    await run((c) => decideSponsorChange(c, id, true, null, approver));
    await pay(a);
    const invitees = async (m: number) => (await db().rebateAssignment.findMany({ where: { task: { memberId: m } } })).map((r) => r.inviteeId);
    expect(await invitees(n1)).toEqual([a]);
    expect(await invitees(old)).toEqual([]);
    const directs = async () => (await db().member.findMany({ where: { id: { in: [old, n1] } }, orderBy: { id: "asc" } })).map((m) => m.qualifiedDirects);
    expect(await directs()).toEqual([0, 1]);
    await runSponsorChanges(db(), { now: NOW, config, batchSize: 2 });
    expect(await directs()).toEqual([0, 1]);
  });

  it("moving a member up to an ancestor (its sponsor's sponsor) also moves a sign-up behind the cursor", async () => {
    database = await freshDatabase();
    const { run, reg, db, pay, config, ids } = await team();
    const { a, a2, old, old1 } = ids;
    const { id } = await run((c) => requestSponsorChange(c, { memberId: a, to: old1, reason: "回到原团队长名下" }, requester));
    await run((c) => decideSponsorChange(c, id, true, null, approver));
    await runSponsorChanges(db(), { now: NOW, config, batchSize: 2, maxBatches: 1 });
    // old1 is above every member of the team already: only the depth tells a moved row from an unmoved one.
    await db().$queryRaw`SELECT setval('"Member_id_seq"', ${a})`;
    const late = await reg("late", a2);
    await runSponsorChanges(db(), { now: NOW, config, batchSize: 2 });
    const rows = await db().sponsorClosure.findMany({ where: { descendantId: late }, orderBy: { depth: "asc" } });
    expect(rows.map((r) => [r.ancestorId, r.depth])).toEqual([[a2, 1], [a, 2], [old1, 3]]);
    expect((await db().member.findUniqueOrThrow({ where: { id: old } })).teamSize).toBe(0);
    // L3 of late's order is old1 now, not the former upline old.
    expect(await pay(late)).toEqual([[1, a2, 1000], [2, a, 500], [3, old1, 200]]);
  });

  it("a sign-up whose id was drawn before a batch passed it, under a member not yet moved, is moved when the move finishes", async () => {
    database = await freshDatabase();
    const { run, reg, db, pay, config, ids } = await team();
    const { a, a2, n1, n } = ids;
    const { id } = await run((c) => requestSponsorChange(c, { memberId: a, to: n1, reason: "主播团队合并" }, requester));
    await run((c) => decideSponsorChange(c, id, true, null, approver));
    // The first batch moves a and a1; a11 and a2 wait for the second.
    await runSponsorChanges(db(), { now: NOW, config, batchSize: 2, maxBatches: 1 });
    // registerMember draws the id first and waits for the placement lock later: a sign-up that drew its id before
    // the batch and inserted after it sits behind the cursor, with its unmoved sponsor's rows. Simulated: an id below a1's.
    await db().$queryRaw`SELECT setval('"Member_id_seq"', ${a})`;
    const late = await reg("late", a2);
    expect(late).toBeLessThan(ids.a1);
    await runSponsorChanges(db(), { now: NOW, config, batchSize: 2 });
    const rows = await db().sponsorClosure.findMany({ where: { descendantId: late }, orderBy: { depth: "asc" } });
    expect(rows.map((r) => r.ancestorId)).toEqual([a2, a, n1, n, ids.x]);
    // n1: a's team of four and late.
    expect((await db().member.findUniqueOrThrow({ where: { id: n1 } })).teamSize).toBe(5);
    expect((await db().member.findUniqueOrThrow({ where: { id: ids.old } })).teamSize).toBe(0);
    expect(await pay(late)).toEqual([[1, a2, 1000], [2, a, 500], [3, n1, 200]]);
    expect((await listSponsorChanges(db(), { memberId: a }))[0]).toMatchObject({ status: "DONE", progress: { moved: 5, total: 5 } });
    expect((await bindHistory(db(), a))[0]!.movedCount).toBe(5);
  });

  it("a change queued behind a running one takes effect when its move starts (it is checked again then)", async () => {
    database = await freshDatabase();
    const { run, reg, db, pay, config, ids } = await team();
    const { old, a, a1, a11, n1 } = ids;
    const q = await reg("q", null);
    const r = await reg("r", null);
    const first = await run((c) => requestSponsorChange(c, { memberId: q, to: r, reason: "先到的申请" }, requester));
    const second = await run((c) => requestSponsorChange(c, { memberId: a, to: n1, reason: "主播团队合并" }, requester));
    await run((c) => decideSponsorChange(c, first.id, true, null, approver));
    await run((c) => decideSponsorChange(c, second.id, true, null, approver));
    expect((await db().sponsorChangeRequest.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("APPROVED");
    expect(await pay(a11)).toEqual([[1, a1, 1000], [2, a, 500], [3, old, 200]]);
    // The first move (one batch) finishes and the second starts, one batch of two run (a, a1): from then on, the new upline.
    expect(await runSponsorChanges(db(), { now: NOW, config, batchSize: 2, maxBatches: 1 })).toBe(1);
    expect((await db().sponsorChangeRequest.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("RUNNING");
    expect(await pay(a11)).toEqual([[1, a1, 1000], [2, a, 500], [3, n1, 200]]);
  });
});

// ---------------------------------------------------------------------------------------------
// The generated tree: counters after moves equal a fresh sign-up of the final tree.
// ---------------------------------------------------------------------------------------------
function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

interface TreeState {
  closure: string[];
  levels: string[];
  teams: string[];
}

async function treeState(db: Db): Promise<TreeState> {
  const names = new Map((await db.member.findMany({ select: { id: true, username: true } })).map((m) => [m.id, m.username]));
  const n = (id: number) => names.get(id)!;
  return {
    closure: (await db.sponsorClosure.findMany()).map((r) => `${n(r.ancestorId)}>${n(r.descendantId)}@${r.depth}`).sort(),
    levels: (await db.downlineLevelCount.findMany()).map((r) => `${n(r.memberId)}@${r.depth}=${r.count}`).sort(),
    teams: (await db.member.findMany()).map((m) => `${m.username}:${m.teamSize}`).sort(),
  };
}

describe("sponsor change: generated tree", () => {
  it("after several batched moves, closure, counters, directs and gmv credits equal sign-up under the new sponsors", { timeout: 240_000 }, async () => {
    database = await freshDatabase();
    const { run, reg, db, change } = setup();
    const rnd = prng(20261201);
    const N = 120;
    const ids: number[] = [];
    for (let i = 0; i < N; i++) {
      const sponsor = i === 0 || rnd() < 0.08 ? null : ids[Math.floor(rnd() * ids.length)]!;
      ids.push(await reg(`u${i}`, sponsor));
    }
    // Paid buyers (qualified directs) and completed orders (gmv credits) on a third of the members.
    const buyers = ids.filter(() => rnd() < 0.33);
    for (const [i, b] of buyers.entries()) {
      const m = await db().member.update({ where: { id: b }, data: { paidUnrefundedCount: 1 } });
      if (m.sponsorId) await db().member.update({ where: { id: m.sponsorId }, data: { qualifiedDirects: { increment: 1 } } });
      await run((c) => recordCompletedGmv(c, { id: 10_000 + i, memberId: b, goodsFen: 100 * (i + 1), completedAt: NOW }));
    }

    // Moves of subtrees of every size, in batches of 7.
    let moves = 0;
    for (let attempt = 0; moves < 8 && attempt < 200; attempt++) {
      const m = ids[1 + Math.floor(rnd() * (N - 1))]!;
      const to = ids[Math.floor(rnd() * N)]!;
      const member = await db().member.findUniqueOrThrow({ where: { id: m } });
      const inDownline = await db().sponsorClosure.findUnique({ where: { ancestorId_descendantId: { ancestorId: m, descendantId: to } } });
      if (to === m || inDownline || member.sponsorId === to || (moves < 4 && member.teamSize < 3)) continue;
      await change(m, to, 7);
      moves++;
    }
    expect(moves).toBe(8);
    expect(await db().sponsorChangeRequest.count({ where: { status: "DONE" } })).toBe(8);

    // Expected from the final parent pointers alone.
    const members = await db().member.findMany({ orderBy: { id: "asc" } });
    const parent = new Map(members.map((m) => [m.id, m.sponsorId]));
    const ancestors = (id: number) => {
      const out: { id: number; depth: number }[] = [];
      for (let p = parent.get(id) ?? null, d = 1; p !== null; p = parent.get(p) ?? null, d++) out.push({ id: p, depth: d });
      return out;
    };
    const paid = new Set(members.filter((m) => m.paidUnrefundedCount > 0).map((m) => m.id));
    for (const m of members) {
      const directs = members.filter((c) => c.sponsorId === m.id && paid.has(c.id)).length;
      expect(m.qualifiedDirects, `qualified directs of ${m.username}`).toBe(directs);
    }
    const credits = (await db().gmvCredit.findMany()).map((g) => `${g.memberId}:${g.orderId}@${g.depth}=${g.amountFen}`).sort();
    const expectedCredits = buyers
      .flatMap((b, i) => [{ id: b, depth: 0 }, ...ancestors(b)].map((a) => `${a.id}:${10_000 + i}@${a.depth}=${100 * (i + 1)}`))
      .sort();
    expect(credits).toEqual(expectedCredits);

    // The same tree signed up from scratch, parents first, each under its final sponsor.
    const moved = await treeState(db());
    const byId = new Map(members.map((m) => [m.id, m.username]));
    const order: number[] = [];
    const placed = new Set<number>();
    while (order.length < members.length) {
      for (const m of members) {
        if (placed.has(m.id) || (m.sponsorId !== null && !placed.has(m.sponsorId))) continue;
        order.push(m.id);
        placed.add(m.id);
      }
    }
    await database.close();
    database = await freshDatabase();
    const replay = setup();
    const newId = new Map<number, number>();
    for (const id of order) newId.set(id, await replay.reg(byId.get(id)!, parent.get(id) ? newId.get(parent.get(id)!)! : null));
    expect(await treeState(replay.db())).toEqual(moved);
  });
});
