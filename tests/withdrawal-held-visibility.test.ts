// SPEC §6 with §8: a withdrawal a person approved before its member was flagged is not paid while the flag is open
// (it waits, APPROVED). The merchant must see it: the back office home's "payout blocked" count takes it with the
// approved withdrawals of frozen members, the queue's `blocked` filter (the home notice's link) lists exactly those,
// and its row says the payout is held for the risk review (payoutHeld), until the review decides.
import { createElement } from "react";
import { SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { approveWithdrawal, payApprovedWithdrawals, requestWithdrawal } from "../server/wallet/withdrawals";
import { withdrawalQueue } from "../server/wallet/review";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { setFrozen } from "../server/members/status-history";
import { backOfficeHome } from "../server/kpi/home";
import { WithdrawalsClient } from "../app/merchant/withdrawals/WithdrawalsClient";
import { freshDatabase } from "./helpers/db";
import { renderInProviders } from "./helpers/render";
import { nextTestIdNumber } from "./helpers/id-numbers";

let database: Database;
let staffId: number;
// 10:00 on 1 December 2026, merchant time (Asia/Shanghai).
const NOW = new Date("2026-12-01T02:00:00Z");
const HUNDRED = 10_000;
// Above the automatic limit (2 000 元): one person approves.
const THREE_THOUSAND = 300_000;

const at = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { now: NOW }, fn);
const blockedCount = async () => (await backOfficeHome(database.prisma, NOW, "Asia/Shanghai", "owner")).todo.payoutsBlocked;
const blockedRows = async () => (await withdrawalQueue(database.prisma, { blocked: true })).items.map((r) => ({ id: r.id, payoutHeld: r.payoutHeld, payoutBlocked: r.payoutBlocked }));

/** The queue as the browser's first render shows it at the home notice's link (/merchant/withdrawals?status=APPROVED&payout=blocked). */
async function blockedQueueHtml(locale: "zh-CN" | "en" = "zh-CN") {
  const input = { page: 1, pageSize: 20, sort: "createdAt.desc" as const, status: "APPROVED" as const, blocked: true };
  const data = await withdrawalQueue(database.prisma, input, staffId);
  const params = new URLSearchParams("status=APPROVED&payout=blocked");
  return renderInProviders(createElement(SearchParamsContext.Provider, { value: params }, createElement(WithdrawalsClient, { canSeeRisk: true })), locale, (trpc, qc) =>
    qc.setQueryData(trpc.merchantWithdrawal.list.queryKey(input), data as never),
  ).html.replaceAll("<!-- -->", "");
}

let seq = 0;
/** A verified member with 5 000 元 available, no sponsor. */
async function shopper(name: string): Promise<number> {
  seq += 1;
  const id = (await at((ctx) => registerMember(ctx, { username: name, ip: `10.0.2.${seq}`, device: `dev-h-${seq}` }))).id;
  await at((ctx) => fromMerchant(ctx, `fund:${name}`, "test", "merchant:commission", id, "available", 500_000));
  await at((ctx) => verifyIdentity(ctx, id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  return id;
}

async function approvedByStaff(memberId: number) {
  const w = await at((ctx) => requestWithdrawal(ctx, memberId, THREE_THOUSAND));
  expect((await at((ctx) => approveWithdrawal(ctx, w.id, { staffId }))).status).toBe("APPROVED");
  return w.id;
}

beforeAll(async () => {
  database = await freshDatabase();
  staffId = (await database.prisma.staffAccount.create({ data: { username: "fin", displayName: "fin", role: "finance", passwordHash: "x", createdAt: NOW } })).id;
});
afterAll(() => database.close());

describe("an approved withdrawal whose member was flagged since", () => {
  it("counts as payout blocked on the home, is listed by the blocked filter and says it waits for the risk review", async () => {
    const flaggedMember = await shopper("approved-then-flagged");
    const frozenMember = await shopper("approved-then-frozen");
    const cleanMember = await shopper("clean");
    const held = await approvedByStaff(flaggedMember);
    const frozen = await approvedByStaff(frozenMember);
    // 100 元: approved automatically, paid by the next payout run: not blocked.
    const ready = (await at((ctx) => requestWithdrawal(ctx, cleanMember, HUNDRED))).id;
    expect(await blockedCount()).toBe(0);

    await at((ctx) => recordRiskEvent(ctx, "refund_abuse", [flaggedMember], [flaggedMember], { refundsIn30Days: 3 }));
    await at((ctx) => setFrozen(ctx, frozenMember, true));

    // The flagged member's and the frozen member's approved withdrawals: neither will be paid now.
    expect(await blockedCount()).toBe(2);
    expect(await blockedRows()).toEqual(
      expect.arrayContaining([
        { id: held, payoutHeld: true, payoutBlocked: false },
        { id: frozen, payoutHeld: false, payoutBlocked: true },
      ]),
    );
    expect((await blockedRows()).length).toBe(2);
    // Its row says why 打款 waits and points to the member's risk review (the frozen one's says to reject it).
    const html = await blockedQueueHtml();
    expect(html.match(/data-testid="withdrawal-payout-held"/g)).toHaveLength(1);
    expect(html).toContain("风控待审：已批准，但会员有未处理的风控标记，暂停打款");
    expect(html).toMatch(new RegExp(`data-testid="withdrawal-payout-held">[^<]*<a [^>]*href="/merchant/risk/${flaggedMember}">去风控中心处理</a>`));
    expect(html.match(/data-testid="withdrawal-blocked"/g)).toHaveLength(1);
    expect(await blockedQueueHtml("en")).toContain("Risk hold: approved, but the member has an open risk flag, so the payout waits");
    const all = (await withdrawalQueue(database.prisma, {})).items;
    expect(all.find((r) => r.id === ready)).toMatchObject({ status: "APPROVED", payoutHeld: false, payoutBlocked: false, riskFlagged: false });

    // The review approves the member: the payout takes it again, and only the frozen member's stays blocked.
    await at((ctx) => reviewMember(ctx, flaggedMember, "approve"));
    expect(await blockedCount()).toBe(1);
    expect(await blockedRows()).toEqual([{ id: frozen, payoutHeld: false, payoutBlocked: true }]);
    await payApprovedWithdrawals(database.prisma, NOW);
    expect(await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: held } })).toMatchObject({ status: "PAID" });
  });

  it("is not counted for a role that does not handle withdrawals", async () => {
    expect((await backOfficeHome(database.prisma, NOW, "Asia/Shanghai", "operator")).todo.payoutsBlocked).toBeNull();
  });
});
