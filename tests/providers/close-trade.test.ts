// Closing a cancelled order's unpaid trade at WeChat Pay (POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close)
// and Alipay (alipay.trade.close), through the real SDKs against the local protocol servers. Their stand-ins have no
// close, so a front in this file answers it by the published protocol (the request's signature checked with the
// merchant's key, the answer signed with the platform's) over the stand-in's own trades, and passes everything else on.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createSign, createVerify, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { cancelUnpaidOrder, createOrder } from "../../server/orders";
import { registerProvider, startPayment } from "../../server/payments";
import { performDueProviderCalls } from "../../server/payments/calls";
import { SandboxProvider } from "../../server/payments/sandbox";
import type { PaymentProvider } from "../../server/payments/provider";
import { WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { AlipayProvider } from "../../server/payments/providers/alipay";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";
import { WechatPayTestServer } from "../helpers/wechatpay-server";
import { AlipayTestServer } from "../helpers/alipay-server";

const config = parseConfig({});
let database: Database;
let memberId: number;
let wx: WechatPayTestServer;
let ali: AlipayTestServer;
let wxFront: Front;
let aliFront: Front;
let wechat: WechatPayProvider;
let alipay: AlipayProvider;

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => boolean;

/** A server answering what `handler` takes and passing every other request on to `upstream` unchanged. */
class Front {
  private server: Server | null = null;
  origin = "";
  constructor(
    private readonly upstream: () => string,
    private readonly handler: Handler,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    if (this.handler(req, body, res)) return;
    const headers = Object.entries(req.headers).filter(([k]) => !["host", "content-length", "connection"].includes(k)).map(([k, v]) => [k, String(v)] as [string, string]);
    const up = await fetch(`${this.upstream()}${req.url}`, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
    const text = await up.text();
    res.writeHead(up.status, Object.fromEntries([...up.headers].filter(([k]) => !["content-length", "content-encoding", "transfer-encoding", "connection"].includes(k))));
    res.end(text);
  }
}

/** Every close request WeChat received: its path and body, and whether its merchant signature held. */
const wxCloses: { path: string; body: string; signed: boolean }[] = [];
/** How WeChat answers the next close, when not by the trade's state (a WeChat outage). */
let wxCloseOutage: { status: number; code: string } | null = null;

/** WECHATPAY2-SHA256-RSA2048 over the request line, timestamp, nonce and body, by the merchant's key. */
function wxSigned(req: IncomingMessage, body: string): boolean {
  const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(req.headers.authorization ?? "");
  if (!m) return false;
  const f = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
  if (f.mchid !== wx.mchid || f.serial_no !== wx.merchantSerial) return false;
  return createVerify("sha256WithRSAEncryption").update(`${req.method}\n${req.url}\n${f.timestamp}\n${f.nonce_str}\n${body}\n`).verify(wx.merchant.publicKey, f.signature, "base64");
}

/** 关闭订单 as WeChat answers it: 204 signed by the platform key; errors as {code, message}. */
const wechatClose: Handler = (req, body, res) => {
  const m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/?]+)\/close$/.exec(req.url ?? "");
  if (req.method !== "POST" || !m) return false;
  const signed = wxSigned(req, body);
  wxCloses.push({ path: req.url!, body, signed });
  const fail = (status: number, code: string) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ code, message: code }));
  if (!signed) return fail(401, "SIGN_ERROR"), true;
  if (wxCloseOutage) return fail(wxCloseOutage.status, wxCloseOutage.code), true;
  if ((JSON.parse(body) as { mchid?: unknown }).mchid !== wx.mchid) return fail(400, "PARAM_ERROR"), true;
  const t = wx.trades.get(decodeURIComponent(m[1]));
  if (!t) return fail(404, "ORDER_NOT_EXIST"), true;
  if (t.trade_state === "SUCCESS") return fail(400, "ORDERPAID"), true;
  if (t.trade_state === "CLOSED") return fail(400, "ORDER_CLOSED"), true;
  t.trade_state = "CLOSED";
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString("hex").toUpperCase();
  const signature = createSign("sha256WithRSAEncryption").update(`${ts}\n${nonce}\n\n`).sign(wx.platform.privateKey, "base64");
  res.writeHead(204, { "wechatpay-timestamp": ts, "wechatpay-nonce": nonce, "wechatpay-serial": wx.platformKeyId, "wechatpay-signature": signature }).end();
  return true;
};

/** Every alipay.trade.close the gateway received: its biz_content, and whether its RSA2 signature held. */
const aliCloses: { biz: Record<string, unknown>; signed: boolean }[] = [];

