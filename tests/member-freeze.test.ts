// Freeze / unfreeze by staff (SPEC §8, /merchant/members). Found in review: (1) the shopper was told nothing when staff
// froze or unfroze them; now each change writes one in-app notice in the freeze's own transaction, worded neutrally
// (never staff's reason, which is an audit-log note, nor a risk rule) and pointing to the shop's contacts. (2) An
// operator could lift the freeze the risk review makes at three rejections; now only a role that reviews risk (the
// owner) can, refused for others with RISK_FREEZE_REVIEWER_ONLY, while a freeze staff made stays liftable as before.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { appRouter } from "../server/api/root";
import type { TRPCContext } from "../server/api/trpc";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { setMemberFrozen } from "../server/members/admin";
import { STAFF_COOKIE } from "../server/staff/sessions";
import { createT } from "../lib/i18n/core";
import { en } from "../lib/i18n/messages/en";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { noticeText } from "../lib/i18n/notices";
import { errorText, type ServerError } from "../lib/i18n/labels";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { domainRefusal, signedInStaff } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
let db: Db;
let staff: Record<"owner" | "operator", Awaited<ReturnType<typeof signedInStaff>>>;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  staff = { owner: await signedInStaff(db, "owner"), operator: await signedInStaff(db, "operator") };
});
afterAll(() => database.close());

const HOUR = 3600_000;
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now }, fn);
let seq = 0;
const join = () => run(new Date(Date.now() - 48 * HOUR), (ctx) => registerMember(ctx, { username: `fz${++seq}`, ip: `203.0.113.${seq}`, device: `fz-dev-${seq}` })).then((m) => m.id);

/** A risk event flagging the member, then the reviewer's rejection, at `now`. */
async function rejectOnce(memberId: number, now: Date) {
  await run(now, (ctx) => recordRiskEvent(ctx, "refund_abuse", [memberId], [memberId], { test: true }));
  await run(now, (ctx) => reviewMember(ctx, memberId, "reject"));
}

const notices = (memberId: number) => db.notification.findMany({ where: { memberId }, orderBy: { id: "asc" }, select: { kind: true, key: true, title: true, body: true, params: true } });
const frozen = async (memberId: number) => (await db.member.findUniqueOrThrow({ where: { id: memberId } })).frozen;

