// WeChat subscription notifications beside in-app notifications: a paid order (and a shipment) of a
// member with a WeChat openid queues a message in the same transaction; it is sent to a local server
// speaking /cgi-bin/message/subscribe/bizsend with WeChat's errcodes; a failing API is retried with
// backoff until it succeeds (never lost), a refusal for good (43101 not subscribed) is skipped, and
// after the last attempt the message is dead-lettered.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import { CHANNEL_MAX_ATTEMPTS, sendDueChannelMessages } from "../../server/notifications/channels";
import { freshDatabase } from "../helpers/db";
import { WechatApiTestServer } from "../helpers/wechat-api-server";

const config = parseConfig({});
let database: Database;
let wx: WechatApiTestServer;
let withOpenid: number;
let withoutOpenid: number;
const OPENID = "oMsgUser000000000000000000001";

beforeAll(async () => {
  wx = await new WechatApiTestServer().start();
  wx.templates.add("TPL_PAY").add("TPL_SHIP");
  wx.subscribers.add(OPENID);
  vi.stubEnv("WECHAT_APPID", wx.appId);
  vi.stubEnv("WECHAT_APP_SECRET", wx.appSecret);
  vi.stubEnv("WECHAT_API_BASE", wx.baseUrl);
  vi.stubEnv("WECHAT_TEMPLATE_PAYMENT", "TPL_PAY");
  vi.stubEnv("WECHAT_TEMPLATE_SHIPMENT", "TPL_SHIP");
  vi.stubEnv("SITE_URL", "https://shop.example.com");
  database = await freshDatabase();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 12_345, category: "tea", stock: 50 });
  withOpenid = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "wx" }))).id;
  withoutOpenid = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "sms" }))).id;
  await db.externalAccount.create({ data: { memberId: withOpenid, platform: "wechat", appId: wx.appId, subject: OPENID, createdAt: new Date() } });
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await wx.stop();
  await database.close();
});
beforeEach(async () => {
  wx.messages.length = 0;
  wx.bizsendFailures.length = 0;
  await database.prisma.channelMessage.deleteMany({});
});

const T0 = new Date("2026-12-01T06:30:00.000Z"); // 14:30 in Shanghai

async function paidOrder(memberId: number, now = T0) {
  const db = database.prisma;
  const order = await inTx(db, { config, now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
  await inTx(db, { config, now }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `t-${order.id}`, amountFen: order.payableFen, currency: "CNY" }));
  return order;
}

