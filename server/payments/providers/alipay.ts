// Alipay (支付宝开放平台, public-key mode, RSA2) through the official alipay-sdk: mobile-web pay
// (alipay.trade.wap.pay), asynchronous notifications verified with the SDK's checkNotifySignV2,
// alipay.trade.query as the fallback, alipay.trade.close when its order is cancelled, alipay.trade.refund with
// alipay.trade.fastpay.refund.query to confirm it, payouts by alipay.fund.trans.uni.transfer, and the daily trade bill
// through alipay.data.dataservice.bill.downloadurl.query.
// Every gateway answer is verified against the Alipay public key (validateSign).
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { AlipaySdk } from "alipay-sdk";
import { unzipSync } from "fflate";
import { parseAlipayTradeBill, type BillLine } from "../bills";
import type { CreatePaymentRequest, CreatedPayment, PaymentNotification, PaymentProvider, PayoutRequest, PayoutResult, RefundNotification, RefundResult } from "../provider";
import type { Env } from "../../env";
import { FOREIGN_PAYOUT, FOREIGN_REFUND, readPem, type PayoutIdentity } from "./wechatpay";
import { beijingWallTime, parseProviderTime } from "./beijing-time";

export interface AlipayConfig {
  appId: string;
  /** The application private key: PEM (PKCS#1 or PKCS#8) or the bare base64 the Alipay key tool prints. */
  privateKey: string;
  /** The Alipay public key (支付宝公钥): PEM or bare base64. */
  alipayPublicKey: string;
  /** Our notify route (refund and payment notices). */
  notifyUrl: string;
  /** The gateway; Alipay's production gateway when unset. */
  gateway?: string;
}

/** Notices whose notify_time is further than this from our clock are refused (no replays of old notices). */
export const ALIPAY_MAX_SKEW_MS = 15 * 60_000;

function keyFrom(text: string, type: "private" | "public"): KeyObject {
  const v = text.trim();
  if (v.startsWith("-----BEGIN")) return type === "private" ? createPrivateKey(readPem(v)) : createPublicKey(readPem(v));
  const der = Buffer.from(v.replace(/\s+/g, ""), "base64");
  if (type === "public") return createPublicKey({ key: der, format: "der", type: "spki" });
  try {
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } catch {
    return createPrivateKey({ key: der, format: "der", type: "pkcs1" });
  }
}

/** "123.45" (元, as Alipay writes amounts) → 12345 fen; anything else is refused. */
export function yuanToFen(yuan: string): number {
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!m) throw new Error(`malformed amount ${yuan}`);
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error(`bad amount ${fen}`);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}

type Result = Record<string, string | undefined>;

export class AlipayProvider implements PaymentProvider {
  readonly name = "alipay";
  readonly notifyAck = "success";
  readonly payeePlatform: { platform: string; appId: string };
  private readonly sdk: AlipaySdk;

