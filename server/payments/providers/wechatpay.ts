// WeChat Pay API v3 (直连商户) through wechatpay-axios-plugin: the SDK signs every request with the
// merchant key and verifies every answer against the platform key (微信支付公钥 or 平台证书);
// callbacks are verified and decrypted (AEAD_AES_256_GCM) here with the SDK's Rsa/Aes helpers.
import { X509Certificate, createHash, createPublicKey, type KeyObject } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { Wechatpay, Rsa, Aes, Formatter } from "wechatpay-axios-plugin";
import type { CreatePaymentRequest, CreatedPayment, IgnoredNotification, PaymentNotification, PaymentProvider, PayoutNotification, PayoutRequest, PayoutResult, RefundNotification, RefundResult } from "../provider";
import { DEFAULT_TRANSFER_SCENE, TRANSFER_SCENES, type Env } from "../../env";
import { parseWechatTradeBill, type BillLine } from "../bills";
import { beijingRfc3339, parseProviderTime } from "./beijing-time";

export interface WechatPayConfig {
  mchid: string;
  /** The Official Account (公众号) appid the shoppers' openids belong to. */
  appid: string;
  merchantSerial: string;
  merchantPrivateKey: string;
  /** APIv3 key: 32 bytes, decrypts callback resources. */
  apiV3Key: string;
  /** 微信支付公钥 ID (PUB_KEY_ID_…) or the platform certificate's serial. */
  platformKeyId: string;
  /** The platform public key or certificate, PEM. */
  platformKey: string;
  /** Where refund and transfer-bill callbacks go (our notify route). */
  notifyUrl: string;
  baseUrl?: string;
  /** 商家转账 scene (e.g. 1000 现金营销, 1005 佣金报酬); the batch API uses the merchant's default scene when unset. */
  transferSceneId?: string;
  /** Which 商家转账 product pays withdrawals: the upgraded transfer bills (default) or the old batches. */
  transferApi?: "bills" | "batches";
  /** user_recv_perception: what the payee's WeChat says the money is; the scene's default when unset. */
  transferPerception?: string;
  /** The scene's 报备信息 (info_type → info_content); the scene's default when unset. */
  transferReportInfos?: Record<string, string>;
}

/** Why an answer under our payout number is refused: WeChat keeps out_bill_no unique per merchant only, so another system may hold it. */
export const FOREIGN_PAYOUT = "支付渠道的同号转账与本次提现不符（收款人或金额不同）";
/** Why an answer under our refund number is refused (another system on the merchant account, or a reset database, used it). */
export const FOREIGN_REFUND = "支付渠道的同号退款与本次退款不符（交易号或金额不同）";

/** What our payout asked for: an answer under its number for another payee or amount is not ours. */
export interface PayoutIdentity {
  amountFen: number;
  /** Null: the member is unbound now, so only the amount can be compared. */
  payeeAccount: string | null;
}

/** Callbacks signed further than this from our clock are refused (WeChat's own window is 5 minutes). */
export const WECHATPAY_MAX_SKEW_S = 300;

type Json = Record<string, unknown>;

interface TransactionResource {
  mchid: string;
  appid: string;
  out_trade_no: string;
  transaction_id: string;
  trade_state: string;
  success_time?: string;
  amount: { total: number; currency: string };
}

/** A 商家转账 bill as the create answer (with package_info while waiting) and the query (with fail_reason) give it. */
interface TransferBill {
  out_bill_no: string;
  state: string;
  /** In the query's answer (not the create's): whom and how much the bill pays. */
  openid?: string;
  transfer_amount?: number;
  fail_reason?: string;
  package_info?: string;
}

interface RefundResource {
  mchid: string;
  out_refund_no: string;
  transaction_id: string;
  refund_status: string;
  success_time?: string;
  amount: { refund: number; total?: number };
}

export class WechatPayProvider implements PaymentProvider {
  readonly name = "wechatpay";
  readonly payeePlatform: { platform: string; appId: string };
  private readonly client: Wechatpay;
  private readonly platformKey: KeyObject;
  private readonly merchantKey: KeyObject;