describe("WeChat subscription notifications", () => {
  it("a payment queues one message with the in-app notification, and it goes out as the template WeChat expects", async () => {
    const order = await paidOrder(withOpenid);
    const queued = await database.prisma.channelMessage.findMany();
    expect(queued).toHaveLength(1);
    const note = await database.prisma.notification.findUniqueOrThrow({ where: { id: queued[0].notificationId } });
    expect(note).toMatchObject({ memberId: withOpenid, kind: "payment", title: "支付成功" });
    expect(queued[0]).toMatchObject({ status: "PENDING", recipient: OPENID, kind: "payment" });

    expect(await sendDueChannelMessages(database.prisma, T0)).toBe(1);
    // thing.DATA holds 20 characters: the body is cut to 19 and an ellipsis (WeChat refuses longer, 47003).
    expect(wx.messages).toEqual([
      { touser: OPENID, template_id: "TPL_PAY", page: "https://shop.example.com/notifications", data: { thing1: { value: "支付成功" }, thing2: { value: `${`订单 ${order.orderNo}`.slice(0, 19)}…` }, time3: { value: "2026-12-01 14:30" } } },
    ]);
    expect(await database.prisma.channelMessage.findFirstOrThrow()).toMatchObject({ status: "SENT", attempts: 1, sentAt: T0 });
    // Sent once: the next sweep has nothing to do.
    expect(await sendDueChannelMessages(database.prisma, new Date(T0.getTime() + 3600_000))).toBe(0);
    expect(wx.messages).toHaveLength(1);
  });

  it("when the message API fails it is retried with backoff until it succeeds (nothing lost, nothing sent twice)", async () => {
    const order = await paidOrder(withOpenid);
    await inTx(database.prisma, { config, now: T0 }, (ctx) => shipOrder(ctx, order.id));
    wx.bizsendFailures.push(-1, -1, -1); // system busy, three times
    expect(await sendDueChannelMessages(database.prisma, T0)).toBe(0); // both fail (attempt 1)
    let rows = await database.prisma.channelMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.kind, r.status, r.attempts, r.lastError])).toEqual([
      ["payment", "PENDING", 1, "WeChat errcode -1"],
      ["shipment", "PENDING", 1, "WeChat errcode -1"],
    ]);
    expect(rows[0].nextAttemptAt).toEqual(new Date(T0.getTime() + 30_000));
    // Not due yet 10 s later: nothing asked.
    expect(await sendDueChannelMessages(database.prisma, new Date(T0.getTime() + 10_000))).toBe(0);
    expect(wx.bizsendFailures).toEqual([-1]);
    // 30 s later: the first fails again (attempt 2, waits 1 min), the second goes out.
    expect(await sendDueChannelMessages(database.prisma, new Date(T0.getTime() + 30_000))).toBe(1);
    rows = await database.prisma.channelMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["PENDING", 2], ["SENT", 2]]);
    expect(rows[0].nextAttemptAt).toEqual(new Date(T0.getTime() + 90_000));
    expect(await sendDueChannelMessages(database.prisma, new Date(T0.getTime() + 90_000))).toBe(1);
    expect(wx.messages.map((m) => m.template_id).sort()).toEqual(["TPL_PAY", "TPL_SHIP"]);
    expect(wx.messages.find((m) => m.template_id === "TPL_SHIP")!.data.thing1.value).toBe("订单已发货");
  });

  it("a stale access_token (40001) is fetched afresh and the message still goes out", async () => {
    await paidOrder(withOpenid);
    await database.prisma.wechatCredential.upsert({
      where: { key: `access_token:${wx.appId}` },
      create: { key: `access_token:${wx.appId}`, value: "REVOKED", expiresAt: new Date(Date.now() + 3600_000) },
      update: { value: "REVOKED", expiresAt: new Date(Date.now() + 3600_000) },
    });
    expect(await sendDueChannelMessages(database.prisma, T0)).toBe(0);
    expect((await database.prisma.channelMessage.findFirstOrThrow()).lastError).toBe("WeChat errcode 40001");
    expect(await sendDueChannelMessages(database.prisma, new Date(T0.getTime() + 30_000))).toBe(1);
    expect(wx.messages).toHaveLength(1);
  });

  it("a member who did not subscribe (43101) is skipped for good; a member without WeChat gets the in-app notification only", async () => {
    wx.subscribers.delete(OPENID);
    try {
      await paidOrder(withOpenid);
      await sendDueChannelMessages(database.prisma, T0);
      expect(await database.prisma.channelMessage.findFirstOrThrow()).toMatchObject({ status: "SKIPPED", attempts: 1, lastError: "WeChat errcode 43101" });
      expect(await sendDueChannelMessages(database.prisma, new Date(T0.getTime() + 86_400_000))).toBe(0);
    } finally {
      wx.subscribers.add(OPENID);
    }
    await database.prisma.channelMessage.deleteMany({});
    await paidOrder(withoutOpenid);
    expect(await database.prisma.channelMessage.count()).toBe(0);
    expect(await database.prisma.notification.count({ where: { memberId: withoutOpenid, kind: "payment" } })).toBe(1);
  });

  it("a message erased while it is being sent (注销账号) ends the sweep without an error; the others still go out", async () => {
    const db = database.prisma;
    await paidOrder(withOpenid);
    await paidOrder(withOpenid);
    const [first, second] = await db.channelMessage.findMany({ orderBy: { id: "asc" } });
    const sent: number[] = [];
    // The first message's row is deleted during its HTTP call, as the account's deletion would.
    const channel = {
      name: "wechat",
      send: async ({ payload }: { recipient: string; payload: unknown }) => {
        if (sent.length === 0) await db.channelMessage.delete({ where: { id: first!.id } });
        sent.push(sent.length);
        void payload;
      },
    };
    expect(await sendDueChannelMessages(db, T0, [channel])).toBe(2);
    expect(sent).toEqual([0, 1]);
    expect(await db.channelMessage.findUnique({ where: { id: first!.id } })).toBeNull();
    expect(await db.channelMessage.findUniqueOrThrow({ where: { id: second!.id } })).toMatchObject({ status: "SENT", attempts: 1 });
  });

  it("after the last attempt the message is dead-lettered with an alert", async () => {
    await paidOrder(withOpenid);
    wx.bizsendFailures.push(...Array(CHANNEL_MAX_ATTEMPTS).fill(-1));
    let now = T0;
    for (let i = 0; i < CHANNEL_MAX_ATTEMPTS; i++) {
      await sendDueChannelMessages(database.prisma, now);
      now = new Date(now.getTime() + 7 * 3600_000);
    }
    expect(await database.prisma.channelMessage.findFirstOrThrow()).toMatchObject({ status: "DEAD", attempts: CHANNEL_MAX_ATTEMPTS });
    expect(console.error).toHaveBeenCalledWith(expect.stringMatching(/^\[alert\] channel message \d+ \(wechat\) dead after 8 attempts$/));
    expect(wx.messages).toHaveLength(0);
  });
});
