// A local Alipay open-platform gateway (/gateway.do) following the published protocol: every request's
// RSA2 signature (sorted params, app public key) is checked; every answer is
// {"<method>_response":{…},"sign":"…"} signed with its own Alipay key; asynchronous notices are form
// posts signed the same way (sign and sign_type excluded). Keys are generated per test run. The daily
// trade bill is a zip of two GBK CSV files (业务明细 and 汇总) behind a download URL the gateway names.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { zipSync } from "fflate";
import iconv from "iconv-lite";
import type { AlipayConfig } from "../../server/payments/providers/alipay";

interface Trade {
  out_trade_no: string;
  total_amount: string;
  notify_url: string;
  trade_no: string;
  trade_status: "WAIT_BUYER_PAY" | "TRADE_SUCCESS" | "TRADE_CLOSED";
  refunds: Map<string, string>;
  /** The merchant's time_expire (Beijing "yyyy-MM-dd HH:mm:ss"), as sent. */
  time_expire?: string;
  /** When the shopper paid, by Alipay's clock. */
  paid_at?: Date;
}

/** One money movement as the bill lists it. */
export interface BillRow {
  at: Date;
  type: "交易" | "退款";
  trade_no: string;
  out_trade_no: string;
  /** The order's amount (yuan); a refund row repeats it. */
  total_amount: string;
  /** What the merchant received (yuan): negative for a refund. */
  received: string;
  out_request_no: string;
}

export interface Notice {
  body: string;
  headers: Record<string, string>;
}

/** Alipay's clock, Beijing time: "yyyy-MM-dd HH:mm:ss". */
function beijing(at = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** The notice's refund time: "yyyy-MM-dd HH:mm:ss.SSS" (Alipay writes gmt_refund with milliseconds). */
function withMillis(at: Date): string {
  return `${beijing(at)}.${String(at.getUTCMilliseconds()).padStart(3, "0")}`;
}

/** A Beijing "yyyy-MM-dd HH:mm[:ss]" as an instant. */
function fromBeijing(text: string): number {
  return Date.parse(`${text.replace(" ", "T")}${text.length === 16 ? ":00" : ""}+08:00`);
}

/** A body as JSON, or null when it is not (a bad request must not bring the stand-in down). */
function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return null;
  }
}

/** A request's out_biz_no, read without checking the request (an unreachable gateway checks nothing). */
function outBizNoOf(bizContent: string | undefined): string {
  return String((parseJson(bizContent) as { out_biz_no?: unknown } | null)?.out_biz_no ?? "");
}

function signContent(params: Record<string, string>, exclude: string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== "" && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
}

/** Keys given by a run that must know them before the server starts (the e2e run's settings); otherwise generated. */
export interface AlipayKeys {
  appId: string;
  /** The application's public key (verifies the merchant's requests). */
  appPublicKey: KeyObject;
  /** Alipay's own key pair (signs answers and notices). */
  alipay: { privateKey: KeyObject; publicKey: KeyObject };
}