  constructor(private readonly cfg: WechatPayConfig) {
    if (Buffer.byteLength(cfg.apiV3Key) !== 32) throw new Error("WECHATPAY_APIV3_KEY must be 32 bytes");
    this.platformKey = createPublicKey(cfg.platformKey);
    this.merchantKey = Rsa.from(cfg.merchantPrivateKey, Rsa.KEY_TYPE_PRIVATE);
    this.payeePlatform = { platform: "wechat", appId: cfg.appid };
    this.client = new Wechatpay({
      mchid: cfg.mchid,
      serial: cfg.merchantSerial,
      privateKey: cfg.merchantPrivateKey,
      certs: { [cfg.platformKeyId]: cfg.platformKey },
      baseURL: cfg.baseUrl ?? "https://api.mch.weixin.qq.com/",
      timeout: 15_000,
    });
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatedPayment> {
    const order = {
      appid: this.cfg.appid,
      mchid: this.cfg.mchid,
      description: req.description,
      out_trade_no: req.reference,
      notify_url: req.notifyUrl,
      time_expire: beijingRfc3339(req.expiresAt),
      amount: { total: req.amountFen, currency: req.currency },
    };
    if (req.payer?.channel === "jsapi") {
      if (!req.payer.openid) throw new Error("WeChat JSAPI payment needs the shopper's openid");
      const { data } = await this.client.chain("v3/pay/transactions/jsapi").post({ ...order, payer: { openid: req.payer.openid } });
      const prepayId = String((data as Json).prepay_id ?? "");
      if (!prepayId) throw new Error("WeChat Pay returned no prepay_id");
      return { cashierUrl: `/pay/wechatpay/${encodeURIComponent(req.reference)}`, cashierParams: this.jsapiParams(prepayId) };
    }
    const { data } = await this.client.chain("v3/pay/transactions/h5").post({
      ...order,
      scene_info: { payer_client_ip: req.payer?.clientIp ?? "127.0.0.1", h5_info: { type: "Wap" } },
    });
    const h5Url = String((data as Json).h5_url ?? "");
    if (!/^https?:\/\//.test(h5Url)) throw new Error("WeChat Pay returned no h5_url");
    // After paying, WeChat's H5 page sends the shopper back here (the result page polls the order).
    return { cashierUrl: `${h5Url}&redirect_url=${encodeURIComponent(req.returnUrl)}` };
  }

  /** The parameters of WeixinJSBridge getBrandWCPayRequest, signed with the merchant key (RSA). */
  jsapiParams(prepayId: string, timeStamp = String(Formatter.timestamp()), nonceStr = Formatter.nonce()): Record<string, string> {
    const pkg = `prepay_id=${prepayId}`;
    const paySign = Rsa.sign(Formatter.joinedByLineFeed(this.cfg.appid, timeStamp, nonceStr, pkg), this.merchantKey);
    return { appId: this.cfg.appid, timeStamp, nonceStr, package: pkg, signType: "RSA", paySign };
  }

  verifyNotification(rawBody: string, headers: Headers, receivedAt: Date): PaymentNotification | RefundNotification | PayoutNotification | IgnoredNotification {
    const timestamp = headers.get("wechatpay-timestamp") ?? "";
    const nonce = headers.get("wechatpay-nonce") ?? "";
    const serial = headers.get("wechatpay-serial") ?? "";
    const signature = headers.get("wechatpay-signature") ?? "";
    if (!/^\d{1,12}$/.test(timestamp) || !nonce || !signature) throw new Error("wechatpay notification without signature headers");
    if (serial !== this.cfg.platformKeyId) throw new Error("wechatpay notification signed with an unknown platform key");
    if (Math.abs(receivedAt.getTime() / 1000 - Number(timestamp)) > WECHATPAY_MAX_SKEW_S) throw new Error("stale wechatpay notification");
    if (!Rsa.verify(Formatter.response(timestamp, nonce, rawBody), signature, this.platformKey)) throw new Error("invalid wechatpay signature");
    const body = JSON.parse(rawBody) as { event_type?: string; resource?: { algorithm?: string; ciphertext?: string; nonce?: string; associated_data?: string } };
    const r = body.resource;
    if (!r || r.algorithm !== "AEAD_AES_256_GCM" || !r.ciphertext || !r.nonce) throw new Error("malformed wechatpay notification");
    const plain = JSON.parse(Aes.AesGcm.decrypt(r.ciphertext, this.cfg.apiV3Key, r.nonce, r.associated_data ?? "")) as Json;
    // Verified, of a kind we do not handle: acknowledged (a 4xx would have WeChat resend it for a day), nothing changes.
    if (!KNOWN_EVENT.test(body.event_type ?? "")) return { kind: "ignored", reason: `unsupported wechatpay event ${body.event_type}` };
    if (body.event_type === "MCHTRANSFER.BILL.FINISHED") return this.transferOf(plain);
    if (plain.mchid !== this.cfg.mchid) throw new Error("wechatpay notification for another merchant");
    if (body.event_type?.startsWith("REFUND.")) return this.refundOf(plain as unknown as RefundResource);
    return this.paymentOf(plain as unknown as TransactionResource);
  }

  private paymentOf(t: TransactionResource): PaymentNotification {
    if (t.appid !== this.cfg.appid) throw new Error("wechatpay transaction for another appid");
    if (typeof t.out_trade_no !== "string" || typeof t.transaction_id !== "string" || !Number.isSafeInteger(t.amount?.total)) {
      throw new Error("malformed wechatpay transaction");
    }
    const paidAt = parseProviderTime(t.success_time);
    return {
      kind: "payment",
      reference: t.out_trade_no,
      providerTxnId: t.transaction_id,
      amountFen: t.amount.total,
      currency: t.amount.currency,
      status: t.trade_state === "SUCCESS" ? "SUCCESS" : "CLOSED",
      ...(paidAt ? { paidAt } : {}),
    };
  }

  /** A transfer bill ended: only which payout it is counts (its state is asked of WeChat, never taken from here). */
  private transferOf(t: Json): PayoutNotification {
    // WeChat's pages name the merchant mch_id (as the bill query does) or mchid: whichever it is must be ours.
    if ((t.mch_id ?? t.mchid) !== this.cfg.mchid) throw new Error("wechatpay notification for another merchant");
    if (typeof t.out_bill_no !== "string") throw new Error("malformed wechatpay transfer bill");
    return { kind: "payout", payoutNo: payoutNoOfBill(t.out_bill_no) };
  }

  private refundOf(r: Omit<RefundResource, "mchid">): RefundNotification {
    if (typeof r.out_refund_no !== "string" || !Number.isSafeInteger(r.amount?.refund)) throw new Error("malformed wechatpay refund");
    const status = r.refund_status === "SUCCESS" ? "SUCCESS" : r.refund_status === "CLOSED" ? "CLOSED" : "ABNORMAL";
    // The refund's success time: the day WeChat's bill lists it, which may be after the day we asked.
    const refundedAt = status === "SUCCESS" ? parseProviderTime(r.success_time) : undefined;
    const totalFen = r.amount.total;
    return {
      kind: "refund", refundNo: r.out_refund_no, providerTxnId: r.transaction_id, refundFen: r.amount.refund, status,
      ...(Number.isSafeInteger(totalFen) ? { totalFen } : {}), ...(refundedAt ? { refundedAt } : {}),
    };
  }

  async queryPayment(reference: string): Promise<PaymentNotification | null> {
    try {
      const { data } = await this.client
        .chain("v3/pay/transactions/out-trade-no/{out_trade_no}")
        .get({ out_trade_no: encodeURIComponent(reference), params: { mchid: this.cfg.mchid } } as never);
      const t = data as TransactionResource;
      if (t.mchid !== this.cfg.mchid) throw new Error("wechatpay answered for another merchant");
      return t.trade_state === "SUCCESS" ? this.paymentOf(t) : null;
    } catch (e) {
      if (errorCode(e) === "ORDER_NOT_EXIST") return null;
      throw e;
    }
  }

  /**
   * 关闭订单 (POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close, body {mchid}; 204 without a body, its
   * signature verified by the SDK). Already closed (ORDER_CLOSED) or never created (ORDER_NOT_EXIST): closed all the same;
   * ORDERPAID: the shopper paid first.
   */
  async closePayment(reference: string): Promise<"closed" | "paid"> {
    try {
      const { status } = await this.client
        .chain("v3/pay/transactions/out-trade-no/{out_trade_no}/close")
        .post({ mchid: this.cfg.mchid }, { out_trade_no: encodeURIComponent(reference) } as never);
      if (status !== 204) throw new Error(`wechatpay close of ${reference} answered ${status}`);
      return "closed";
    } catch (e) {
      const code = errorCode(e);
      if (code === "ORDERPAID") return "paid";
      if (code === "ORDER_CLOSED" || code === "ORDER_NOT_EXIST") return "closed";
      throw e;
    }
  }

  /** GET /v3/refund/domestic/refunds/{out_refund_no} (signed, its answer verified by the SDK); PROCESSING or unknown: null. */
  async queryRefund(req: { refundNo: string; providerTxnId: string }): Promise<RefundNotification | null> {
    let q: Omit<RefundResource, "mchid" | "refund_status"> & { status: string };
    try {
      ({ data: q } = await this.client.chain("v3/refund/domestic/refunds/{out_refund_no}").get({ out_refund_no: encodeURIComponent(req.refundNo) } as never));
    } catch (e) {
      if (errorCode(e) === "RESOURCE_NOT_EXISTS") return null;
      throw e;
    }
    // Our refund of this payment only: the number under another transaction is someone else's (the amounts are checked by the caller).
    if (q.out_refund_no !== req.refundNo || q.transaction_id !== req.providerTxnId) throw new Error(FOREIGN_REFUND);
    if (q.status === "PROCESSING") return null;
    if (q.status !== "SUCCESS" && q.status !== "CLOSED" && q.status !== "ABNORMAL") throw new Error(`wechatpay refund ${req.refundNo} in unknown state ${q.status}`);
    // The query names the state "status" where the callback says "refund_status"; the rest is the same resource.
    return this.refundOf({ ...q, refund_status: q.status });
  }

  async refund(req: { refundNo: string; providerTxnId: string; amountFen: number }): Promise<RefundResult> {
    const { data } = await this.client.chain("v3/refund/domestic/refunds").post({
      transaction_id: req.providerTxnId,
      out_refund_no: req.refundNo,
      notify_url: this.cfg.notifyUrl,
      amount: { refund: req.amountFen, total: req.amountFen, currency: "CNY" },
    });
    // Every refund of ours is full (refund = total): a known out_refund_no answered for another payment or amount is not ours.
    const answer = data as { out_refund_no?: unknown; transaction_id?: unknown; amount?: { refund?: unknown; total?: unknown } };
    if (answer.out_refund_no !== req.refundNo || answer.transaction_id !== req.providerTxnId || answer.amount?.refund !== req.amountFen || answer.amount?.total !== req.amountFen) {
      throw new Error(FOREIGN_REFUND);
    }
    const status = String((data as Json).status);
    if (status === "SUCCESS") {
      const refundedAt = parseProviderTime((data as Json).success_time);
      return { status: "SUCCESS", ...(refundedAt ? { refundedAt } : {}) };
    }
    if (status === "PROCESSING") return { status: "PROCESSING" };
    // CLOSED / ABNORMAL: the money did not go back; the call is retried and dead-lettered to staff.
    throw new Error(`wechatpay refund ${req.refundNo} is ${status}`);
  }

  async payout(req: PayoutRequest): Promise<PayoutResult> {
    // No openid now (unbound since, the appid changed): a transfer already sent under this number still decides.
    if (!req.payeeAccount) return (await this.queryPayout(req.payoutNo, req)) ?? { status: "FAILED", reason: "未绑定微信，无法转账到零钱" };
    return this.cfg.transferApi === "batches" ? this.payoutByBatch(req, req.payeeAccount) : this.payoutByBill(req, req.payeeAccount);
  }

  /**
   * The payout's transfer at WeChat under its number, sending nothing: null when WeChat has none. With `expected`, a
   * transfer there for another payee or amount is refused (thrown): not ours to report.
   */
  async queryPayout(payoutNo: string, expected?: PayoutIdentity): Promise<PayoutResult | null> {
    const no = transferBatchNo(payoutNo);
    return this.cfg.transferApi === "batches" ? this.queryTransfer(no, expected) : this.queryBill(no, expected);
  }

  /**
   * 商家转账 (upgraded, POST /v3/fund-app/mch-transfer/transfer-bills), asked first so a retry after a lost
   * answer sends nothing new. The scheduler queries until the bill ends; the notify_url callback only makes it ask at once.
   */
  private async payoutByBill(req: PayoutRequest, openid: string): Promise<PayoutResult> {
    const billNo = transferBatchNo(req.payoutNo);
    const known = await this.queryBill(billNo, req);
    // A bill waiting for the payee whose package we do not hold (its answer was lost) is asked again under the same
    // number (WeChat's 原单重试), whose answer carries the package; anything else known is the answer.
    if (known && !(known.confirm && !req.hasConfirmation)) return known;
    const scene = this.cfg.transferSceneId ?? DEFAULT_TRANSFER_SCENE;
    const perception = this.cfg.transferPerception ?? TRANSFER_SCENES[scene]?.perception;
    const infos = this.cfg.transferReportInfos ?? TRANSFER_SCENES[scene]?.reportInfos;
    if (!infos) throw new Error(`商家转账场景 ${scene} 需要设置 WECHATPAY_TRANSFER_REPORT_INFOS`);
    const bill: Json = {
      appid: this.cfg.appid,
      out_bill_no: billNo,
      transfer_scene_id: scene,
      openid,
      transfer_amount: req.amountFen,
      transfer_remark: "提现",
      notify_url: this.cfg.notifyUrl,
      ...(perception ? { user_recv_perception: perception } : {}),
      transfer_scene_report_infos: Object.entries(infos).map(([info_type, info_content]) => ({ info_type, info_content })),
    };
    // The payee's name travels encrypted with the platform key (RSA-OAEP), named in Wechatpay-Serial; WeChat needs it from 2 000 元.
    if (req.realName) bill.user_name = Rsa.encrypt(req.realName, this.platformKey);
    try {
      const { data } = await this.client.chain("v3/fund-app/mch-transfer/transfer-bills").post(bill, { headers: { "Wechatpay-Serial": this.cfg.platformKeyId } });
      return this.billResult(data as unknown as TransferBill);
    } catch (e) {
      // Refused again: still waiting without a package (the caller withdraws the bill).
      if (known) return known;
      return this.refusedTransfer(e, () => this.queryBill(billNo, req));
    }
  }

  /**
   * A transfer WeChat refused to create: a final business refusal (a 4xx other than 401/429, its code not one that
   * may pass later) fails the payout once WeChat confirms it holds no transfer under the number; anything else is
   * thrown and asked again.
   */
  private async refusedTransfer(e: unknown, query: () => Promise<PayoutResult | null>): Promise<PayoutResult> {
    const status = (e as { response?: { status?: unknown } })?.response?.status;
    const code = errorCode(e) ?? "";
    if (typeof status !== "number" || status < 400 || status >= 500 || status === 401 || status === 429 || TRANSFER_RETRYABLE.has(code)) throw e;
    const message = errorMessage(e) ?? "";
    return (await query()) ?? { status: "FAILED", reason: `微信转账失败 ${code} ${message}`.trim().slice(0, 200) };
  }

  /** The transfer bill's state at WeChat, or null when WeChat has no such bill (never sent). */
  private async queryBill(billNo: string, expected?: PayoutIdentity): Promise<PayoutResult | null> {
    const bill = await this.fetchBill(billNo, expected);
    return bill && this.billResult(bill);
  }

  /** The bill as WeChat's query answers it (never with package_info), or null when WeChat has no such bill; with `expected`, only ours. */
  private async fetchBill(billNo: string, expected?: PayoutIdentity): Promise<TransferBill | null> {
    let data: TransferBill & { mch_id?: string };
    try {
      ({ data } = await this.client.chain("v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}").get({ out_bill_no: billNo } as never));
    } catch (e) {
      if (errorCode(e) === "NOT_FOUND") return null;
      throw e;
    }
    if (data.mch_id !== this.cfg.mchid || data.out_bill_no !== billNo) throw new Error("wechatpay answered for another transfer bill");
    if (expected && !samePayout(expected, data.openid, data.transfer_amount)) throw new Error(FOREIGN_PAYOUT);
    return data;
  }

  /**
   * 撤销转账 (POST …/transfer-bills/out-bill-no/{out_bill_no}/cancel, no body) of a bill waiting for the payee: CANCELING
   * or CANCELLED, the money stays with the merchant. Refused or unanswered, the bill's own state decides (the payee
   * may have confirmed first); still waiting, the error stands and the call is asked again.
   */
  async cancelPayout(req: { payoutNo: string; reason: string }): Promise<PayoutResult> {
    const billNo = transferBatchNo(req.payoutNo);
    // CANCELING only says WeChat accepted the cancel: the query's CANCELLED is the end (as billResult reads it).
    const cancelled = (b: TransferBill): PayoutResult => (b.state === "CANCELLED" ? { status: "FAILED", reason: req.reason, cancelled: true } : this.billResult(b));
    let answer: TransferBill;
    try {
      ({ data: answer } = await this.client.chain("v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}/cancel").post(undefined, { out_bill_no: billNo } as never));
    } catch (e) {
      const bill = await this.fetchBill(billNo);
      if (!bill || bill.state === "WAIT_USER_CONFIRM") throw e;
      return cancelled(bill);
    }
    return cancelled(answer);
  }

  private billResult(b: TransferBill): PayoutResult {
    switch (b.state) {
      case "SUCCESS":
        return { status: "SUCCESS" };
      case "FAIL":
        return { status: "FAILED", reason: `微信转账失败 ${b.fail_reason ?? ""}`.trim() };
      // Cancelled (WeChat cancels a transfer left unconfirmed for 24 hours): the money stays with the merchant.
      // Said so (`cancelled`): whether the cancel was ours is the caller's to know (server/payments/calls.ts).
      case "CANCELLED":
        return { status: "FAILED", reason: `微信转账已撤销 ${b.state}`, cancelled: true };
      // Being cancelled: WeChat's own documents say only the query's final state counts, so nothing is released yet.
      case "CANCELING":
        return { status: "PROCESSING", cancelling: true };
      case "WAIT_USER_CONFIRM":
        return { status: "PROCESSING", confirm: { mchId: this.cfg.mchid, appId: this.cfg.appid, ...(b.package_info ? { package: b.package_info } : {}) } };
      case "ACCEPTED":
      case "PROCESSING":
      case "TRANSFERING":
        return { status: "PROCESSING" };
      default:
        throw new Error(`wechatpay transfer bill ${b.out_bill_no} in unknown state ${String(b.state)}`);
    }
  }

  /** 商家转账到零钱 (the batch product, before 2025-01-15 merchants only). */
  private async payoutByBatch(req: PayoutRequest, openid: string): Promise<PayoutResult> {
    const batchNo = transferBatchNo(req.payoutNo);
    const known = await this.queryTransfer(batchNo, req);
    if (known) return known;
    const detail: Json = { out_detail_no: batchNo, transfer_amount: req.amountFen, transfer_remark: "提现", openid };
    // The payee's name travels encrypted with the platform key (RSA-OAEP), named in Wechatpay-Serial.
    if (req.realName) detail.user_name = Rsa.encrypt(req.realName, this.platformKey);
    try {
      await this.client.chain("v3/transfer/batches").post(
        {
          appid: this.cfg.appid,
          out_batch_no: batchNo,
          batch_name: "提现",
          batch_remark: "提现",
          total_amount: req.amountFen,
          total_num: 1,
          transfer_detail_list: [detail],
          ...(this.cfg.transferSceneId ? { transfer_scene_id: this.cfg.transferSceneId } : {}),
        },
        { headers: { "Wechatpay-Serial": this.cfg.platformKeyId } },
      );
    } catch (e) {
      return this.refusedTransfer(e, () => this.queryTransfer(batchNo, req));
    }
    return { status: "PROCESSING" };
  }

  /**
   * GET /v3/bill/tradebill (bill_type ALL, gzip) for download_url, then the file itself (the SDK signs
   * the request; a file download carries no WeChat signature, so its SHA1 from the signed answer is
   * checked instead). A day without transactions has no bill (NO_STATEMENT_EXIST): no lines.
   */
  async downloadBill(billDate: string): Promise<BillLine[]> {
    let info: { hash_type?: string; hash_value?: string; download_url?: string };
    try {
      ({ data: info } = await this.client.chain("v3/bill/tradebill").get({ params: { bill_date: billDate, bill_type: "ALL", tar_type: "GZIP" } } as never));
    } catch (e) {
      if (errorCode(e) === "NO_STATEMENT_EXIST") return [];
      throw e;
    }
    if (!info.download_url) throw new Error("wechatpay tradebill answer without download_url");
    const token = new URL(info.download_url).searchParams.get("token") ?? "";
    const { data: raw } = await this.client.chain("v3/billdownload/file").get({ params: { token }, responseType: "arraybuffer" } as never);
    const text = gunzipSync(Buffer.from(raw as ArrayBuffer));
    if (info.hash_type !== "SHA1" || createHash("sha1").update(text).digest("hex") !== info.hash_value?.toLowerCase()) throw new Error("wechatpay bill failed its SHA1 check");
    return parseWechatTradeBill(text.toString("utf8"));
  }

  /** The transfer's state at WeChat, or null when WeChat has no such batch (never sent); with `expected`, only ours. */
  private async queryTransfer(batchNo: string, expected?: PayoutIdentity): Promise<PayoutResult | null> {
    let data: { transfer_batch?: { mchid?: string; batch_status?: string; close_reason?: string; total_amount?: number }; transfer_detail_list?: { detail_status?: string }[] };
    try {
      ({ data } = await this.client
        .chain("v3/transfer/batches/out-batch-no/{out_batch_no}")
        .get({ out_batch_no: batchNo, params: { need_query_detail: true, detail_status: "ALL" } } as never));
    } catch (e) {
      if (errorCode(e) === "NOT_FOUND") return null;
      throw e;
    }
    if (data.transfer_batch?.mchid !== this.cfg.mchid) throw new Error("wechatpay answered for another merchant's transfer batch");
    // The batch names its amount, not its payee: the payee is checked on the detail before the batch's end is taken.
    if (expected && data.transfer_batch.total_amount !== expected.amountFen) throw new Error(FOREIGN_PAYOUT);
    const batch = data.transfer_batch.batch_status;
    if (batch === "CLOSED") return { status: "FAILED", reason: `微信转账批次已关闭 ${data.transfer_batch?.close_reason ?? ""}`.trim() };
    if (batch !== "FINISHED") return { status: "PROCESSING" };
    const detail = data.transfer_detail_list?.[0]?.detail_status;
    if (detail !== "SUCCESS" && detail !== "FAIL") return { status: "PROCESSING" };
    const { data: d } = await this.client
      .chain("v3/transfer/batches/out-batch-no/{out_batch_no}/details/out-detail-no/{out_detail_no}")
      .get({ out_batch_no: batchNo, out_detail_no: batchNo } as never);
    const found = d as { openid?: string; transfer_amount?: number; fail_reason?: string };
    if (expected && !samePayout(expected, found.openid, found.transfer_amount)) throw new Error(FOREIGN_PAYOUT);
    if (detail === "SUCCESS") return { status: "SUCCESS" };
    return { status: "FAILED", reason: `微信转账失败 ${String(found.fail_reason ?? "")}`.trim() };
  }
}

/** The event types verifyNotification handles; any other verified one is acknowledged and ignored. */
const KNOWN_EVENT = /^(TRANSACTION\.SUCCESS|REFUND\.[A-Z_]+|MCHTRANSFER\.BILL\.FINISHED)$/;

/** A transfer WeChat holds under our number pays what we asked, to whom we asked (the openid when we still know it). */
function samePayout(expected: PayoutIdentity, openid: unknown, amountFen: unknown): boolean {
  return amountFen === expected.amountFen && (expected.payeeAccount === null || openid === expected.payeeAccount);
}

/**
 * out_batch_no / out_bill_no: 5–32 letters and digits, derived from our payoutNo so every retry names the same
 * transfer. A staff retry's "WD12-2" becomes "WD12R2" (a first attempt is "WD" and digits only, so never that).
 */
export function transferBatchNo(payoutNo: string): string {
  const no = payoutNo.replace(/^(WD\d+)-(\d+)$/, "$1R$2");
  if (!/^[A-Za-z0-9]{1,32}$/.test(no)) throw new Error(`payoutNo ${payoutNo} cannot name a WeChat transfer`);
  return no.padStart(5, "0");
}

/** The payoutNo transferBatchNo made an out_bill_no from (ours are "WD<id>" and a staff retry's "WD<id>-<n>"). */
export function payoutNoOfBill(billNo: string): string {
  return billNo.replace(/^0+(?=WD)/, "").replace(/^(WD\d+)R(\d+)$/, "$1-$2");
}

/**
 * Codes of a refused transfer that may pass later under the same number: WeChat busy, or the merchant's balance
 * (NOT_ENOUGH, topped up). Retried, then dead-lettered to staff.
 */
const TRANSFER_RETRYABLE = new Set(["SYSTEM_ERROR", "FREQUENCY_LIMITED", "NOT_ENOUGH"]);

/** A WeChat Pay API error's body {code, message}, parsed when it came as text. */
function errorBody(e: unknown): { code?: string; message?: string } | undefined {
  const data = (e as { response?: { data?: unknown } })?.response?.data;
  if (typeof data === "string") {
    try {
      return JSON.parse(data) as { code?: string; message?: string };
    } catch {
      return undefined;
    }
  }
  return data as { code?: string; message?: string } | undefined;
}

function errorMessage(e: unknown): string | undefined {
  const message = errorBody(e)?.message;
  return typeof message === "string" ? message : undefined;
}

function errorCode(e: unknown): string | undefined {
  return errorBody(e)?.code;
}

/** A PEM setting: the PEM itself (\n may be written as a literal backslash-n) or a file path. */
export function readPem(value: string): string {
  const v = value.trim();
  if (v.startsWith("-----BEGIN")) return v.replace(/\\n/g, "\n");
  return readFileSync(v, "utf8");
}

/** The adapter's settings from the environment; null when WeChat Pay is not configured. */
export function wechatPayConfigFromEnv(env: Env, notifyOrigin: string): WechatPayConfig | null {
  if (!env.WECHATPAY_MCHID) return null;
  const cert = env.WECHATPAY_PLATFORM_CERT ? readPem(env.WECHATPAY_PLATFORM_CERT) : null;
  return {
    mchid: env.WECHATPAY_MCHID,
    appid: env.WECHATPAY_APPID ?? "",
    merchantSerial: env.WECHATPAY_MERCHANT_SERIAL ?? "",
    merchantPrivateKey: readPem(env.WECHATPAY_MERCHANT_PRIVATE_KEY ?? ""),
    apiV3Key: env.WECHATPAY_APIV3_KEY ?? "",
    // A platform certificate names itself by its serial; a 微信支付公钥 by its PUB_KEY_ID.
    platformKeyId: cert ? new X509Certificate(cert).serialNumber.toUpperCase() : (env.WECHATPAY_PLATFORM_PUBLIC_KEY_ID ?? ""),
    platformKey: cert ?? readPem(env.WECHATPAY_PLATFORM_PUBLIC_KEY ?? ""),
    notifyUrl: `${notifyOrigin}/api/payments/wechatpay/notify`,
    baseUrl: env.WECHATPAY_BASE_URL || undefined,
    transferSceneId: env.WECHATPAY_TRANSFER_SCENE_ID || undefined,
    transferApi: env.WECHATPAY_TRANSFER_API === "batches" ? "batches" : "bills",
    transferPerception: env.WECHATPAY_TRANSFER_PERCEPTION || undefined,
    transferReportInfos: env.WECHATPAY_TRANSFER_REPORT_INFOS ? (JSON.parse(env.WECHATPAY_TRANSFER_REPORT_INFOS) as Record<string, string>) : undefined,
  };
}
