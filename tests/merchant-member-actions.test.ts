// The member page's actions in words (/merchant/members/<id>): the freeze dialog tells the owner what waits in
// 提现审核 and what a freeze does to it (SPEC §8: a frozen member cannot withdraw; server/wallet/withdrawals.ts refuses
// to approve or pay it, staff reject it and the money returns to `available`), the distributor dialog says what happens
// to commissions while the status is off (SPEC §4: FORFEITED, the app's 未获得, the money stays with the merchant,
// never 作废), and the sponsor-change preview says who moves in a merchant's words, not closure-table rows.
// Expected figures are reckoned by hand from the fixtures below.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createCommissionsForPaidOrder } from "../server/commission";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { requestWithdrawal } from "../server/wallet/withdrawals";
import { MESSAGES } from "../lib/i18n/messages";
import { freshPglite } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";
import { MemberDetailView } from "../app/merchant/members/[id]/MemberDetailView";
import { PreviewView } from "../app/merchant/members/_parts/SponsorChange";

const config = parseConfig({});
let database: Database;
let db: Db;
let ids: Record<string, number>;
let staff: Record<"owner" | "finance", Awaited<ReturnType<typeof signedInStaff>>>;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(db, { config }, fn);
let ipSeq = 0;
const reg = (username: string, sponsorId: number | null, nickname: string) =>
  run((c) => registerMember(c, { username, sponsorId, nickname, ip: `10.${++ipSeq}.0.1`, device: username })).then((m) => m.id);

beforeAll(async () => {
  database = await freshPglite();
  db = database.prisma;
  // 老王 → 小周 → (小吴 → 小郑, 小冯); 路人 on its own. 小周 has withdrawals in every state.
  const root = await reg("wang", null, "老王");
  const zhou = await reg("zhou", root, "小周");
  const wu = await reg("wu", zhou, "小吴");
  const zheng = await reg("zheng", wu, "小郑");
  const feng = await reg("feng", zhou, "小冯");
  const other = await reg("lu", null, "路人");
  ids = { root, zhou, wu, zheng, feng, other };
  staff = { owner: await signedInStaff(db, "owner"), finance: await signedInStaff(db, "finance") };
});
afterAll(() => database.close());