export class AlipayTestServer {
  readonly appId: string;
  readonly app: { privateKey?: KeyObject; publicKey: KeyObject };
  readonly alipay: { privateKey: KeyObject; publicKey: KeyObject };
  readonly trades = new Map<string, Trade>();
  readonly transfers = new Map<string, { identity: string; identityType: string; name?: string; amount: string; status: "SUCCESS" | "DEALING" | "FAIL"; fail_reason?: string }>();
  /** While set, Alipay refuses every new transfer with this 40004 sub_code (nothing is created under its out_biz_no). */
  refuseTransfers?: { sub_code: string; sub_msg: string };
  /** The out_biz_no of every transfer request, accepted or not. */
  readonly transferRequests: string[] = [];
  /** While set, the gateway is unreachable for transfers: HTTP 502 without a body, and nothing reaches Alipay. */
  transfersUnreachable = false;
  /** The out_biz_no of every transfer answered 502 while unreachable. */
  readonly unreachableTransfers: string[] = [];
  /** The real name behind an account: a transfer naming someone else fails with PAYEE_USER_INFO_ERROR. */
  readonly accountNames = new Map<string, string>();
  /** Accounts that do not exist at Alipay (transfers to them fail with PAYEE_NOT_EXIST). */
  readonly unknownPayees = new Set<string>();
  readonly rejected: string[] = [];
  /** While set, a new refund is accepted unpaid (fund_change "N") until completeRefund, as Alipay's refunds to a bank card are. */
  deferRefunds = false;
  /** The out_request_no of refunds accepted but not yet paid back. */
  readonly refundsInProgress = new Set<string>();
  /** The out_request_no of every refund query answered, in order. */
  readonly refundQueries: string[] = [];
  /** Whether the cashier page was opened with a valid signature, per out_trade_no. */
  readonly cashierOpened = new Set<string>();
  /** Alipay's clock (tests of a given day set it). */
  clock: () => Date = () => new Date();
  readonly billRows: BillRow[] = [];
  /** Rewrites a day's bill rows before the file is built (differences in tests). */
  editBill?: (rows: BillRow[]) => BillRow[];
  private readonly billFiles = new Map<string, Buffer>();
  private server: Server | null = null;
  private seq = 0;
  baseUrl = "";

  constructor(keys?: AlipayKeys) {
    this.appId = keys?.appId ?? "2021004100000001";
    this.app = keys ? { publicKey: keys.appPublicKey } : generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.alipay = keys?.alipay ?? generateKeyPairSync("rsa", { modulusLength: 2048 });
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Longer than any client's idle keep-alive: a slow machine's client must not reuse a socket the server is closing (ECONNRESET).
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The settings a merchant copies from the open platform: bare base64 keys, as the key tool prints them. */
  config(notifyOrigin = "http://127.0.0.1:3100"): AlipayConfig {
    return {
      appId: this.appId,
      privateKey: this.app.privateKey!.export({ type: "pkcs8", format: "der" }).toString("base64"),
      alipayPublicKey: this.alipay.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
      notifyUrl: `${notifyOrigin}/api/payments/alipay/notify`,
      gateway: `${this.baseUrl}/gateway.do`,
    };
  }

  /** The shopper opens the cashier URL our adapter made (a browser GET on the gateway). */
  async openCashier(url: string): Promise<number> {
    return (await fetch(url)).status;
  }

  /** The shopper pays: TRADE_SUCCESS, and the notice Alipay posts to notify_url. */
  pay(outTradeNo: string): Notice {
    const t = this.trades.get(outTradeNo);
    if (!t) throw new Error(`no trade ${outTradeNo}`);
    const at = this.clock();
    // Past its time_expire Alipay closes the trade: "订单已超时，不能付款".
    if (t.trade_status === "WAIT_BUYER_PAY" && t.time_expire && at.getTime() >= fromBeijing(t.time_expire)) {
      t.trade_status = "TRADE_CLOSED";
      throw new Error(`订单已超时，不能付款 (trade ${outTradeNo}, time_expire ${t.time_expire})`);
    }
    if (t.trade_status === "TRADE_CLOSED") throw new Error(`交易已关闭，不能付款 (trade ${outTradeNo})`);
    t.trade_status = "TRADE_SUCCESS";
    t.paid_at = at;
    this.billRows.push({ at, type: "交易", trade_no: t.trade_no, out_trade_no: t.out_trade_no, total_amount: t.total_amount, received: t.total_amount, out_request_no: "" });
    return this.notice(
      {
        notify_type: "trade_status_sync", trade_no: t.trade_no, out_trade_no: t.out_trade_no, trade_status: "TRADE_SUCCESS",
        total_amount: t.total_amount, receipt_amount: t.total_amount, buyer_id: "2088102177846880", gmt_payment: beijing(at), subject: "订单",
      },
      { at },
    );
  }

  /** Alipay pays a deferred refund back now (its clock): the bill lists it, the trade closes; returns the notice it posts. */
  completeRefund(outRequestNo: string): Notice {
    const t = [...this.trades.values()].find((x) => x.refunds.has(outRequestNo));
    if (!t || !this.refundsInProgress.delete(outRequestNo)) throw new Error(`no refund in progress ${outRequestNo}`);
    t.trade_status = "TRADE_CLOSED";
    this.billRows.push({ at: this.clock(), type: "退款", trade_no: t.trade_no, out_trade_no: t.out_trade_no, total_amount: t.total_amount, received: `-${t.refunds.get(outRequestNo)!}`, out_request_no: outRequestNo });
    return this.refundNotice(t.out_trade_no, outRequestNo);
  }

  /** The notice after a full refund: the trade closes, refund_fee and out_biz_no name the refund, gmt_refund its time. */
  refundNotice(outTradeNo: string, outRequestNo: string): Notice {
    const t = this.trades.get(outTradeNo)!;
    return this.notice({
      notify_type: "trade_status_sync", trade_no: t.trade_no, out_trade_no: t.out_trade_no, out_biz_no: outRequestNo, trade_status: "TRADE_CLOSED",
      total_amount: t.total_amount, refund_fee: t.refunds.get(outRequestNo) ?? "0.00", gmt_refund: withMillis(this.refundedAt(outRequestNo) ?? this.clock()),
    });
  }

  /** When Alipay paid a refund back (its bill row's time), by its clock. */
  private refundedAt(outRequestNo: string): Date | undefined {
    return this.billRows.find((r) => r.type === "退款" && r.out_request_no === outRequestNo)?.at;
  }

  /** A notice signed as Alipay signs it (over: forged variants). */
  notice(fields: Record<string, string>, over: { signWith?: KeyObject; at?: Date; appId?: string } = {}): Notice {
    const params: Record<string, string> = {
      notify_time: beijing(over.at ?? this.clock()), notify_id: randomBytes(16).toString("hex"), app_id: over.appId ?? this.appId, charset: "utf-8", version: "1.0", sign_type: "RSA2", ...fields,
    };
    params.sign = createSign("RSA-SHA256").update(signContent(params, ["sign", "sign_type"]), "utf8").sign(over.signWith ?? this.alipay.privateKey, "base64");
    return { body: new URLSearchParams(params).toString(), headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } };
  }