describe("the shopper is told of a freeze and an unfreeze by staff", () => {
  it("one neutral notice per change, without staff's reason; none for a refused repeat", async () => {
    const m = await join();
    await staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: true, reason: "内部备注：疑似刷单团伙 shared_ip" });
    // Refused (already frozen): no second notice.
    expect(await domainRefusal(staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: true, reason: "再次冻结" }))).toBe("ALREADY_FROZEN");
    await staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: false, reason: "核实无误" });

    const frozenBody = "您的账户已被商家冻结，冻结期间不能提现，也不再获得新的佣金和奖励；仍可登录查看订单、确认收货和申请售后。如有疑问，请通过「我的」页的联系客服与商家联系";
    const unfrozenBody = "您的账户已解除冻结，可以正常获得佣金和奖励、提现。如有疑问，请通过「我的」页的联系客服与商家联系";
    expect(await notices(m)).toEqual([
      { kind: "account", key: "account.frozenByMerchant", title: "账户已冻结", body: frozenBody, params: null },
      { kind: "account", key: "account.unfrozen", title: "账户已解冻", body: unfrozenBody, params: null },
    ]);
    // Read on an English page, in English.
    const t = createT("en", en);
    expect(noticeText(t, { key: "account.frozenByMerchant", params: null, title: "", body: "" }).title).toBe("Account frozen");
    expect(noticeText(t, { key: "account.unfrozen", params: null, title: "", body: "" }).title).toBe("Account unfrozen");
  });

  it("is written in the freeze's transaction: a freeze rolled back leaves no notice", async () => {
    const m = await join();
    await expect(
      run(new Date(), async (ctx) => {
        await setMemberFrozen(ctx, m, true, "核查", { staffId: staff.operator.id }, "operator");
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect([await frozen(m), (await notices(m)).length]).toEqual([false, 0]);
  });
});

describe("a freeze the risk review made", () => {
  it("the operator cannot lift it (nothing changes, nobody is told); the owner can", async () => {
    const m = await join();
    const t0 = Date.now() - 10 * HOUR;
    for (const h of [0, 1, 2]) await rejectOnce(m, new Date(t0 + h * HOUR));
    expect(await frozen(m)).toBe(true);
    const before = (await notices(m)).length;

    expect(await domainRefusal(staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: false, reason: "客户申诉" }))).toBe("RISK_FREEZE_REVIEWER_ONLY");
    expect(await frozen(m)).toBe(true);
    expect(await db.auditLog.count({ where: { action: "member.unfrozen", target: `member:${m}` } })).toBe(0);
    expect((await notices(m)).length).toBe(before);

    await staff.owner.caller.merchantMember.setFrozen({ id: m, frozen: false, reason: "复核通过" });
    expect(await frozen(m)).toBe(false);
    expect((await notices(m)).at(-1)?.key).toBe("account.unfrozen");
  });

  it("a staff freeze stays the operator's to lift, also of a member with three rejections behind them", async () => {
    const m = await join();
    const t0 = Date.now() - 10 * HOUR;
    for (const h of [0, 1, 2]) await rejectOnce(m, new Date(t0 + h * HOUR));
    await staff.owner.caller.merchantMember.setFrozen({ id: m, frozen: false, reason: "复核通过" });
    // Frozen again by the operator, for a reason of their own, after every rejection.
    await staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: true, reason: "地址异常待核实" });
    await staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: false, reason: "已核实" });
    expect(await frozen(m)).toBe(false);
  });

  it("a rejection at the limit that finds the member frozen by staff makes the freeze the review's", async () => {
    const m = await join();
    const t0 = Date.now() - 10 * HOUR;
    for (const h of [0, 1]) await rejectOnce(m, new Date(t0 + h * HOUR));
    await staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: true, reason: "先行冻结" });
    // The third rejection, decided while the staff freeze holds: it would have frozen the member.
    await rejectOnce(m, new Date(Date.now() + 1000));
    expect(await domainRefusal(staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: false, reason: "解除先行冻结" }))).toBe("RISK_FREEZE_REVIEWER_ONLY");
    expect(await frozen(m)).toBe(true);
  });

  // Needs PostgreSQL (PGlite runs one transaction at a time).
  it.runIf(usingPostgres())("an operator's unfreeze waiting on a third rejection being decided sees it, and is refused", async () => {
    const m = await join();
    const t0 = Date.now() - 10 * HOUR;
    for (const h of [0, 1]) await rejectOnce(m, new Date(t0 + h * HOUR));
    await staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: true, reason: "先行冻结" });
    const later = new Date(Date.now() + 1000);
    await run(later, (ctx) => recordRiskEvent(ctx, "refund_abuse", [m], [m], { third: true }));
    // The third rejection, decided but not yet committed while the operator's unfreeze comes in.
    let commit!: () => void;
    let decided!: () => void;
    const gate = new Promise<void>((r) => (commit = r));
    const decidedP = new Promise<void>((r) => (decided = r));
    const review = run(later, async (ctx) => {
      await reviewMember(ctx, m, "reject");
      decided();
      await gate;
    });
    await decidedP;
    const unfreeze = domainRefusal(staff.operator.caller.merchantMember.setFrozen({ id: m, frozen: false, reason: "解除先行冻结" }));
    // Until the unfreeze waits on the review's row lock.
    for (let i = 0; i < 200; i++) {
      const [w] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if (w!.n > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    commit();
    await review;
    expect(await unfreeze).toBe("RISK_FREEZE_REVIEWER_ONLY");
    expect(await frozen(m)).toBe(true);
  });

  it("the refusal is a 400 whose code reads in Chinese and in English", async () => {
    const m = await join();
    const t0 = Date.now() - 10 * HOUR;
    for (const h of [0, 1, 2]) await rejectOnce(m, new Date(t0 + h * HOUR));
    const headers = new Headers({ host: "127.0.0.1:3110", cookie: `${STAFF_COOKIE}=${staff.operator.token}`, "content-type": "application/json" });
    const ctx: TRPCContext = { db, session: null, headers, staffToken: staff.operator.token, requestId: "test-member-freeze" };
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://127.0.0.1:3110/api/trpc/merchantMember.setFrozen", { method: "POST", headers: Object.fromEntries(headers), body: JSON.stringify({ json: { id: m, frozen: false, reason: "客户申诉" } }) }),
      router: appRouter,
      createContext: () => ctx,
    });
    expect(res.status).toBe(400);
    const e = ((await res.json()) as { error: { json: ServerError } }).error.json;
    expect(e.data?.domainCode).toBe("RISK_FREEZE_REVIEWER_ONLY");
    expect(errorText(createT("zh-CN", zhCN), e)).toBe("该会员因风控审核未通过被冻结，需由风控审核人员解冻");
    expect(errorText(createT("en", en), e)).toBe("This member was frozen by risk review: only a risk reviewer can unfreeze them");
  });
});
