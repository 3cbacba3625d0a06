// SPEC §8: a frozen member cannot withdraw, also when frozen after asking. Their withdrawal still waiting for review
// cannot be approved (approveWithdrawal refuses FROZEN; no money moves), only rejected (the money goes back to the
// balance). The queue says so before anyone tries: the row is marked (memberFrozen), it shows 已冻结, its 通过 is
// disabled with the reason beside it, 全选本页可审核 leaves it out, and 驳回 stays. Other rows are not marked: a
// member who is not frozen, a frozen member's approved withdrawal (payoutBlocked says that one), a decided one.
import { createElement } from "react";
import { SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { approveWithdrawal, rejectWithdrawal, requestWithdrawal } from "../server/wallet/withdrawals";
import { withdrawalQueue } from "../server/wallet/review";
import { setFrozen } from "../server/members/status-history";
import { WithdrawalsClient } from "../app/merchant/withdrawals/WithdrawalsClient";
import { freshDatabase } from "./helpers/db";
import { renderInProviders } from "./helpers/render";
import { testIdNumber } from "./helpers/id-numbers";

let database: Database;
let staffId: number;
// 10:00 on 1 December 2026, merchant time (Asia/Shanghai).
const NOW = new Date("2026-12-01T02:00:00Z");
// Above the automatic limit (2 000 元): it waits for one approver.
const THREE_THOUSAND = 300_000;

const at = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { now: NOW }, fn);

let seq = 0;
/** A verified member with 10 000 元 available, no sponsor. */
async function shopper(name: string): Promise<number> {
  seq += 1;
  const id = (await at((ctx) => registerMember(ctx, { username: name, ip: `10.0.3.${seq}`, device: `dev-f-${seq}` }))).id;
  await at((ctx) => fromMerchant(ctx, `fund:${name}`, "test", "merchant:commission", id, "available", 1_000_000));
  await at((ctx) => verifyIdentity(ctx, id, { realName: "张三丰", idNumber: testIdNumber(seq) }));
  return id;
}

/** The pending queue as the browser's first render shows it at /merchant/withdrawals?status=PENDING_REVIEW. */
async function pendingQueueHtml(locale: "zh-CN" | "en" = "zh-CN") {
  const input = { page: 1, pageSize: 20, sort: "createdAt.desc" as const, status: "PENDING_REVIEW" as const };
  const data = await withdrawalQueue(database.prisma, input, staffId);
  const params = new URLSearchParams("status=PENDING_REVIEW");
  return renderInProviders(createElement(SearchParamsContext.Provider, { value: params }, createElement(WithdrawalsClient, { canSeeRisk: true })), locale, (trpc, qc) =>
    qc.setQueryData(trpc.merchantWithdrawal.list.queryKey(input), data as never),
  ).html.replaceAll("<!-- -->", "");
}

/** The table row (<tr>) of withdrawal `id` in the rendered queue. */
function rowHtml(html: string, id: number): string {
  const rows = html.split(/<tr /).filter((r) => r.includes('data-testid="merchant-withdrawal"'));
  const row = rows.find((r) => r.includes(`data-testid="withdrawal-no" data-id="${id}"`));
  expect(row, `row of withdrawal ${id}`).toBeDefined();
  return row!.split("</tr>")[0]!;
}

beforeAll(async () => {
  database = await freshDatabase();
  staffId = (await database.prisma.staffAccount.create({ data: { username: "fin", displayName: "fin", role: "finance", passwordHash: "x", createdAt: NOW } })).id;
});
afterAll(() => database.close());

