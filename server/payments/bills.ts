// Providers' daily bills (对账单), parsed into lines we can hold against our payments and refunds.
// WeChat Pay v3 tradebill: CSV whose every field starts with a backtick (so spreadsheets keep long
// numbers as text), amounts in yuan, then a totals section; refunds are rows in 交易状态 REFUND.

export interface BillLine {
  kind: "payment" | "refund";
  /** Our out_trade_no. */
  reference: string;
  /** The provider's transaction id. */
  providerTxnId: string;
  /** Our out_refund_no, for refunds. */
  refundNo?: string;
  amountFen: number;
}

/** "12.34" / "0.01" / "-5.00" (yuan, at most two decimals) → fen, by string arithmetic (never floats). */
export function yuanToFen(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new Error(`not an amount: ${text}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] ? -fen : fen;
}

/** Splits a CSV line (WeChat's bill has no quoted commas; its fields carry a leading backtick). */
const fields = (line: string) => line.split(",").map((f) => f.trim().replace(/^`/, ""));

/** WeChat Pay v3 tradebill (bill_type ALL): successful payments and refunds of the day. */
export function parseWechatTradeBill(csv: string): BillLine[] {
  const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = fields(lines[0] ?? "");
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`WeChat bill without column ${name}`);
    return i;
  };
  // 订单金额 / 申请退款金额 are what we asked: 应结订单金额 / 退款金额 leave out a merchant-funded 免充值券.
  const [state, txn, ref, total, refundNo, refund] = ["交易状态", "微信订单号", "商户订单号", "订单金额", "商户退款单号", "申请退款金额"].map(col);
  const out: BillLine[] = [];
  for (const line of lines.slice(1)) {
    if (!line.startsWith("`")) break; // the totals section (总交易单数,…) ends the detail rows
    const f = fields(line);
    if (f[state] === "SUCCESS") out.push({ kind: "payment", reference: f[ref]!, providerTxnId: f[txn]!, amountFen: yuanToFen(f[total]!) });
    else if (f[state] === "REFUND") out.push({ kind: "refund", reference: f[ref]!, providerTxnId: f[txn]!, refundNo: f[refundNo]!, amountFen: yuanToFen(f[refund]!) });
  }
  return out;
}

/**
 * Alipay trade bill (业务明细 CSV, GBK, inside a zip): rows between the "#---…业务明细列表" header and
 * the "#---…业务明细列表结束" line. Fields carry trailing tabs. A payment (交易) is its 订单金额; a refund
 * (退款) is what left the merchant, the negative 商家实收 (its 订单金额 may name the whole order).
 */
export function parseAlipayTradeBill(csv: string): BillLine[] {
  const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/);
  const start = lines.findIndex((l) => /^支付宝交易号,/.test(l.trim()));
  if (start < 0) throw new Error("Alipay bill without its detail header");
  const header = fields(lines[start]!);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`Alipay bill without column ${name}`);
    return i;
  };
  const [txn, ref, type, amount, received, refundNo] = ["支付宝交易号", "商户订单号", "业务类型", "订单金额（元）", "商家实收（元）", "退款批次号/请求号"].map(col);
  const out: BillLine[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("#") || line.trim() === "") break;
    const f = fields(line);
    if (f[type] === "交易") out.push({ kind: "payment", reference: f[ref]!, providerTxnId: f[txn]!, amountFen: yuanToFen(f[amount]!) });
    else if (f[type] === "退款") out.push({ kind: "refund", reference: f[ref]!, providerTxnId: f[txn]!, refundNo: f[refundNo]!, amountFen: -yuanToFen(f[received]!) });
  }
  return out;
}
