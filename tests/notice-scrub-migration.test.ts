// Settled-commission notices stored before level-2/3 notices stopped naming the order (PIPL: that buyer was invited by
// someone else) are rewritten by 20261218053200_settled_notice_scrub to the wording written now: keyed rows and rows from
// before keys alike, and a WeChat message of one still queued; level 1, other notices and sent messages stay as they were.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { storedNoticeText } from "../server/notifications/text";
import { subscribePayload } from "../server/wechat/subscribe";
import { noticeText } from "../lib/i18n/notices";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";

const SCRUB = readFileSync("prisma/migrations/20261218053200_settled_notice_scrub/migration.sql", "utf8");
const AT = new Date("2026-12-10T02:00:00Z");

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.close());

/** A notification as the code before the change stored it: keyed (key + params + the zh text), or text only (before keys). */
async function stored(n: { key: string | null; params?: Record<string, unknown>; body?: string; kind?: string }) {
  const text = n.key && !n.body ? storedNoticeText(n.key as Parameters<typeof storedNoticeText>[0], n.params as Parameters<typeof storedNoticeText>[1]) : { title: "佣金已结算", body: n.body! };
  return database.prisma.notification.create({ data: { memberId: 1, kind: n.kind ?? "commission", key: n.key, params: n.params as object | undefined, ...text, createdAt: AT } });
}

async function wechat(notification: { id: number; title: string; body: string }, status: "PENDING" | "SENT") {
  const payload = subscribePayload("tpl-commission", { ...notification, createdAt: AT }, "https://shop.example.com/notifications", "Asia/Shanghai");
  return database.prisma.channelMessage.create({ data: { notificationId: notification.id, memberId: 1, channel: "wechat", kind: "commission", recipient: "openid-1", payload, status, nextAttemptAt: AT, createdAt: AT } });
}

const row = (id: number) => database.prisma.notification.findUniqueOrThrow({ where: { id } });
const message = (id: number) => database.prisma.channelMessage.findUniqueOrThrow({ where: { id } });

describe("20261218053200_settled_notice_scrub", () => {
  it("rewrites level-2/3 settled notices to the no-order-number form and leaves everything else alone", async () => {
    // Keyed, with the text that code stored then (the settled notice's wording of that day).
    const l2 = await stored({ key: "commission.settled", params: { orderNo: "FM20261201000123", level: 2, amountFen: 495 }, body: "订单 FM20261201000123 的 2 级佣金 ¥4.95 已转入可提现余额" });
    const l3 = await stored({ key: "commission.settled", params: { orderNo: "FM20261201000124", level: 3, amountFen: 123456 }, body: "订单 FM20261201000124 的 3 级佣金 ¥1234.56 已转入可提现余额" });
    const l1 = await stored({ key: "commission.settled", params: { orderNo: "FM20261201000125", level: 1, amountFen: 990 } });
    // From before keys (server/commission wrote the text only): the same wording, read back as it was stored.
    const oldL3 = await stored({ key: null, body: "订单 FM20261120000007 的 3 级佣金 ¥1.98 已转入可提现余额" });
    const oldL1 = await stored({ key: null, body: "订单 FM20261120000008 的 1 级佣金 ¥9.90 已转入可提现余额" });
    const pending = await stored({ key: "commission.pending", params: { level: 2, amountFen: 495 }, kind: "commission_pending" });
    expect(l2.body).toBe("订单 FM20261201000123 的 2 级佣金 ¥4.95 已转入可提现余额");
    const queued = await wechat(l2, "PENDING");
    const sent = await wechat(l3, "SENT");
    const untouched = await Promise.all([l1, oldL1, pending].map((n) => row(n.id)));
    const sentBefore = (await message(sent.id)).payload;

    await database.prisma.$executeRawUnsafe(SCRUB);

    expect(await row(l2.id)).toMatchObject({ kind: "commission", key: "commission.settledTeam", params: { level: 2, amountFen: 495 }, title: "佣金已结算", body: "间推好友订单的佣金 ¥4.95 已转入可提现余额" });
    expect(await row(l3.id)).toMatchObject({ key: "commission.settledTeam", params: { level: 3, amountFen: 123456 }, title: "佣金已结算", body: "再推好友订单的佣金 ¥1234.56 已转入可提现余额" });
    expect(await row(oldL3.id)).toMatchObject({ key: "commission.settledTeam", params: { level: 3, amountFen: 198 }, title: "佣金已结算", body: "再推好友订单的佣金 ¥1.98 已转入可提现余额" });
    // The rows read exactly as a notice the engine writes now, in either language, with no order number anywhere.
    for (const n of [l2, l3, oldL3]) {
      const r = await row(n.id);
      expect(JSON.stringify(r)).not.toMatch(/FM2026|orderNo/);
      if (n === l3) continue;
      expect(storedNoticeText("commission.settledTeam", r.params as { level: number; amountFen: number })).toEqual({ title: r.title, body: r.body });
    }
    // From 1 000 元 the migration's text keeps the money format of its day ("¥1234.56", above); the list renders the
    // keyed row from its parameters, in the grouped format notices are written in now.
    expect(noticeText(createT("zh-CN", MESSAGES["zh-CN"]), await row(l3.id)).body).toBe("再推好友订单的佣金 ¥1,234.56 已转入可提现余额");
    expect(storedNoticeText("commission.settledTeam", { level: 3, amountFen: 123456 }).body).toBe("再推好友订单的佣金 ¥1,234.56 已转入可提现余额");
    expect(noticeText(createT("en", MESSAGES.en), await row(l2.id)).body).toBe("An indirect referral's order: your commission of ¥4.95 is now in your available balance");

    expect(await Promise.all([l1, oldL1, pending].map((n) => row(n.id)))).toEqual(untouched);
    // thing2 holds 20 characters: the first 19 and an ellipsis.
    expect((await message(queued.id)).payload).toMatchObject({ data: { thing1: { value: "佣金已结算" }, thing2: { value: "间推好友订单的佣金 ¥4.95 已转入…" } } });
    expect((await message(sent.id)).payload).toEqual(sentBefore);

    // A second run (the migration is applied once, but a rerun must not harm) changes nothing.
    const after = await database.prisma.notification.findMany({ orderBy: { id: "asc" } });
    await database.prisma.$executeRawUnsafe(SCRUB);
    expect(await database.prisma.notification.findMany({ orderBy: { id: "asc" } })).toEqual(after);
  });
});