describe("a pending withdrawal whose member was frozen after asking", () => {
  it("is marked in the queue, not approvable there, and the other rows are not marked", async () => {
    const frozenMember = await shopper("asked-then-frozen");
    const cleanMember = await shopper("clean");
    const frozenPending = (await at((ctx) => requestWithdrawal(ctx, frozenMember, THREE_THOUSAND))).id;
    // The same member's earlier withdrawals: one approved (payoutBlocked once frozen), one rejected.
    const frozenApproved = (await at((ctx) => requestWithdrawal(ctx, frozenMember, THREE_THOUSAND))).id;
    expect((await at((ctx) => approveWithdrawal(ctx, frozenApproved, { staffId }))).status).toBe("APPROVED");
    const frozenRejected = (await at((ctx) => requestWithdrawal(ctx, frozenMember, THREE_THOUSAND))).id;
    await at((ctx) => rejectWithdrawal(ctx, frozenRejected, { staffId }, "资料不符"));
    const cleanPending = (await at((ctx) => requestWithdrawal(ctx, cleanMember, THREE_THOUSAND))).id;

    // Before the freeze nothing is marked.
    const before = (await withdrawalQueue(database.prisma, {}, staffId)).items;
    expect(before.filter((r) => r.memberFrozen).map((r) => r.id)).toEqual([]);

    await at((ctx) => setFrozen(ctx, frozenMember, true));

    const items = (await withdrawalQueue(database.prisma, {}, staffId)).items;
    const mark = (id: number) => {
      const r = items.find((i) => i.id === id)!;
      return { status: r.status, memberFrozen: r.memberFrozen, payoutBlocked: r.payoutBlocked };
    };
    expect(mark(frozenPending)).toEqual({ status: "PENDING_REVIEW", memberFrozen: true, payoutBlocked: false });
    expect(mark(frozenApproved)).toEqual({ status: "APPROVED", memberFrozen: false, payoutBlocked: true });
    expect(mark(frozenRejected)).toEqual({ status: "REJECTED", memberFrozen: false, payoutBlocked: false });
    expect(mark(cleanPending)).toEqual({ status: "PENDING_REVIEW", memberFrozen: false, payoutBlocked: false });

    // The server refuses the approval the row no longer offers (unchanged: no money moves).
    await expect(at((ctx) => approveWithdrawal(ctx, frozenPending, { staffId }))).rejects.toThrow("会员账户已冻结");

    const html = await pendingQueueHtml();
    const frozenRow = rowHtml(html, frozenPending);
    const cleanRow = rowHtml(html, cleanPending);
    // 已冻结 beside the status, a disabled 通过 with the reason, no checkbox; 驳回 stays.
    expect(frozenRow).toMatch(/data-testid="withdrawal-frozen"><span [^>]*>已冻结<\/span>/);
    expect(frozenRow).toMatch(/<button type="button" disabled="" title="会员已冻结，不能通过：请驳回，金额退回余额" aria-describedby="frozen-blocked-\d+" data-testid="withdrawal-approve-blocked" data-blocked="frozen"[^>]*>通过<\/button>/);
    expect(frozenRow).toMatch(new RegExp(`<span id="frozen-blocked-${frozenPending}" [^>]*data-testid="withdrawal-approve-blocked-reason">会员已冻结，不能通过：请驳回，金额退回余额</span>`));
    expect(frozenRow).not.toContain('type="checkbox"');
    expect(frozenRow).toMatch(/<button [^>]*>驳回<\/button>/);
    // The member who is not frozen: 通过 offered, selectable, no mark.
    expect(cleanRow).not.toContain("withdrawal-frozen");
    expect(cleanRow).not.toContain("withdrawal-approve-blocked");
    expect(cleanRow).toContain('type="checkbox"');
    expect(cleanRow).toMatch(/<button type="button" class="[^"]*">通过<\/button>/);
    expect(html.match(/data-testid="withdrawal-frozen"/g)).toHaveLength(1);

    const en = rowHtml(await pendingQueueHtml("en"), frozenPending);
    expect(en).toMatch(/data-testid="withdrawal-frozen"><span [^>]*>Frozen<\/span>/);
    expect(en).toContain("Member frozen, cannot be approved: reject it, the money goes back to the balance");
  });

  it("leaves 全选本页可审核 nothing to choose when the page has only the frozen member's", async () => {
    // The clean member's withdrawal decided: the page of pending ones holds only the frozen member's.
    const clean = (await withdrawalQueue(database.prisma, { status: "PENDING_REVIEW" }, staffId)).items.filter((r) => !r.memberFrozen);
    for (const r of clean) await at((ctx) => approveWithdrawal(ctx, r.id, { staffId }));
    const html = await pendingQueueHtml();
    expect(html.match(/data-testid="merchant-withdrawal"/g)).toHaveLength(1);
    expect(html).toMatch(/<input type="checkbox" aria-label="全选本页可审核" disabled=""/);
  });
});