/** The member page as the browser first shows it to staff who may act (its detail read seeded), unescaped. */
async function page(id: number, locale: "zh-CN" | "en" = "zh-CN") {
  const detail = await staff.owner.caller.merchantMember.detail({ id });
  const { html } = renderInProviders(createElement(MemberDetailView, { id, canWrite: true, isOwner: true, staffId: staff.owner.id }), locale, (trpc, qc) =>
    qc.setQueryData(trpc.merchantMember.detail.queryKey({ id }), detail),
  );
  return html.replaceAll("&#x27;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}
const part = (html: string, testId: string) => new RegExp(`data-testid="${testId}"[^>]*>(.*?)</p>`).exec(html)?.[1].replace(/<[^>]+>/g, "") ?? null;

describe("the freeze dialog and the member's withdrawals in flight", () => {
  it("counts the withdrawals a freeze stops (to review, approved not paid), not the ones paid, paying or rejected", async () => {
    const zhou = ids.zhou!;
    await run((c) => fromMerchant(c, "fund-zhou", "test", "merchant:commission", zhou, "available", 1_000_000));
    await run((c) => verifyIdentity(c, zhou, { realName: "周小明", idNumber: "11010519491231002X" }));
    // 2 500 元 alone is above the 2 000 元 automatic limit: it waits for review (SPEC §6); the day's later ones too.
    const big = await run((c) => requestWithdrawal(c, zhou, 250_000));
    const approved = await run((c) => requestWithdrawal(c, zhou, 100_000));
    const rejected = await run((c) => requestWithdrawal(c, zhou, 120_000));
    const paying = await run((c) => requestWithdrawal(c, zhou, 130_000));
    const paid = await run((c) => requestWithdrawal(c, zhou, 140_000));
    expect([big, approved, rejected, paying, paid].map((w) => w.status)).toEqual(Array(5).fill("PENDING_REVIEW"));
    await staff.finance.caller.merchantWithdrawal.reject({ id: rejected.id, reason: "资料不符" });
    // An approved one not yet paid out, one with the provider, one paid: states the payout path would reach.
    await db.withdrawal.update({ where: { id: approved.id }, data: { status: "APPROVED" } });
    await db.withdrawal.update({ where: { id: paying.id }, data: { status: "PAYING" } });
    await db.withdrawal.update({ where: { id: paid.id }, data: { status: "PAID" } });

    // Waiting: 2 500 元 (to review) + 1 000 元 (approved, unpaid) = 3 500 元 in 2 withdrawals.
    expect((await staff.owner.caller.merchantMember.detail({ id: zhou })).waitingWithdrawals).toEqual({ count: 2, amountFen: 350_000 });
    const zh = await page(zhou);
    expect(part(zh, "freeze-waiting-withdrawals")).toBe(
      "该会员有 2 笔提现（共 ¥3,500.00）在提现审核中等待处理。冻结后这些提现不能通过审核，已通过的也不会打款；需由财务在提现审核中驳回，金额退回该会员的可提现余额。 查看该会员的提现",
    );
    expect(zh).toContain(`href="/merchant/withdrawals?member=${zhou}"`);
    expect(part(await page(zhou, "en"), "freeze-waiting-withdrawals")).toContain("This member has 2 withdrawal(s) (¥3,500.00 in all) waiting in Withdrawals.");

    // What the dialog says is what happens: frozen, the waiting one cannot be approved; rejected, its 2 500 元 is available again.
    await staff.owner.caller.merchantMember.setFrozen({ id: zhou, frozen: true, reason: "核查中" });
    expect((await refusal(staff.finance.caller.merchantWithdrawal.approve({ id: big.id }))).message).toContain("冻结");
    const before = (await db.wallet.findUniqueOrThrow({ where: { memberId: zhou } })).available;
    await staff.finance.caller.merchantWithdrawal.reject({ id: big.id, reason: "账户已冻结" });
    expect(Number((await db.wallet.findUniqueOrThrow({ where: { memberId: zhou } })).available) - Number(before)).toBe(250_000);
    expect((await staff.owner.caller.merchantMember.detail({ id: zhou })).waitingWithdrawals).toEqual({ count: 1, amountFen: 100_000 });
    // The unfreeze dialog says nothing of withdrawals.
    expect(part(await page(zhou), "freeze-waiting-withdrawals")).toBeNull();
  });

  it("a member with nothing waiting is told so", async () => {
    expect((await staff.owner.caller.merchantMember.detail({ id: ids.other! })).waitingWithdrawals).toEqual({ count: 0, amountFen: 0 });
    expect(part(await page(ids.other!), "freeze-waiting-withdrawals")).toBe("该会员目前没有等待审核或打款的提现。");
  });
});

describe("distributor status: 停用 / 恢复, and its commissions 未获得, never 作废", () => {
  it("the dialog names the app's own status word for what a suspended member would have earned", async () => {
    const forfeited = MESSAGES["zh-CN"]["commission.status.FORFEITED"];
    expect(forfeited).toBe("未获得");
    const html = await page(ids.wu!);
    expect(html).toContain(`停用期间，下级订单支付时本应给该会员的佣金记为「${forfeited}」：这笔钱留在商家，不转给其他上级，恢复资格后也不补发`);
    expect(html).not.toContain("作废");
    expect(html).not.toContain("暂停");
    expect(await page(ids.wu!, "en")).toContain('is recorded as "Not earned": the money stays with the merchant');
  });

  it("once disabled: the page says 分销资格已停用, the commission of a paid order reads 未获得, and the way back is 恢复分销资格", async () => {
    await staff.owner.caller.merchantMember.setDistributor({ id: ids.wu!, enabled: false, reason: "违规推广" });
    const order = await db.order.create({ data: { orderNo: "MA-1", memberId: ids.zheng!, goodsFen: 26_800, payableFen: 26_800, createdAt: new Date(), status: "PAID" } });
    await run((c) => createCommissionsForPaidOrder(c, { id: order.id, memberId: ids.zheng!, lines: [{ goodsFen: 26_800, category: "tea" }] }));
    const html = await page(ids.wu!);
    // L1 at the default 1000 bps of 268 元: 26.80 元, recorded as not earned.
    expect(html).toMatch(/MA-1.*?未获得.*?¥26\.80/);
    expect(html).toMatch(/>分销资格已停用</);
    expect(html).toContain("分销资格已停用（");
    expect(html).toContain("恢复后，此后支付的订单按分销规则为该会员产生佣金；停用期间记为「未获得」的佣金不补发。");
    expect(html).toMatch(/data-testid="distributor-toggle">恢复分销资格</);
    expect(html).not.toContain("暂停");
  });
});

describe("the sponsor-change preview in a merchant's words", () => {
  const preview = async (id: number, locale: "zh-CN" | "en" = "zh-CN") => {
    const p = await staff.owner.caller.merchantMember.sponsorPreview({ id, to: `#${ids.other}` });
    const { html } = renderInProviders(createElement(PreviewView, { p }), locale);
    return { moved: part(html, "preview-moved"), closure: part(html, "preview-closure"), html };
  };
  const li = (html: string, testId: string) => new RegExp(`data-testid="${testId}"[^>]*>(.*?)</li>`).exec(html)![1].replace(/<!-- -->/g, "");

  it("a member with a team: the member and the N people below, how many levels deep; the uplines follow", async () => {
    // 小周's team: 小吴 and 小冯 (level 1), 小郑 (level 2): 3 people, 2 levels, 4 move in all.
    const { html } = await preview(ids.zhou!);
    expect(li(html, "preview-moved")).toBe("移动该会员及其团队 3 人（向下 2 级），共 4 人");
    expect(li(html, "preview-closure")).toBe("上级关系将随之更新：路人 及其上级成为这 4 人的上级");
    expect(html).not.toContain("关系链记录");
    const en = (await preview(ids.zhou!, "en")).html;
    expect(li(en, "preview-moved")).toBe("The member and the 3 people in their team (down to level 2 below them) move: 4 people in all");
  });

  it("a member with nobody below: only the member moves", async () => {
    const { html } = await preview(ids.feng!);
    expect(li(html, "preview-moved")).toBe("只移动该会员本人（没有下级）");
    expect(li(html, "preview-closure")).toBe("上级关系将随之更新：路人 及其上级成为该会员的上级");
  });
});