const signContent = (params: Record<string, string>) =>
  Object.keys(params).filter((k) => k !== "sign" && params[k] !== "").sort().map((k) => `${k}=${params[k]}`).join("&");

/** alipay.trade.close as the gateway answers it, signed with Alipay's key. */
const alipayClose: Handler = (req, body, res) => {
  const url = new URL(req.url ?? "/", "http://local");
  const params: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(body)) };
  if (url.pathname !== "/gateway.do" || params.method !== "alipay.trade.close") return false;
  const signed = params.app_id === ali.appId && params.sign_type === "RSA2" && createVerify("RSA-SHA256").update(signContent(params), "utf8").verify(ali.app.publicKey, params.sign ?? "", "base64");
  const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, unknown>;
  aliCloses.push({ biz, signed });
  const reply = (data: Record<string, unknown>) => {
    const json = JSON.stringify(data);
    const sign = createSign("RSA-SHA256").update(json, "utf8").sign(ali.alipay.privateKey, "base64");
    res.writeHead(200, { "content-type": "application/json;charset=utf-8" }).end(`{"alipay_trade_close_response":${json},"sign":"${sign}"}`);
  };
  const fail = (sub_code: string) => reply({ code: "40004", msg: "Business Failed", sub_code, sub_msg: sub_code });
  if (!signed) return reply({ code: "40002", msg: "Invalid Arguments", sub_code: "isv.invalid-signature", sub_msg: "验签出错" }), true;
  const t = ali.trades.get(String(biz.out_trade_no));
  if (!t) return fail("ACQ.TRADE_NOT_EXIST"), true;
  if (t.trade_status !== "WAIT_BUYER_PAY") return fail("ACQ.TRADE_STATUS_ERROR"), true;
  t.trade_status = "TRADE_CLOSED";
  reply({ code: "10000", msg: "Success", trade_no: t.trade_no, out_trade_no: t.out_trade_no });
  return true;
};

beforeAll(async () => {
  wx = await new WechatPayTestServer().start();
  ali = await new AlipayTestServer().start();
  wxFront = await new Front(() => wx.baseUrl.replace(/\/$/, ""), wechatClose).start();
  aliFront = await new Front(() => ali.baseUrl, alipayClose).start();
  wechat = new WechatPayProvider({ ...wx.config(), baseUrl: `${wxFront.origin}/` });
  alipay = new AlipayProvider({ ...ali.config(), gateway: `${aliFront.origin}/gateway.do` });
  registerProvider(wechat);
  registerProvider(alipay);
  database = await freshDatabase();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 10_005, category: "tea", stock: 50 });
  memberId = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await Promise.all([wxFront.stop(), aliFront.stop()]);
  await Promise.all([wx.stop(), ali.stop()]);
  await database.close();
});

const newOrder = () => inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
const pay = (provider: string, orderId: number) => startPayment(database.prisma, { orderId, memberId, provider, baseUrl: "http://127.0.0.1:3100" });
const closeCalls = (orderId: number) => database.prisma.providerCall.findMany({ where: { orderId, kind: "CLOSE" }, select: { provider: true, idempotencyNo: true, amountFen: true, status: true } });
/** The adapter's close, as the outbox performer asks it (its transaction is the sandbox's only). */
const close = (p: PaymentProvider, reference: string) => database.prisma.$transaction((tx) => p.closePayment?.(reference, tx) ?? Promise.reject(new Error("no closePayment")));

