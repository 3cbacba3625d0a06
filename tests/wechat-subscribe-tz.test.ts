// A WeChat subscription message's time (time3) reads in the merchant's time zone (rules `timeZone`), as every other
// calendar figure of the shop, not in a fixed Asia/Shanghai: a notification written at 2026-12-01 03:00 UTC reads
// 2026-12-01 11:00 for a Shanghai shop, 2026-12-01 12:00 for a Tokyo one and 2026-11-30 22:00 for a New York one.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { enqueueChannelMessages } from "../server/notifications/channels";
import { freshPglite } from "./helpers/db";

const WX = { WECHAT_APPID: "wx-tz-test", WECHAT_APP_SECRET: "secret", WECHAT_TEMPLATE_PAYMENT: "TPL_PAY", SITE_URL: "https://shop.example.com" };
const T = new Date("2026-12-01T03:00:00.000Z");
let database: Database;
let memberId: number;

beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  memberId = (await inTx(db, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "wx" }))).id;
  await db.externalAccount.create({ data: { memberId, platform: "wechat", appId: WX.WECHAT_APPID, subject: "oTzUser0000000000000000000001", createdAt: T } });
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.prisma.channelMessage.deleteMany({});
});

/** The time3 of the message queued for a payment notice written at T under the shop's time zone `timeZone`. */
async function time3(timeZone: string): Promise<string> {
  const db = database.prisma;
  const n = await db.notification.create({ data: { memberId, kind: "payment", title: "支付成功", body: "订单 FM1 已支付", createdAt: T } });
  await db.$transaction((tx) => enqueueChannelMessages(tx, n, timeZone, WX));
  const m = await db.channelMessage.findFirstOrThrow({ where: { notificationId: n.id } });
  return (m.payload as { data: { time3: { value: string } } }).data.time3.value;
}

describe("a WeChat subscription message's time", () => {
  it("is written in the merchant's time zone", async () => {
    expect(await time3("Asia/Shanghai")).toBe("2026-12-01 11:00");
  });
  it("follows a shop in another zone, its date included", async () => {
    expect(await time3("Asia/Tokyo")).toBe("2026-12-01 12:00");
    expect(await time3("America/New_York")).toBe("2026-11-30 22:00");
  });
});