  constructor(private readonly cfg: AlipayConfig) {
    this.payeePlatform = { platform: "alipay", appId: cfg.appId };
    this.sdk = new AlipaySdk({
      appId: cfg.appId,
      privateKey: keyFrom(cfg.privateKey, "private").export({ type: "pkcs1", format: "pem" }).toString(),
      keyType: "PKCS1",
      alipayPublicKey: keyFrom(cfg.alipayPublicKey, "public").export({ type: "spki", format: "pem" }).toString(),
      signType: "RSA2",
      camelcase: false,
      timeout: 15_000,
      ...(cfg.gateway ? { gateway: cfg.gateway } : {}),
    });
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatedPayment> {
    const cashierUrl = this.sdk.pageExecute("alipay.trade.wap.pay", "GET", {
      bizContent: {
        out_trade_no: req.reference,
        total_amount: fenToYuan(req.amountFen),
        subject: req.description,
        product_code: "QUICK_WAP_WAY",
        quit_url: req.returnUrl,
        // Absolute (timeout_express would count from when the shopper opens the cashier).
        time_expire: beijingWallTime(req.expiresAt),
      },
      notify_url: req.notifyUrl,
      return_url: req.returnUrl,
    });
    return { cashierUrl };
  }

  verifyNotification(rawBody: string, _headers: Headers, receivedAt: Date): PaymentNotification | RefundNotification {
    // Alipay posts application/x-www-form-urlencoded; the signature covers the decoded values.
    const p = Object.fromEntries(new URLSearchParams(rawBody)) as Record<string, string>;
    if (!p.sign || !this.sdk.checkNotifySignV2(p)) throw new Error("invalid alipay signature");
    if (p.app_id !== this.cfg.appId) throw new Error("alipay notice for another app");
    const sent = Date.parse(`${(p.notify_time ?? "").replace(" ", "T")}+08:00`);
    if (!Number.isFinite(sent) || Math.abs(receivedAt.getTime() - sent) > ALIPAY_MAX_SKEW_MS) throw new Error("stale alipay notice");
    if (!p.out_trade_no || !p.trade_no || !p.trade_status) throw new Error("malformed alipay notice");
    // A refund notice carries the refund's out_request_no as out_biz_no, the refunded total and its time.
    if (p.out_biz_no && p.refund_fee) {
      const refundedAt = parseProviderTime(p.gmt_refund);
      return { kind: "refund", refundNo: p.out_biz_no, providerTxnId: p.trade_no, refundFen: yuanToFen(p.refund_fee), status: "SUCCESS", ...(refundedAt ? { refundedAt } : {}) };
    }
    return this.paymentOf(p);
  }

  private paymentOf(t: Result): PaymentNotification {
    const paid = t.trade_status === "TRADE_SUCCESS" || t.trade_status === "TRADE_FINISHED";
    // A notice names the payment time gmt_payment, alipay.trade.query send_pay_date.
    const paidAt = parseProviderTime(t.gmt_payment ?? t.send_pay_date);
    return {
      kind: "payment", reference: t.out_trade_no!, providerTxnId: t.trade_no!, amountFen: yuanToFen(t.total_amount ?? ""), currency: "CNY", status: paid ? "SUCCESS" : "CLOSED",
      ...(paidAt ? { paidAt } : {}),
    };
  }

  private async call(method: string, bizContent: Record<string, unknown>): Promise<Result> {
    return (await this.sdk.exec(method, { bizContent }, { validateSign: true })) as unknown as Result;
  }

  async queryPayment(reference: string): Promise<PaymentNotification | null> {
    const r = await this.call("alipay.trade.query", { out_trade_no: reference });
    if (r.code === "40004" && r.sub_code === "ACQ.TRADE_NOT_EXIST") return null;
    if (r.code !== "10000") throw new Error(`alipay.trade.query ${r.code} ${r.sub_code ?? ""}`);
    const n = this.paymentOf(r);
    return n.status === "SUCCESS" ? n : null;
  }

  /**
   * alipay.trade.close by out_trade_no. ACQ.TRADE_NOT_EXIST: the shopper never opened the cashier, so there is no trade to
   * pay; ACQ.TRADE_STATUS_ERROR: the trade is no longer waiting (paid, or closed already), which the query tells apart.
   */
  async closePayment(reference: string): Promise<"closed" | "paid"> {
    const r = await this.call("alipay.trade.close", { out_trade_no: reference });
    if (r.code === "10000" || (r.code === "40004" && r.sub_code === "ACQ.TRADE_NOT_EXIST")) return "closed";
    if (r.code === "40004" && r.sub_code === "ACQ.TRADE_STATUS_ERROR") return (await this.queryPayment(reference)) ? "paid" : "closed";
    throw new Error(`alipay.trade.close ${r.code} ${r.sub_code ?? ""}`);
  }

  async refund(req: { refundNo: string; providerTxnId: string; amountFen: number }): Promise<RefundResult> {
    const r = await this.call("alipay.trade.refund", { trade_no: req.providerTxnId, refund_amount: fenToYuan(req.amountFen), out_request_no: req.refundNo });
    if (r.code !== "10000") throw new Error(`alipay.trade.refund ${r.code} ${r.sub_code ?? ""}`);
    // Our refunds are full, one per trade: refund_fee (the trade's refunded total) once the money moved is our amount.
    if (r.trade_no !== req.providerTxnId || (r.fund_change === "Y" && yuanToFen(r.refund_fee ?? "") !== req.amountFen)) throw new Error(FOREIGN_REFUND);
    // Only fund_change "Y" says the money moved; "N" (not yet, or a repeated out_request_no) is confirmed by the refund query.
    if (r.fund_change !== "Y") return { status: "PROCESSING" };
    // gmt_refund_pay: when Alipay paid it back, by its clock (the bill's 完成时间).
    const refundedAt = parseProviderTime(r.gmt_refund_pay);
    return { status: "SUCCESS", ...(refundedAt ? { refundedAt } : {}) };
  }

  /** alipay.trade.fastpay.refund.query: REFUND_SUCCESS with its gmt_refund_pay; no refund_status yet (or no such refund): null. */
  async queryRefund(req: { refundNo: string; providerTxnId: string }): Promise<RefundNotification | null> {
    const r = await this.call("alipay.trade.fastpay.refund.query", { trade_no: req.providerTxnId, out_request_no: req.refundNo, query_options: ["gmt_refund_pay"] });
    if (r.code === "40004" && r.sub_code === "ACQ.TRADE_NOT_EXIST") return null;
    if (r.code !== "10000") throw new Error(`alipay.trade.fastpay.refund.query ${r.code} ${r.sub_code ?? ""}`);
    if (r.refund_status !== "REFUND_SUCCESS") return null;
    if (!r.out_request_no || !r.trade_no) throw new Error("malformed alipay refund query answer");
    // The amount is checked against our refund by the caller; another trade's refund under our number is not ours.
    if (r.out_request_no !== req.refundNo || r.trade_no !== req.providerTxnId) throw new Error(FOREIGN_REFUND);
    const refundedAt = parseProviderTime(r.gmt_refund_pay);
    return { kind: "refund", refundNo: r.out_request_no, providerTxnId: r.trade_no, refundFen: yuanToFen(r.refund_amount ?? ""), status: "SUCCESS", ...(refundedAt ? { refundedAt } : {}) };
  }

  /**
   * The day's trade bill: a signed answer names bill_download_url, a zip of GBK CSV files (业务明细 and
   * its 汇总); the detail file is the one with the 支付宝交易号 header. No bill for the day: no lines.
   */
  async downloadBill(billDate: string): Promise<BillLine[]> {
    const r = await this.call("alipay.data.dataservice.bill.downloadurl.query", { bill_type: "trade", bill_date: billDate });
    if (r.code === "40004" && r.sub_code === "isp.bill_not_exist") return [];
    if (r.code !== "10000" || !r.bill_download_url) throw new Error(`alipay.data.dataservice.bill.downloadurl.query ${r.code} ${r.sub_code ?? ""}`);
    const res = await fetch(r.bill_download_url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`alipay bill download ${res.status}`);
    const gbk = new TextDecoder("gbk");
    const files = Object.values(unzipSync(new Uint8Array(await res.arrayBuffer()))).map((bytes) => gbk.decode(bytes));
    const detail = files.find((text) => /^支付宝交易号,/m.test(text));
    if (!detail) throw new Error("alipay bill zip without its 业务明细 file");
    return parseAlipayTradeBill(detail);
  }

  async payout(req: PayoutRequest): Promise<PayoutResult> {
    if (!req.payeeAccount) return this.unsendable(req, "未绑定支付宝账户，无法转账");
    // A login the member bound in the wallet (a mobile number or an e-mail): Alipay pays one only with the payee's real name.
    const logon = req.payeeAccount.includes("@") || /^1[3-9]\d{9}$/.test(req.payeeAccount);
    if (logon && !req.realName) return this.unsendable(req, "未实名认证，无法转账到支付宝登录账号");
    const r = await this.call("alipay.fund.trans.uni.transfer", {
      out_biz_no: req.payoutNo,
      trans_amount: fenToYuan(req.amountFen),
      product_code: TRANSFER_PRODUCT,
      biz_scene: TRANSFER_SCENE,
      order_title: "提现",
      payee_info: {
        identity: req.payeeAccount,
        identity_type: logon ? "ALIPAY_LOGON_ID" : req.payeeAccount.startsWith("2088") ? "ALIPAY_USER_ID" : "ALIPAY_OPEN_ID",
        ...(req.realName ? { name: req.realName } : {}),
      },
    });
    // Alipay answers a repeated out_biz_no with the earlier transfer only when its details match (else PAYMENT_INFO_INCONSISTENCY).
    if (r.code === "10000") {
      if (r.out_biz_no !== req.payoutNo) throw new Error(FOREIGN_PAYOUT);
      return transferResult(r);
    }
    // Refused for good (the payee's side, a limit, a permission): final, the money goes back, unless a transfer under
    // this number exists after all (PAYMENT_INFO_INCONSISTENCY: an earlier send with other details stands).
    if (r.code === "40004" && !TRANSFER_RETRYABLE.has(r.sub_code ?? "")) {
      return (await this.queryPayout(req.payoutNo, req)) ?? { status: "FAILED", reason: `支付宝转账失败 ${r.sub_code ?? ""} ${r.sub_msg ?? ""}`.trim() };
    }
    throw new Error(`alipay.fund.trans.uni.transfer ${r.code} ${r.sub_code ?? ""}`);
  }

  /** A payout we cannot send now (the account unbound since, the app id changed): an earlier send under its number still decides. */
  private async unsendable(req: PayoutRequest, reason: string): Promise<PayoutResult> {
    return (await this.queryPayout(req.payoutNo, req)) ?? { status: "FAILED", reason };
  }

  /**
   * alipay.fund.trans.common.query under our out_biz_no, sending nothing: null when Alipay has no such transfer. With
   * `expected`, a transfer there of another amount (trans_amount, which the answer carries once it succeeded; the query
   * names no payee) is refused (thrown): not ours to report.
   */
  async queryPayout(payoutNo: string, expected?: PayoutIdentity): Promise<PayoutResult | null> {
    const r = await this.call("alipay.fund.trans.common.query", { out_biz_no: payoutNo, product_code: TRANSFER_PRODUCT, biz_scene: TRANSFER_SCENE });
    if (r.code === "40004" && r.sub_code === "ORDER_NOT_EXIST") return null;
    if (r.code !== "10000") throw new Error(`alipay.fund.trans.common.query ${r.code} ${r.sub_code ?? ""}`);
    if (expected && (r.out_biz_no !== payoutNo || (r.trans_amount !== undefined && yuanToFen(r.trans_amount) !== expected.amountFen))) throw new Error(FOREIGN_PAYOUT);
    return transferResult(r);
  }
}

const TRANSFER_PRODUCT = "TRANS_ACCOUNT_NO_PWD";
const TRANSFER_SCENE = "DIRECT_TRANSFER";

/**
 * The 40004 sub_codes of alipay.fund.trans.uni.transfer that may succeed later under the same out_biz_no (Alipay's
 * documents: SYSTEM_ERROR is asked again with the same parameters; the merchant's balance or balance payment can be
 * restored): retried, then dead-lettered to staff. Every other 40004 is Alipay's final answer.
 */
const TRANSFER_RETRYABLE = new Set(["SYSTEM_ERROR", "PAYER_BALANCE_NOT_ENOUGH", "PAYCARD_UNABLE_PAYMENT"]);

/** A transfer's status as uni.transfer and common.query give it; INIT, DEALING, UNKNOWN: not ended. */
function transferResult(r: Result): PayoutResult {
  if (r.status === "SUCCESS") return { status: "SUCCESS" };
  // REFUND: 退票, the money came back to the merchant (transfers to a bank card).
  if (r.status === "FAIL" || r.status === "CLOSED" || r.status === "REFUND") return { status: "FAILED", reason: `支付宝转账失败 ${r.fail_reason ?? r.error_code ?? ""}`.trim() };
  return { status: "PROCESSING" };
}

/** A key setting: PEM, the bare base64 the Alipay key tool prints, or a file path holding either. */
function keySetting(value: string | undefined): string {
  const v = (value ?? "").trim();
  return v.startsWith("-----BEGIN") || /^[A-Za-z0-9+/=\s]{200,}$/.test(v) ? v : readPem(v);
}

/** The adapter's settings from the environment; null when Alipay is not configured. */
export function alipayConfigFromEnv(env: Env, notifyOrigin: string): AlipayConfig | null {
  if (!env.ALIPAY_APP_ID) return null;
  return {
    appId: env.ALIPAY_APP_ID,
    privateKey: keySetting(env.ALIPAY_PRIVATE_KEY),
    alipayPublicKey: keySetting(env.ALIPAY_PUBLIC_KEY),
    notifyUrl: `${notifyOrigin}/api/payments/alipay/notify`,
    gateway: env.ALIPAY_GATEWAY || undefined,
  };
}
