// A local WeChat Pay API v3 server that follows the published protocol: it checks the merchant's
// WECHATPAY2-SHA256-RSA2048 Authorization signature on every request, signs every answer with its
// own platform key (Wechatpay-Timestamp/Nonce/Serial/Signature), and builds callbacks whose resource
// is AEAD_AES_256_GCM-encrypted with the APIv3 key. Keys and (optionally) a platform certificate are
// generated per test run; nothing here trusts the client.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { createCipheriv, createHash, createPrivateKey, createPublicKey, createSign, createVerify, generateKeyPairSync, privateDecrypt, randomBytes, constants, type KeyObject } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { WechatPayConfig } from "../../server/payments/providers/wechatpay";

export interface SignedCallback {
  body: string;
  headers: Record<string, string>;
}

interface Trade {
  appid: string;
  out_trade_no: string;
  total: number;
  notify_url: string;
  openid?: string;
  trade_state: "NOTPAY" | "SUCCESS" | "CLOSED";
  transaction_id?: string;
  prepay_id: string;
  /** The merchant's time_expire (RFC 3339), as sent. */
  time_expire?: string;
  /** When the shopper paid, by WeChat's clock. */
  success_time?: Date;
}

interface Refund {
  out_refund_no: string;
  transaction_id: string;
  refund: number;
  total: number;
  notify_url: string;
  refund_id: string;
  status: "PROCESSING" | "SUCCESS" | "CLOSED" | "ABNORMAL";
  success_time?: Date;
  /** When WeChat accepted it, by its clock. */
  create_time: Date;
}

interface Batch {
  out_batch_no: string;
  batch_id: string;
  total_amount: number;
  openid: string;
  user_name: string | null;
  batch_status: "ACCEPTED" | "PROCESSING" | "FINISHED" | "CLOSED";
  detail_status: "PROCESSING" | "SUCCESS" | "FAIL";
  fail_reason?: string;
}

/** A 商家转账 bill (the upgraded API): the payee confirms receipt in WeChat while it is WAIT_USER_CONFIRM. */
interface TransferBill {
  out_bill_no: string;
  transfer_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  transfer_amount: number;
  transfer_remark: string;
  user_name: string | null;
  user_recv_perception?: string;
  report_infos: Record<string, string>;
  /** Where WeChat posts MCHTRANSFER.BILL.FINISHED once the bill ends (optional in the API). */
  notify_url?: string;
  package_info: string;
  state: "ACCEPTED" | "PROCESSING" | "WAIT_USER_CONFIRM" | "TRANSFERING" | "SUCCESS" | "FAIL" | "CANCELING" | "CANCELLED";
  fail_reason?: string;
  create_time: Date;
  update_time: Date;
}

/** The 报备信息 each scene requires (WeChat refuses a bill without them: "需传入转账场景报备信息"). */
const SCENE_REPORT_TYPES: Record<string, string[]> = { "1000": ["活动名称", "奖励说明"], "1005": ["岗位类型", "报酬说明"] };

function keyPair() {
  return generateKeyPairSync("rsa", { modulusLength: 2048 });
}

/** WeChat's clock, Beijing time: "yyyy-MM-dd HH:mm:ss" (the bill), and RFC 3339 with +08:00 (the API). */
const beijing = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
const rfc3339 = (at: Date) => `${beijing(at).replace(" ", "T")}+08:00`;

const pem = (k: KeyObject) => k.export({ type: k.type === "private" ? "pkcs8" : "spki", format: "pem" }).toString();

/** A self-signed platform certificate made with the openssl CLI (Node cannot issue X.509 itself). */
function selfSignedCert(privateKey: KeyObject): { cert: string; serial: string } {
  const dir = mkdtempSync(join(tmpdir(), "wxp-cert-"));
  writeFileSync(join(dir, "key.pem"), pem(privateKey));
  const serial = randomBytes(16).toString("hex").toUpperCase().replace(/^0/, "1");
  execFileSync("openssl", ["req", "-x509", "-new", "-key", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "2", "-subj", "/CN=Tenpay.com Root CA local/O=local test", "-set_serial", `0x${serial}`]);
  return { cert: execFileSync("cat", [join(dir, "cert.pem")]).toString(), serial };
}

/** Fixed keys for a server in another process (the e2e stand-in): PEM private keys; public ones are derived. */
export interface WechatPayServerKeys {
  appid: string;
  merchantSerial: string;
  apiV3Key: string;
  merchantPrivateKey: string;
  platformPrivateKey: string;
  platformKeyId: string;
}