describe("WeChat Pay 关闭订单", () => {
  it("a shopper's cancel closes the open H5 trade: POST …/out-trade-no/{reference}/close with {mchid}, signed; the shopper can no longer pay it", async () => {
    const order = await newOrder();
    const { reference } = await pay("wechatpay", order.id);
    expect(wx.trades.get(reference)?.trade_state).toBe("NOTPAY");
    expect(await inTx(database.prisma, { config }, (ctx) => cancelUnpaidOrder(ctx, order.id, "shopper"))).toBe(true);
    expect(await closeCalls(order.id)).toEqual([{ provider: "wechatpay", idempotencyNo: reference, amountFen: 10_005, status: "PENDING" }]);
    const before = wxCloses.length;
    await performDueProviderCalls(database.prisma);
    expect(wxCloses.slice(before)).toEqual([{ path: `/v3/pay/transactions/out-trade-no/${reference}/close`, body: JSON.stringify({ mchid: "1900000109" }), signed: true }]);
    expect(await closeCalls(order.id)).toEqual([expect.objectContaining({ status: "DONE" })]);
    expect(() => wx.pay(reference)).toThrow(/ORDER_CLOSED/);
    const audit = await database.prisma.auditLog.findMany({ where: { action: "payment.trade_closed", target: `order:${order.orderNo}` } });
    expect(audit.map((a) => a.data)).toEqual([{ reference, outcome: "closed" }]);
  });

  it("already closed (ORDER_CLOSED) and never created (ORDER_NOT_EXIST) are closed; paid first (ORDERPAID) is paid; an outage is thrown", async () => {
    const order = await newOrder();
    const { reference } = await pay("wechatpay", order.id);
    expect(await close(wechat, reference)).toBe("closed");
    expect(await close(wechat, reference)).toBe("closed");
    expect(await close(wechat, "NEVER-OPENED-1")).toBe("closed");
    const paid = await pay("wechatpay", (await newOrder()).id);
    wx.pay(paid.reference);
    expect(await close(wechat, paid.reference)).toBe("paid");
    wxCloseOutage = { status: 500, code: "SYSTEM_ERROR" };
    try {
      await expect(close(wechat, (await pay("wechatpay", (await newOrder()).id)).reference)).rejects.toThrow();
    } finally {
      wxCloseOutage = null;
    }
    expect(wxCloses.every((c) => c.signed)).toBe(true);
  });

  it("a close WeChat refuses is retried with backoff, then answered paid: done, and the late payment is left to its callback's refund", async () => {
    const order = await newOrder();
    const { reference } = await pay("wechatpay", order.id);
    const t0 = new Date();
    await inTx(database.prisma, { config, now: t0 }, (ctx) => cancelUnpaidOrder(ctx, order.id, "shopper"));
    wxCloseOutage = { status: 500, code: "SYSTEM_ERROR" };
    try {
      await performDueProviderCalls(database.prisma, t0);
    } finally {
      wxCloseOutage = null;
    }
    const failed = await database.prisma.providerCall.findFirstOrThrow({ where: { orderId: order.id, kind: "CLOSE" } });
    expect(failed).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(t0.getTime());
    expect(failed.lastError).toContain("SYSTEM_ERROR");
    wx.pay(reference);
    await performDueProviderCalls(database.prisma, failed.nextAttemptAt);
    expect(await closeCalls(order.id)).toEqual([expect.objectContaining({ status: "DONE" })]);
    const audit = await database.prisma.auditLog.findMany({ where: { action: "payment.trade_closed", target: `order:${order.orderNo}` } });
    expect(audit.map((a) => a.data)).toEqual([{ reference, outcome: "paid" }]);
    // No refund of its own: the payment's callback (payment.late_refunded) sends the money back, once.
    expect(await database.prisma.providerCall.count({ where: { orderId: order.id, kind: "REFUND" } })).toBe(0);
  });
});

describe("Alipay alipay.trade.close", () => {
  it("a shopper's cancel closes the trade the shopper opened, by out_trade_no, signed; Alipay then refuses to take the payment", async () => {
    const order = await newOrder();
    const { reference, cashierUrl } = await pay("alipay", order.id);
    expect(await ali.openCashier(cashierUrl)).toBe(200);
    expect(ali.trades.get(reference)?.trade_status).toBe("WAIT_BUYER_PAY");
    expect(await inTx(database.prisma, { config }, (ctx) => cancelUnpaidOrder(ctx, order.id, "shopper"))).toBe(true);
    const before = aliCloses.length;
    await performDueProviderCalls(database.prisma);
    expect(aliCloses.slice(before)).toEqual([{ biz: { out_trade_no: reference }, signed: true }]);
    expect(await closeCalls(order.id)).toEqual([{ provider: "alipay", idempotencyNo: reference, amountFen: 10_005, status: "DONE" }]);
    expect(() => ali.pay(reference)).toThrow(/交易已关闭/);
  });

  it("never opened (ACQ.TRADE_NOT_EXIST) and closed already are closed; paid first (ACQ.TRADE_STATUS_ERROR on a paid trade) is paid", async () => {
    const { reference: unopened } = await pay("alipay", (await newOrder()).id);
    expect(await close(alipay, unopened)).toBe("closed");
    const opened = await pay("alipay", (await newOrder()).id);
    await ali.openCashier(opened.cashierUrl);
    expect(await close(alipay, opened.reference)).toBe("closed");
    expect(await close(alipay, opened.reference)).toBe("closed");
    const paid = await pay("alipay", (await newOrder()).id);
    await ali.openCashier(paid.cashierUrl);
    ali.pay(paid.reference);
    expect(await close(alipay, paid.reference)).toBe("paid");
    expect(aliCloses.every((c) => c.signed)).toBe(true);
  });
});