  completeTransfer(outBizNo: string) {
    this.transfers.get(outBizNo)!.status = "SUCCESS";
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://local");
    // Alipay finishes the transfers it is still dealing with (an e2e run's stand-in lives in another process).
    if (url.pathname === "/__alipay/complete-transfers" && req.method === "POST") {
      const dealing = [...this.transfers.entries()].filter(([, t]) => t.status === "DEALING").map(([no]) => no);
      for (const no of dealing) this.completeTransfer(no);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ completed: dealing.length }));
      return;
    }
    // The gateway goes unreachable for transfers, or comes back (an e2e run's stand-in lives in another process): {on}.
    if (url.pathname === "/__alipay/transfers-unreachable" && req.method === "POST") {
      const on = (parseJson(Buffer.concat(chunks).toString("utf8")) as { on?: unknown } | null)?.on;
      if (typeof on !== "boolean") return res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "on must be true or false" }));
      this.transfersUnreachable = on;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ on, refused: this.unreachableTransfers }));
      return;
    }
    if (url.pathname.startsWith("/bill/")) {
      const file = this.billFiles.get(url.pathname.slice("/bill/".length));
      res.writeHead(file ? 200 : 404, { "content-type": "application/oct-stream" });
      return res.end(file ?? "");
    }
    const params: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) };
    const method = params.method ?? "";
    if (this.transfersUnreachable && method === "alipay.fund.trans.uni.transfer") {
      // A proxy in front of the gateway answers; Alipay never sees the transfer (its query then finds no such order).
      this.unreachableTransfers.push(outBizNoOf(params.biz_content));
      res.writeHead(502).end();
      return;
    }
    const reply = (data: Record<string, unknown>) => {
      const json = JSON.stringify(data);
      const sign = createSign("RSA-SHA256").update(json, "utf8").sign(this.alipay.privateKey, "base64");
      res.writeHead(200, { "content-type": "application/json;charset=utf-8" });
      res.end(`{"${method.replaceAll(".", "_")}_response":${json},"sign":"${sign}"}`);
    };
    const verified = params.sign && params.app_id === this.appId && params.sign_type === "RSA2" &&
      createVerify("RSA-SHA256").update(signContent(params, ["sign"]), "utf8").verify(this.app.publicKey, params.sign, "base64");
    if (url.pathname !== "/gateway.do" || !verified) {
      this.rejected.push(method);
      return reply({ code: "40002", msg: "Invalid Arguments", sub_code: "isv.invalid-signature", sub_msg: "验签出错" });
    }
    const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, unknown>;
    const fail = (sub_code: string, sub_msg: string) => reply({ code: "40004", msg: "Business Failed", sub_code, sub_msg });
    switch (method) {
      case "alipay.trade.wap.pay": {
        const no = String(biz.out_trade_no);
        if (biz.product_code !== "QUICK_WAP_WAY" || !/^\d+\.\d{2}$/.test(String(biz.total_amount)) || !params.notify_url) return fail("ACQ.INVALID_PARAMETER", "参数无效");
        const expire = biz.time_expire === undefined ? undefined : String(biz.time_expire);
        if (expire !== undefined && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(expire)) return fail("ACQ.INVALID_PARAMETER", "参数无效");
        // A cashier opened after time_expire: "订单参数异常，请重新下单后再发起付款".
        if (expire !== undefined && this.clock().getTime() >= fromBeijing(expire)) return fail("ACQ.TRADE_HAS_CLOSE", "订单已关闭");
        if (!this.trades.has(no)) this.trades.set(no, { out_trade_no: no, total_amount: String(biz.total_amount), notify_url: params.notify_url, trade_no: `2026${Date.now()}${++this.seq}`, trade_status: "WAIT_BUYER_PAY", refunds: new Map(), time_expire: expire });
        this.cashierOpened.add(no);
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end("<html><body>支付宝收银台</body></html>");
      }
      case "alipay.trade.query": {
        const t = this.trades.get(String(biz.out_trade_no));
        if (!t) return fail("ACQ.TRADE_NOT_EXIST", "交易不存在");
        return reply({
          code: "10000", msg: "Success", trade_no: t.trade_no, out_trade_no: t.out_trade_no, trade_status: t.trade_status, total_amount: t.total_amount, buyer_logon_id: "159****5620",
          ...(t.paid_at ? { send_pay_date: beijing(t.paid_at) } : {}),
        });
      }
      case "alipay.trade.refund": {
        const t = [...this.trades.values()].find((x) => x.trade_no === biz.trade_no);
        if (!t || t.trade_status === "WAIT_BUYER_PAY") return fail("ACQ.TRADE_NOT_EXIST", "交易不存在");
        const no = String(biz.out_request_no);
        const repeat = t.refunds.has(no);
        if (!repeat) {
          if (biz.refund_amount !== t.total_amount) return fail("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
          t.refunds.set(no, String(biz.refund_amount));
          if (this.deferRefunds) {
            this.refundsInProgress.add(no);
            // Accepted, no money moved yet: no refund time either.
            return reply({ code: "10000", msg: "Success", trade_no: t.trade_no, out_trade_no: t.out_trade_no, refund_fee: "0.00", fund_change: "N" });
          }
          t.trade_status = "TRADE_CLOSED";
          this.billRows.push({ at: this.clock(), type: "退款", trade_no: t.trade_no, out_trade_no: t.out_trade_no, total_amount: t.total_amount, received: `-${String(biz.refund_amount)}`, out_request_no: no });
        }
        const at = this.refundedAt(no);
        return reply({
          code: "10000", msg: "Success", trade_no: t.trade_no, out_trade_no: t.out_trade_no, refund_fee: at ? t.refunds.get(no) : "0.00", fund_change: repeat ? "N" : "Y",
          ...(at ? { gmt_refund_pay: beijing(at) } : {}),
        });
      }
      case "alipay.trade.fastpay.refund.query": {
        // trade_no is taken before out_trade_no when both are given.
        const t = biz.trade_no ? [...this.trades.values()].find((x) => x.trade_no === biz.trade_no) : this.trades.get(String(biz.out_trade_no));
        if (!t) return fail("ACQ.TRADE_NOT_EXIST", "交易不存在");
        const no = String(biz.out_request_no ?? "");
        if (!no) return fail("ACQ.INVALID_PARAMETER", "参数无效");
        this.refundQueries.push(no);
        const at = this.refundedAt(no);
        const base = { code: "10000", msg: "Success", trade_no: t.trade_no, out_trade_no: t.out_trade_no, out_request_no: no, total_amount: t.total_amount };
        // Not received, or not paid back yet: the answer carries no refund_status.
        if (!t.refunds.has(no) || !at) return reply(base);
        const options = Array.isArray(biz.query_options) ? (biz.query_options as string[]) : [];
        return reply({ ...base, refund_amount: t.refunds.get(no), refund_status: "REFUND_SUCCESS", ...(options.includes("gmt_refund_pay") ? { gmt_refund_pay: beijing(at) } : {}) });
      }
      case "alipay.fund.trans.uni.transfer": {
        const no = String(biz.out_biz_no);
        const payee = biz.payee_info as { identity: string; identity_type: string; name?: string };
        if (biz.product_code !== "TRANS_ACCOUNT_NO_PWD" || biz.biz_scene !== "DIRECT_TRANSFER") return fail("INVALID_PARAMETER", "参数有误");
        // identity_type names how identity is read: a 2088 user id, an open id, or a login (mobile number or e-mail) that needs the name.
        const identityOk: Record<string, RegExp> = { ALIPAY_USER_ID: /^2088\d{12}$/, ALIPAY_OPEN_ID: /^[A-Za-z0-9_-]{20,64}$/, ALIPAY_LOGON_ID: /^(1[3-9]\d{9}|[^@\s]+@[^@\s]+\.[A-Za-z]{2,})$/ };
        if (!identityOk[payee.identity_type]?.test(payee.identity)) return fail("INVALID_PARAMETER", "参数有误：identity 与 identity_type 不符");
        if (payee.identity_type === "ALIPAY_LOGON_ID" && !payee.name) return fail("INVALID_PARAMETER", "参数有误：identity_type 为 ALIPAY_LOGON_ID 时 name 必填");
        if (this.unknownPayees.has(payee.identity)) return fail("PAYEE_NOT_EXIST", "收款账号不存在");
        const owner = this.accountNames.get(payee.identity);
        if (owner && payee.name && owner !== payee.name) return fail("PAYEE_USER_INFO_ERROR", "支付宝账号和姓名不匹配，请确认姓名是否正确");
        this.transferRequests.push(no);
        const known = this.transfers.get(no);
        // A repeated out_biz_no is answered with its transfer only when the details match (Alipay's idempotency rule).
        if (known && (known.identity !== payee.identity || known.amount !== String(biz.trans_amount))) return fail("PAYMENT_INFO_INCONSISTENCY", "两次请求商户单号一样，但是参数不一致");
        if (!known && this.refuseTransfers) return fail(this.refuseTransfers.sub_code, this.refuseTransfers.sub_msg);
        const tr = known ?? { identity: payee.identity, identityType: payee.identity_type, name: payee.name, amount: String(biz.trans_amount), status: "DEALING" as const };
        this.transfers.set(no, tr);
        return reply({ code: "10000", msg: "Success", out_biz_no: no, order_id: `2026${++this.seq}`, pay_fund_order_id: `2026${this.seq}`, status: tr.status, trans_date: beijing() });
      }
      case "alipay.fund.trans.common.query": {
        // With out_biz_no, product_code and biz_scene are required (the transfer's own).
        if (!biz.out_biz_no || biz.product_code !== "TRANS_ACCOUNT_NO_PWD" || biz.biz_scene !== "DIRECT_TRANSFER") return fail("INVALID_PARAMETER", "参数有误");
        const no = String(biz.out_biz_no);
        const tr = this.transfers.get(no);
        if (!tr) return fail("ORDER_NOT_EXIST", "转账订单不存在");
        // trans_amount: what was paid, once it succeeded.
        return reply({
          code: "10000", msg: "Success", out_biz_no: no, order_id: `2026${no}`, status: tr.status, ...(tr.status === "SUCCESS" ? { trans_amount: tr.amount } : {}),
          ...(tr.fail_reason ? { fail_reason: tr.fail_reason } : {}),
        });
      }
      case "alipay.data.dataservice.bill.downloadurl.query": {
        const day = String(biz.bill_date);
        if (biz.bill_type !== "trade" || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return fail("isv.invalid-bill-type", "账单类型不正确");
        const rows = this.billRows.filter((r) => beijing(r.at).slice(0, 10) === day);
        if (rows.length === 0) return fail("isp.bill_not_exist", "账单不存在");
        const token = randomBytes(12).toString("hex");
        this.billFiles.set(token, this.billZip(day, this.editBill ? this.editBill(rows) : rows));
        return reply({ code: "10000", msg: "Success", bill_download_url: `${this.baseUrl}/bill/${token}` });
      }
      default:
        return fail("isv.invalid-method", "不存在的方法名");
    }
  }

  /** The zip Alipay serves: 业务明细 (detail rows between "#---" lines, fields padded with tabs) and 汇总, in GBK. */
  private billZip(day: string, rows: BillRow[]): Buffer {
    const pid = "2088102177846880";
    const compact = day.replaceAll("-", "");
    const sep = (title: string) => `#-----------------------------------------${title}----------------------------------------`;
    const header = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";
    const detail = [
      "#支付宝业务明细查询",
      `#账号：[${pid}0156]`,
      `#起始日期：[${day} 00:00:00]   终止日期：[${day} 23:59:59]`,
      sep("业务明细列表"),
      header,
      ...rows.map((r) =>
        [r.trade_no, r.out_trade_no, r.type, "订单", beijing(r.at), beijing(r.at), "", "", "", "", "159****5620", r.total_amount, r.received, "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00", "0.00", r.out_request_no, "0.00", "0.00", ""]
          .map((f) => `${f}\t`)
          .join(","),
      ),
      sep("业务明细列表结束"),
      `#交易合计：${rows.filter((r) => r.type === "交易").length}笔`,
      `#退款合计：${rows.filter((r) => r.type === "退款").length}笔`,
      `#导出时间：[${beijing()}]`,
    ].join("\r\n");
    const summary = ["#支付宝业务汇总查询", sep("业务汇总列表"), "门店编号,门店名称,交易订单总笔数,退款订单总笔数", `,,${rows.length},0`, sep("业务汇总列表结束")].join("\r\n");
    return Buffer.from(
      zipSync({
        [`${pid}0156_${compact}_业务明细.csv`]: iconv.encode(detail, "gbk"),
        [`${pid}0156_${compact}_业务明细(汇总).csv`]: iconv.encode(summary, "gbk"),
      }),
    );
  }
}
