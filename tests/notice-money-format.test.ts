// Money in notices reads as everywhere else in the app (components/money.ts formatYuanGrouped: "¥2,500.55"), in the
// stored Chinese text and in the list in either language: formatted once, where a notice's `<name>Fen` parameter
// becomes its `{<name>}` (lib/i18n/notices.ts), and no message writes a ¥ or 元 of its own around it.
import { describe, expect, it } from "vitest";
import { storedNoticeText } from "../server/notifications/text";
import { noticesZhCN, type NoticeKey } from "../lib/i18n/messages/notices.zh-CN";
import { noticesEn } from "../lib/i18n/messages/notices.en";
import { noticeText } from "../lib/i18n/notices";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const MONEY = ["amount", "cashback", "sales", "total"];

/** The notice keys whose body shows money, and which of its placeholders are money. */
const withMoney = Object.keys(noticesZhCN)
  .filter((k) => k.endsWith(".body"))
  .map((k) => ({ key: k.slice("notice.".length, -".body".length) as NoticeKey, money: [...noticesZhCN[k as keyof typeof noticesZhCN].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((n) => MONEY.includes(n)) }))
  .filter((n) => n.money.length > 0);

/** Parameters with every money placeholder 2 500.55 元 (250 055 fen), and the other placeholders filled. */
const paramsOf = (money: string[]) => ({ level: 1, n: 3, count: 2, month: "2026-03", orderNo: "FM001", bucket: "available", reason: "活动补贴", rateBps: 500, ...Object.fromEntries(money.map((m) => [`${m}Fen`, 250_055])) });

describe("money in a notice", () => {
  it("is found in the catalogue (commissions, cashback, bonuses, adjustments, a rejected withdrawal)", () => {
    expect(withMoney.map((n) => n.key)).toEqual(expect.arrayContaining(["commission.settled", "rebate.paid", "stepBonus.topUp", "wallet.credited", "wallet.debited", "withdrawal.rejected", "withdrawal.rejectedWithReason"]));
  });

  it.each(withMoney)("$key reads ¥2,500.55 in the stored text and in zh and en", ({ key, money }) => {
    const params = paramsOf(money);
    const stored = storedNoticeText(key, params);
    for (const body of [stored.body, noticeText(zh, { key, params, title: "", body: "" }).body, noticeText(en, { key, params, title: "", body: "" }).body]) {
      expect(body.split("¥2,500.55").length - 1, body).toBe(money.length);
      expect(body, body).not.toMatch(/2500\.55|¥¥|2,500\.55 ?元/);
    }
  });

  it("the catalogues write no ¥ or 元 beside a money placeholder", () => {
    for (const messages of [noticesZhCN, noticesEn] as Record<string, string>[]) {
      for (const [k, text] of Object.entries(messages)) expect(text, k).not.toMatch(/¥\{|\}\s*元/);
    }
  });

  it("a rejected withdrawal of 250 055 fen, by hand", () => {
    const params = { amountFen: 250_055, reason: "收款信息与实名不符，请核对后重新申请" };
    expect(storedNoticeText("withdrawal.rejectedWithReason", params).body).toBe("提现 ¥2,500.55 被驳回，金额已退回可提现余额。驳回原因：收款信息与实名不符，请核对后重新申请");
    expect(noticeText(en, { key: "withdrawal.rejectedWithReason", params, title: "", body: "" }).body).toBe(
      "Your withdrawal of ¥2,500.55 was rejected; the amount is back in your available balance. Reason: “收款信息与实名不符，请核对后重新申请”",
    );
  });
});
