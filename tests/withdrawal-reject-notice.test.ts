// A withdrawal finance rejects tells the shopper why in 消息中心, not only on the wallet's row: the reason staff wrote,
// in the stored Chinese text (WeChat) and in the list in either language (the staff's Chinese quoted in English). Its
// amount reads as money does everywhere else in the app: ¥ before it, thousands grouped ("¥2,500.55"), not "2500.55 元".
// PGlite, or PostgreSQL with FM_TEST_DB=postgres.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { fromMerchant, walletOf } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { rejectWithdrawal, requestWithdrawal } from "../server/wallet/withdrawals";
import { noticeText } from "../lib/i18n/notices";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const REASON = "收款信息与实名不符，请核对后重新申请";

describe("the notice of a rejected withdrawal", () => {
  let database: Database;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);
  let memberId: number;
  let staffId: number;

  beforeEach(async () => {
    database = await freshDatabase();
    memberId = (await run((ctx) => registerMember(ctx, { username: "shopper" }))).id;
    staffId = (await database.prisma.staffAccount.create({ data: { username: "fin", displayName: "fin", role: "finance", passwordHash: "-", createdAt: new Date() } })).id;
    // 10 000 元 available.
    await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", memberId, "available", 1_000_000));
    await run((ctx) => verifyIdentity(ctx, memberId, { realName: "张三丰", idNumber: "11010519491231002X" }));
  });
  afterEach(() => database.close());

  const notices = () => database.prisma.notification.findMany({ where: { memberId, kind: "withdrawal" }, orderBy: { id: "asc" } });

  it("says the amount as ¥2,500.55 and the reason staff gave, in zh and en", async () => {
    // 2 500.55 元: above 2 000 元, so it waits for an approver, who rejects it.
    const w = await run((ctx) => requestWithdrawal(ctx, memberId, 250_055));
    expect(w.status).toBe("PENDING_REVIEW");
    await run((ctx) => rejectWithdrawal(ctx, w.id, { staffId }, REASON));
    expect(await run((ctx) => walletOf(ctx, memberId))).toMatchObject({ available: 1_000_000, withdrawing: 0 });

    const [n, ...more] = await notices();
    expect(more).toEqual([]);
    const zhBody = "提现 ¥2,500.55 被驳回，金额已退回可提现余额。驳回原因：收款信息与实名不符，请核对后重新申请";
    // Stored (what WeChat and a row read without its key show), and as the zh-CN list renders it: the same.
    expect({ title: n!.title, body: n!.body }).toEqual({ title: "提现被驳回", body: zhBody });
    expect(noticeText(zh, n!)).toEqual({ title: "提现被驳回", body: zhBody });
    expect(noticeText(en, n!)).toEqual({
      title: "Withdrawal rejected",
      body: "Your withdrawal of ¥2,500.55 was rejected; the amount is back in your available balance. Reason: “收款信息与实名不符，请核对后重新申请”",
    });
  });

  it("a row stored before: keyed, it reads in the new money format (no reason was kept); without a key, as it was stored", async () => {
    const at = new Date("2026-12-01T02:00:00Z");
    const old = "提现 2500.55 元被驳回，金额已退回可提现余额";
    const keyed = await database.prisma.notification.create({ data: { memberId, kind: "withdrawal", key: "withdrawal.rejected", params: { amountFen: 250_055 }, title: "提现被驳回", body: old, createdAt: at } });
    const unkeyed = await database.prisma.notification.create({ data: { memberId, kind: "withdrawal", key: null, title: "提现被驳回", body: old, createdAt: at } });
    expect(noticeText(zh, keyed).body).toBe("提现 ¥2,500.55 被驳回，金额已退回可提现余额");
    expect(noticeText(en, keyed).body).toBe("Your withdrawal of ¥2,500.55 was rejected; the amount is back in your available balance");
    expect(noticeText(zh, unkeyed).body).toBe(old);
    expect(noticeText(en, unkeyed).body).toBe(old);
  });
});
