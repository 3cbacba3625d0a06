// Money display. Amounts are integer fen; formatting is string arithmetic (no float division).

/** 12345 → "123.45", -5 → "-0.05", 100000000 → "1000000.00". Throws on a non-integer. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error(`formatFen: not an integer number of fen: ${fen}`);
  const neg = fen < 0;
  const digits = String(neg ? -fen : fen).padStart(3, "0");
  const yuan = digits.slice(0, -2);
  const cents = digits.slice(-2);
  return `${neg ? "-" : ""}${yuan}.${cents}`;
}

/** "¥123.45" */
export function formatYuan(fen: number): string {
  const s = formatFen(fen);
  return s.startsWith("-") ? `-¥${s.slice(1)}` : `¥${s}`;
}

/**
 * For reading in the back office: 123456789 → "1,234,567.89", -123450 → "-1,234.50". Display only: a form's
 * input and a CSV cell keep formatFen's ungrouped digits (they are read back as numbers).
 */
export function formatFenGrouped(fen: number): string {
  const s = formatFen(fen);
  const sign = s.startsWith("-") ? "-" : "";
  const [yuan, cents] = s.slice(sign.length).split(".");
  return `${sign}${yuan!.replace(/\B(?=(\d{3})+$)/g, ",")}.${cents!}`;
}

/** "¥1,234,567.89" / "-¥1,234.50": formatFenGrouped with the sign before ¥, as formatYuan. */
export function formatYuanGrouped(fen: number): string {
  const s = formatFenGrouped(fen);
  return s.startsWith("-") ? `-¥${s.slice(1)}` : `¥${s}`;
}

/** Yuan and cents apart, for a large-yuan / small-cents price display. */
export function splitFen(fen: number): { sign: string; yuan: string; cents: string } {
  const s = formatFen(fen);
  const sign = s.startsWith("-") ? "-" : "";
  const [yuan, cents] = (sign ? s.slice(1) : s).split(".");
  return { sign, yuan: yuan!, cents: cents! };
}

/** 250 bps → "2.5%" (string arithmetic as well). */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = String(Math.abs(bps % 100)).padStart(2, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}%` : `${whole}%`;
}

/** "2.5" (%) → 250 bps by string arithmetic; null when it is not a percentage with at most two decimals. */
export function percentToBps(raw: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(raw.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}