function fromPrivatePem(text: string) {
  const privateKey = createPrivateKey(text);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export class WechatPayTestServer {
  readonly mchid = "1900000109";
  readonly appid: string;
  readonly merchantSerial: string;
  readonly apiV3Key: string;
  readonly merchant: { privateKey: KeyObject; publicKey: KeyObject };
  readonly platform: { privateKey: KeyObject; publicKey: KeyObject };
  readonly platformKeyId: string;
  readonly platformKeyPem: string;
  readonly trades = new Map<string, Trade>();
  readonly refunds = new Map<string, Refund>();
  readonly batches = new Map<string, Batch>();
  readonly transferBills = new Map<string, TransferBill>();
  /** Answer a transfer bill sent again under its number with the bill (WeChat's 原单重试) instead of refusing it. */
  acceptReentry = false;
  /** While set, WeChat refuses every new transfer bill with this answer (a business refusal: nothing is created). */
  refuseBills?: { status: number; code: string; message: string };
  /** Every create request of a transfer bill, accepted or not (a retry must not send another). */
  readonly billRequests: string[] = [];
  /** The out_bill_no of every cancel request (撤销转账), accepted or not. */
  readonly cancelRequests: string[] = [];
  /** What happens at WeChat just before a cancel arrives (tests make the payee confirm first); the answer waits for it. */
  beforeCancel?: (outBillNo: string) => void | Promise<void>;
  /** Requests WeChat carries out but whose answer never reaches us (the connection drops before it): true loses it. */
  loseAnswer?: (method: string, path: string) => boolean;
  /** Rewrites the day's bill rows before it is served (tests make WeChat's side differ from ours). */
  billRows?: (rows: string[][]) => string[][];
  /** Serve a file whose SHA1 differs from the one announced (a corrupted download). */
  corruptBill = false;
  /** WeChat's clock: payment and refund times, trade expiry, the bill's day (tests of a given day set it). */
  clock: () => Date = () => new Date();
  private bills = new Map<string, Buffer>();
  /** Requests refused for a bad Authorization signature. */
  readonly rejected: string[] = [];
  /** The out_refund_no of every refund query answered, in order. */
  readonly refundQueries: string[] = [];
  private server: Server | null = null;
  private seq = 0;
  baseUrl = "";

  constructor(opts: { certificate?: boolean; keys?: WechatPayServerKeys } = {}) {
    const k = opts.keys;
    this.appid = k?.appid ?? "wxd678efh567hg6787";
    this.merchantSerial = k?.merchantSerial ?? randomBytes(20).toString("hex").toUpperCase();
    this.apiV3Key = k?.apiV3Key ?? randomBytes(16).toString("hex"); // 32 ASCII bytes, like the merchant's console key
    this.merchant = k ? fromPrivatePem(k.merchantPrivateKey) : keyPair();
    this.platform = k ? fromPrivatePem(k.platformPrivateKey) : keyPair();
    if (k) {
      this.platformKeyId = k.platformKeyId;
      this.platformKeyPem = pem(this.platform.publicKey);
    } else if (opts.certificate) {
      const { cert, serial } = selfSignedCert(this.platform.privateKey);
      this.platformKeyId = serial;
      this.platformKeyPem = cert;
    } else {
      this.platformKeyId = `PUB_KEY_ID_0119000001092025${randomBytes(6).toString("hex").toUpperCase()}`;
      this.platformKeyPem = pem(this.platform.publicKey);
    }
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Longer than any client's idle keep-alive: a slow machine's client must not reuse a socket the server is closing (ECONNRESET).
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The adapter's settings a merchant would copy from the WeChat Pay console. */
  config(notifyOrigin = "http://127.0.0.1:3100"): WechatPayConfig {
    return {
      mchid: this.mchid,
      appid: this.appid,
      merchantSerial: this.merchantSerial,
      merchantPrivateKey: pem(this.merchant.privateKey),
      apiV3Key: this.apiV3Key,
      platformKeyId: this.platformKeyId,
      platformKey: this.platformKeyPem,
      notifyUrl: `${notifyOrigin}/api/payments/wechatpay/notify`,
      baseUrl: this.baseUrl,
    };
  }

  // ---- the shopper and WeChat's back end ----

  /** The shopper pays in WeChat: the trade turns SUCCESS; returns the TRANSACTION.SUCCESS callback. */
  pay(outTradeNo: string): SignedCallback {
    const t = this.trades.get(outTradeNo);
    if (!t) throw new Error(`no trade ${outTradeNo}`);
    // Past its time_expire WeChat closes the trade: the shopper cannot pay it any more.
    if (t.trade_state === "NOTPAY" && t.time_expire && this.clock().getTime() >= Date.parse(t.time_expire)) t.trade_state = "CLOSED";
    if (t.trade_state === "CLOSED") throw new Error(`ORDER_CLOSED: trade ${outTradeNo} expired at ${t.time_expire}`);
    if (t.trade_state !== "SUCCESS") {
      t.trade_state = "SUCCESS";
      t.transaction_id = `4200${Date.now()}${++this.seq}`;
      t.success_time = this.clock();
    }
    return this.callback("TRANSACTION.SUCCESS", "transaction", this.transactionView(t));
  }

  /**
   * What WeixinJSBridge getBrandWCPayRequest leads to: WeChat checks the paySign (merchant key over
   * appId, timeStamp, nonceStr, package), the shopper pays, and WeChat Pay posts the signed
   * TRANSACTION.SUCCESS callback to the order's notify_url. Answers with the bridge's err_msg.
   */
  async shopperPays(p: Record<string, string>): Promise<{ err_msg: string; notifyStatus?: number }> {
    const message = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    const signed = p.signType === "RSA" && typeof p.paySign === "string" && createVerify("sha256WithRSAEncryption").update(message).verify(this.merchant.publicKey, p.paySign, "base64");
    const prepayId = /^prepay_id=(.+)$/.exec(p.package ?? "")?.[1];
    const trade = [...this.trades.values()].find((t) => t.prepay_id === prepayId);
    if (!signed || p.appId !== this.appid || !trade) return { err_msg: "get_brand_wcpay_request:fail" };
    let cb: SignedCallback;
    try {
      cb = this.pay(trade.out_trade_no);
    } catch {
      return { err_msg: "get_brand_wcpay_request:fail" };
    }
    const res = await fetch(trade.notify_url, { method: "POST", headers: cb.headers, body: cb.body, signal: AbortSignal.timeout(30_000) });
    return { err_msg: "get_brand_wcpay_request:ok", notifyStatus: res.status };
  }

  /** WeChat finishes a refund (REFUND.SUCCESS / REFUND.CLOSED / REFUND.ABNORMAL) and tells the merchant. */
  finishRefund(outRefundNo: string, status: "SUCCESS" | "CLOSED" | "ABNORMAL" = "SUCCESS"): SignedCallback {
    const r = this.refunds.get(outRefundNo);
    if (!r) throw new Error(`no refund ${outRefundNo}`);
    r.status = status;
    if (status === "SUCCESS") r.success_time = this.clock();
    return this.callback(`REFUND.${status}`, "refund", {
      mchid: this.mchid, out_trade_no: "", transaction_id: r.transaction_id, out_refund_no: r.out_refund_no, refund_id: r.refund_id,
      refund_status: status, success_time: r.success_time ? rfc3339(r.success_time) : undefined, user_received_account: "支付用户零钱",
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
    });
  }

  /** WeChat completes (or fails) a transfer batch. */
  finishTransfer(outBatchNo: string, outcome: "SUCCESS" | "FAIL" = "SUCCESS", reason = "PAYEE_ACCOUNT_ABNORMAL") {
    const b = this.batches.get(outBatchNo);
    if (!b) throw new Error(`no batch ${outBatchNo}`);
    b.batch_status = "FINISHED";
    b.detail_status = outcome;
    if (outcome === "FAIL") b.fail_reason = reason;
  }

  /**
   * What wx.requestMerchantTransfer leads to: WeChat checks the package against the bill, the payee accepts
   * (→ SUCCESS, as WeChat moves the money at once) or backs out (stays WAIT_USER_CONFIRM). Answers with the bridge's err_msg.
   */
  payeeConfirms(p: { mchId?: string; appId?: string; package?: string }, accept = true): { err_msg: string } {
    const b = [...this.transferBills.values()].find((x) => x.package_info === p.package);
    if (!b || p.mchId !== this.mchid || p.appId !== this.appid || b.state !== "WAIT_USER_CONFIRM") return { err_msg: "requestMerchantTransfer:fail" };
    if (!accept) return { err_msg: "requestMerchantTransfer:cancel" };
    this.setBillState(b.out_bill_no, "SUCCESS");
    return { err_msg: "requestMerchantTransfer:ok" };
  }

  /** Moves a transfer bill on, as WeChat does (the payee confirms, 24 hours pass unconfirmed, the transfer fails). */
  setBillState(outBillNo: string, state: TransferBill["state"], failReason = "PAYEE_ACCOUNT_ABNORMAL") {
    const b = this.transferBills.get(outBillNo);
    if (!b) throw new Error(`no transfer bill ${outBillNo}`);
    b.state = state;
    b.update_time = this.clock();
    if (state === "FAIL") b.fail_reason = failReason;
  }

  /** The MCHTRANSFER.BILL.FINISHED callback WeChat sends to the bill's notify_url once it ended (SUCCESS, FAIL, CANCELLED). */
  billFinished(outBillNo: string, over: Parameters<WechatPayTestServer["callback"]>[3] = {}): SignedCallback {
    const b = this.transferBills.get(outBillNo);
    if (!b) throw new Error(`no transfer bill ${outBillNo}`);
    if (b.state !== "SUCCESS" && b.state !== "FAIL" && b.state !== "CANCELLED") throw new Error(`transfer bill ${outBillNo} has not ended: ${b.state}`);
    return this.callback("MCHTRANSFER.BILL.FINISHED", "mch_payment", {
      mch_id: this.mchid, out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, state: b.state, transfer_amount: b.transfer_amount, openid: b.openid,
      ...(b.fail_reason ? { fail_reason: b.fail_reason } : {}), create_time: rfc3339(b.create_time), update_time: rfc3339(b.update_time),
    }, over);
  }

  /** A callback signed and encrypted exactly as WeChat Pay does (overrides make forged variants). */
  callback(eventType: string, originalType: string, resource: object, over: { signWith?: KeyObject; apiV3Key?: string; timestamp?: number; serial?: string } = {}): SignedCallback {
    const nonce = randomBytes(6).toString("hex");
    const aad = originalType;
    const cipher = createCipheriv("aes-256-gcm", Buffer.from(over.apiV3Key ?? this.apiV3Key), nonce).setAAD(Buffer.from(aad));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(resource), "utf8"), cipher.final(), cipher.getAuthTag()]).toString("base64");
    const body = JSON.stringify({
      id: randomBytes(16).toString("hex"),
      create_time: new Date().toISOString(),
      resource_type: "encrypt-resource",
      event_type: eventType,
      summary: "支付成功",
      resource: { original_type: originalType, algorithm: "AEAD_AES_256_GCM", ciphertext, associated_data: aad, nonce },
    });
    return { body, headers: this.signedHeaders(body, over) };
  }

  private signedHeaders(body: string, over: { signWith?: KeyObject; timestamp?: number; serial?: string } = {}): Record<string, string> {
    const ts = String(over.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString("hex").toUpperCase();
    const signature = createSign("sha256WithRSAEncryption").update(`${ts}\n${nonce}\n${body}\n`).sign(over.signWith ?? this.platform.privateKey, "base64");
    return {
      "content-type": "application/json",
      "wechatpay-timestamp": ts,
      "wechatpay-nonce": nonce,
      "wechatpay-serial": over.serial ?? this.platformKeyId,
      "wechatpay-signature": signature,
      "wechatpay-signature-type": "WECHATPAY2-SHA256-RSA2048",
    };
  }

  private transactionView(t: Trade) {
    return {
      appid: t.appid, mchid: this.mchid, out_trade_no: t.out_trade_no, transaction_id: t.transaction_id,
      trade_type: t.openid ? "JSAPI" : "MWEB", trade_state: t.trade_state, trade_state_desc: t.trade_state === "SUCCESS" ? "支付成功" : "订单未支付",
      bank_type: "OTHERS", success_time: t.success_time ? rfc3339(t.success_time) : undefined,
      payer: { openid: t.openid ?? "o-h5payer" }, amount: { total: t.total, payer_total: t.total, currency: "CNY", payer_currency: "CNY" },
    };
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://local");
    const send = (status: number, data: unknown) => {
      // Done at WeChat, the answer lost on the way: the caller sees its connection reset.
      if (this.loseAnswer?.(req.method ?? "GET", url.pathname)) return void res.destroy();
      const text = JSON.stringify(data);
      res.writeHead(status, status < 300 ? this.signedHeaders(text) : { "content-type": "application/json" });
      res.end(text);
    };
    // The shopper's side (WeChat's client), not the merchant API: no merchant signature.
    if (req.method === "POST" && url.pathname === "/__shopper/pay") {
      const r = await this.shopperPays(JSON.parse(body || "{}") as Record<string, string>);
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(r));
    }
    if (req.method === "POST" && url.pathname === "/__shopper/confirm-transfer") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(this.payeeConfirms(JSON.parse(body || "{}") as Record<string, string>)));
    }
    if (!this.authorized(req.method ?? "GET", `${url.pathname}${url.search}`, body, req.headers.authorization ?? "")) {
      this.rejected.push(`${req.method} ${url.pathname}`);
      return send(401, { code: "SIGN_ERROR", message: "签名错误" });
    }
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const path = url.pathname;
    try {
      if (req.method === "POST" && (path === "/v3/pay/transactions/jsapi" || path === "/v3/pay/transactions/h5")) return send(200, this.order(path.endsWith("jsapi"), json));
      let m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(path);
      if (req.method === "GET" && m) {
        const t = this.trades.get(decodeURIComponent(m[1]));
        if (url.searchParams.get("mchid") !== this.mchid) return send(400, { code: "PARAM_ERROR", message: "mchid" });
        return t ? send(200, this.transactionView(t)) : send(404, { code: "ORDER_NOT_EXIST", message: "订单不存在" });
      }
      if (req.method === "POST" && path === "/v3/refund/domestic/refunds") return send(200, this.refund(json));
      m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
      if (req.method === "GET" && m) {
        const no = decodeURIComponent(m[1]);
        this.refundQueries.push(no);
        const r = this.refunds.get(no);
        return r ? send(200, this.refundView(r)) : send(404, { code: "RESOURCE_NOT_EXISTS", message: "退款单不存在" });
      }
      if (req.method === "GET" && path === "/v3/bill/tradebill") {
        const q = url.searchParams;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(q.get("bill_date") ?? "") || q.get("bill_type") !== "ALL" || q.get("tar_type") !== "GZIP") return send(400, { code: "PARAM_ERROR", message: "参数错误" });
        const csv = this.tradeBill(q.get("bill_date")!);
        if (!csv) return send(400, { code: "NO_STATEMENT_EXIST", message: "账单文件不存在" });
        const token = randomBytes(12).toString("hex");
        this.bills.set(token, gzipSync(Buffer.from(this.corruptBill ? `${csv}\n` : csv, "utf8")));
        return send(200, { hash_type: "SHA1", hash_value: createHash("sha1").update(csv, "utf8").digest("hex"), download_url: `${this.baseUrl}v3/billdownload/file?token=${token}` });
      }
      if (req.method === "GET" && path === "/v3/billdownload/file") {
        const file = this.bills.get(url.searchParams.get("token") ?? "");
        if (!file) return send(404, { code: "NOT_FOUND", message: "文件不存在" });
        // A download is not signed by WeChat Pay: the client checks the SHA1 from the signed answer.
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(file);
      }
      if (req.method === "POST" && path === "/v3/fund-app/mch-transfer/transfer-bills") {
        if (this.refuseBills) {
          this.billRequests.push(String(json.out_bill_no ?? ""));
          return send(this.refuseBills.status, { code: this.refuseBills.code, message: this.refuseBills.message });
        }
        const b = this.transferBill(json, String(req.headers["wechatpay-serial"] ?? ""));
        return send(200, { out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, create_time: rfc3339(b.create_time), state: b.state, ...(b.state === "WAIT_USER_CONFIRM" ? { package_info: b.package_info } : {}) });
      }
      m = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/.exec(path);
      if (req.method === "GET" && m) {
        const b = this.transferBills.get(m[1]);
        if (!b) return send(404, { code: "NOT_FOUND", message: "记录不存在" });
        // A cancel WeChat accepted (CANCELING) has finished by the next query.
        if (b.state === "CANCELING") this.setBillState(b.out_bill_no, "CANCELLED");
        // The query never repeats package_info: only the answer that created the bill carries it.
        return send(200, {
          mch_id: this.mchid, out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, appid: this.appid, state: b.state, transfer_amount: b.transfer_amount,
          transfer_remark: b.transfer_remark, openid: b.openid, create_time: rfc3339(b.create_time), update_time: rfc3339(b.update_time), ...(b.fail_reason ? { fail_reason: b.fail_reason } : {}),
        });
      }
      m = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)\/cancel$/.exec(path);
      if (req.method === "POST" && m) {
        const no = m[1];
        this.cancelRequests.push(no);
        await this.beforeCancel?.(no);
        const b = this.transferBills.get(no);
        if (!b) return send(404, { code: "NOT_FOUND", message: "记录不存在" });
        // Only a bill still waiting for the payee can be withdrawn; WeChat then finishes the cancel on its own.
        if (b.state !== "WAIT_USER_CONFIRM") return send(400, { code: "INVALID_REQUEST", message: `单据状态为${b.state}，不可撤销` });
        this.setBillState(no, "CANCELING");
        return send(200, { out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, state: b.state, update_time: rfc3339(b.update_time) });
      }
      if (req.method === "POST" && path === "/v3/transfer/batches") return send(200, this.transfer(json, String(req.headers["wechatpay-serial"] ?? "")));
      m = /^\/v3\/transfer\/batches\/out-batch-no\/([^/]+)$/.exec(path);
      if (req.method === "GET" && m) {
        const b = this.batches.get(m[1]);
        if (!b) return send(404, { code: "NOT_FOUND", message: "记录不存在" });
        return send(200, {
          transfer_batch: { mchid: this.mchid, out_batch_no: b.out_batch_no, batch_id: b.batch_id, appid: this.appid, batch_status: b.batch_status, total_amount: b.total_amount, total_num: 1 },
          transfer_detail_list: [{ detail_id: `${b.batch_id}01`, out_detail_no: b.out_batch_no, detail_status: b.detail_status === "PROCESSING" ? "PROCESSING" : b.detail_status }],
        });
      }
      m = /^\/v3\/transfer\/batches\/out-batch-no\/([^/]+)\/details\/out-detail-no\/([^/]+)$/.exec(path);
      if (req.method === "GET" && m) {
        const b = this.batches.get(m[1]);
        if (!b) return send(404, { code: "NOT_FOUND", message: "记录不存在" });
        return send(200, { out_batch_no: b.out_batch_no, out_detail_no: m[2], detail_status: b.detail_status, transfer_amount: b.total_amount, fail_reason: b.fail_reason, openid: b.openid });
      }
      return send(404, { code: "NOT_FOUND", message: "no such API" });
    } catch (e) {
      return send(400, { code: "PARAM_ERROR", message: (e as Error).message });
    }
  }

  /** WECHATPAY2-SHA256-RSA2048: the request line, timestamp, nonce and body signed with the merchant key. */
  private authorized(method: string, uri: string, body: string, auth: string): boolean {
    const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(auth);
    if (!m) return false;
    const f = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (f.mchid !== this.mchid || f.serial_no !== this.merchantSerial) return false;
    if (Math.abs(Date.now() / 1000 - Number(f.timestamp)) > 300) return false;
    return createVerify("sha256WithRSAEncryption").update(`${method}\n${uri}\n${f.timestamp}\n${f.nonce_str}\n${body}\n`).verify(this.merchant.publicKey, f.signature, "base64");
  }

  private order(jsapi: boolean, j: Record<string, unknown>) {
    const amount = j.amount as { total?: number; currency?: string } | undefined;
    if (j.mchid !== this.mchid || j.appid !== this.appid) throw new Error("mchid/appid mismatch");
    if (typeof j.out_trade_no !== "string" || !/^[A-Za-z0-9_\-|*]{6,32}$/.test(j.out_trade_no)) throw new Error("out_trade_no");
    if (!Number.isSafeInteger(amount?.total) || (amount!.total ?? 0) <= 0 || amount!.currency !== "CNY") throw new Error("amount");
    if (typeof j.notify_url !== "string" || !j.notify_url.startsWith("http")) throw new Error("notify_url");
    if (j.time_expire !== undefined && (typeof j.time_expire !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/.test(j.time_expire))) throw new Error("time_expire");
    const openid = (j.payer as { openid?: string } | undefined)?.openid;
    if (jsapi && !openid) throw new Error("payer.openid");
    if (!jsapi && !(j.scene_info as { payer_client_ip?: string } | undefined)?.payer_client_ip) throw new Error("scene_info.payer_client_ip");
    const known = this.trades.get(j.out_trade_no);
    if (known?.trade_state === "SUCCESS") throw new Error("ORDERPAID");
    if (known?.trade_state === "CLOSED") throw new Error("ORDER_CLOSED");
    const trade: Trade = known ?? {
      appid: this.appid, out_trade_no: j.out_trade_no, total: amount!.total!, notify_url: j.notify_url, openid, trade_state: "NOTPAY", prepay_id: `wx${Date.now()}${++this.seq}`,
      time_expire: j.time_expire as string | undefined,
    };
    this.trades.set(trade.out_trade_no, trade);
    return jsapi ? { prepay_id: trade.prepay_id } : { h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${trade.prepay_id}&package=${this.seq}` };
  }

  /** The day's tradebill (bill_type ALL, by Beijing time) as WeChat Pay writes it: backtick-prefixed fields, yuan, a totals section. Null when empty. */
  tradeBill(billDate: string): string | null {
    const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
    const onDay = (at: Date | undefined) => at !== undefined && beijing(at).startsWith(billDate);
    const header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    let rows: string[][] = [];
    for (const t of this.trades.values()) {
      if (t.trade_state !== "SUCCESS" || !onDay(t.success_time)) continue;
      rows.push([beijing(t.success_time!), t.appid, this.mchid, "0", "", t.transaction_id!, t.out_trade_no, t.openid ?? "", t.openid ? "JSAPI" : "MWEB", "SUCCESS", "OTHERS", "CNY", yuan(t.total), "0.00", "0", "0", "0.00", "0.00", "", "", "商品", "", "0.00000", "0.60%", yuan(t.total), "0.00", ""]);
    }
    for (const r of this.refunds.values()) {
      if (r.status !== "SUCCESS" || !onDay(r.success_time)) continue;
      const t = [...this.trades.values()].find((x) => x.transaction_id === r.transaction_id)!;
      rows.push([beijing(r.success_time!), t.appid, this.mchid, "0", "", r.transaction_id, t.out_trade_no, t.openid ?? "", t.openid ? "JSAPI" : "MWEB", "REFUND", "OTHERS", "CNY", "0.00", "0.00", r.refund_id, r.out_refund_no, yuan(r.refund), "0.00", "ORIGINAL", "SUCCESS", "商品", "", "0.00000", "0.60%", yuan(t.total), yuan(r.refund), ""]);
    }
    if (this.billRows) rows = this.billRows(rows);
    if (!rows.length) return null;
    const detail = rows.map((r) => r.map((f) => `\`${f}`).join(",")).join("\r\n");
    const paid = rows.filter((r) => r[9] === "SUCCESS").reduce((s, r) => s + Math.round(Number(r[12]) * 100), 0);
    const refunded = rows.filter((r) => r[9] === "REFUND").reduce((s, r) => s + Math.round(Number(r[16]) * 100), 0);
    return `${header}\r\n${detail}\r\n总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n\`${rows.length},\`${yuan(paid)},\`${yuan(refunded)},\`0.00,\`0.00000,\`${yuan(paid)},\`${yuan(refunded)}\r\n`;
  }

  /** A refund as the refund API and the refund query answer it (the state is "status" here, "refund_status" in callbacks). */
  private refundView(r: Refund) {
    const t = [...this.trades.values()].find((x) => x.transaction_id === r.transaction_id);
    return {
      refund_id: r.refund_id, out_refund_no: r.out_refund_no, transaction_id: r.transaction_id, out_trade_no: t?.out_trade_no ?? "", channel: "ORIGINAL",
      user_received_account: "支付用户零钱", create_time: rfc3339(r.create_time), status: r.status, funds_account: "AVAILABLE",
      ...(r.success_time ? { success_time: rfc3339(r.success_time) } : {}), amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund, currency: "CNY" },
    };
  }

  private refund(j: Record<string, unknown>) {
    const amount = j.amount as { refund: number; total: number; currency: string };
    const no = String(j.out_refund_no ?? "");
    const known = this.refunds.get(no);
    if (known) return this.refundView(known); // same out_refund_no: the same refund, never a second one
    const trade = [...this.trades.values()].find((t) => t.transaction_id === j.transaction_id);
    if (!trade || trade.trade_state !== "SUCCESS") throw new Error("RESOURCE_NOT_EXISTS");
    if (amount.total !== trade.total || amount.refund > trade.total) throw new Error("amount");
    const r: Refund = {
      out_refund_no: no, transaction_id: trade.transaction_id!, refund: amount.refund, total: amount.total, notify_url: String(j.notify_url), refund_id: `5030${++this.seq}`, status: "PROCESSING",
      create_time: this.clock(),
    };
    this.refunds.set(no, r);
    return this.refundView(r);
  }

  /** POST transfer-bills as WeChat checks it; a known out_bill_no is refused (the merchant must query it instead). */
  private transferBill(j: Record<string, unknown>, serial: string): TransferBill {
    const no = String(j.out_bill_no ?? "");
    this.billRequests.push(no);
    if (!/^[A-Za-z0-9]{1,32}$/.test(no)) throw new Error("out_bill_no");
    if (j.appid !== this.appid) throw new Error("appid");
    if (typeof j.openid !== "string" || !j.openid) throw new Error("openid");
    if (!Number.isSafeInteger(j.transfer_amount) || (j.transfer_amount as number) <= 0) throw new Error("transfer_amount");
    if (typeof j.transfer_remark !== "string" || !j.transfer_remark || [...j.transfer_remark].length > 32) throw new Error("transfer_remark");
    if (j.notify_url !== undefined && (typeof j.notify_url !== "string" || !/^https?:\/\/[^?#]+$/.test(j.notify_url))) throw new Error("notify_url");
    const scene = String(j.transfer_scene_id ?? "");
    const infos = Object.fromEntries(((j.transfer_scene_report_infos ?? []) as { info_type: string; info_content: string }[]).map((i) => [i.info_type, i.info_content]));
    const required = SCENE_REPORT_TYPES[scene];
    if (!required) throw new Error(`transfer_scene_id ${scene}`);
    if (required.some((t) => !infos[t])) throw new Error("需传入转账场景报备信息,请检查");
    let userName: string | null = null;
    if (j.user_name) {
      if (serial !== this.platformKeyId) throw new Error("Wechatpay-Serial");
      userName = privateDecrypt({ key: this.platform.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, Buffer.from(String(j.user_name), "base64")).toString("utf8");
    } else if ((j.transfer_amount as number) >= 200_000) {
      throw new Error("转账金额 >= 2,000元时 user_name 必填");
    }
    const known = this.transferBills.get(no);
    if (known) {
      // 原单重试: the same bill asked again is answered as created (with its package while it waits), if this server
      // is told to; otherwise refused, the conservative reading of WeChat's documents.
      if (!this.acceptReentry || known.openid !== j.openid || known.transfer_amount !== j.transfer_amount || known.transfer_scene_id !== scene) throw new Error("商户单号重复");
      return known;
    }
    const at = this.clock();
    const b: TransferBill = {
      out_bill_no: no, transfer_bill_no: `1330000${++this.seq}`, transfer_scene_id: scene, openid: j.openid, transfer_amount: j.transfer_amount as number, transfer_remark: j.transfer_remark,
      user_name: userName, user_recv_perception: j.user_recv_perception as string | undefined, report_infos: infos, notify_url: j.notify_url as string | undefined,
      package_info: `ABBQO+${randomBytes(24).toString("base64")}`, state: "WAIT_USER_CONFIRM", create_time: at, update_time: at,
    };
    this.transferBills.set(no, b);
    return b;
  }

  private transfer(j: Record<string, unknown>, serial: string) {
    const details = j.transfer_detail_list as { out_detail_no: string; transfer_amount: number; openid: string; user_name?: string }[];
    const no = String(j.out_batch_no ?? "");
    if (!/^[A-Za-z0-9]{5,32}$/.test(no)) throw new Error("out_batch_no");
    if (j.appid !== this.appid || details.length !== j.total_num || details.reduce((s, d) => s + d.transfer_amount, 0) !== j.total_amount) throw new Error("batch totals");
    if (this.batches.has(no)) throw new Error("商家批次单号重复");
    const d = details[0];
    let userName: string | null = null;
    if (d.user_name) {
      if (serial !== this.platformKeyId) throw new Error("Wechatpay-Serial");
      userName = privateDecrypt({ key: this.platform.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, Buffer.from(d.user_name, "base64")).toString("utf8");
    }
    const b: Batch = { out_batch_no: no, batch_id: `1030000${++this.seq}`, total_amount: d.transfer_amount, openid: d.openid, user_name: userName, batch_status: "ACCEPTED", detail_status: "PROCESSING" };
    this.batches.set(no, b);
    return { out_batch_no: no, batch_id: b.batch_id, create_time: new Date().toISOString(), batch_status: "ACCEPTED" };
  }
}
