// Integer fen arithmetic. Never floats: products go through BigInt so large amounts stay exact.

/** floor(amount × bps / 10000) for non-negative integers. */
export function applyBps(amountFen: number, bps: number): number {
  return mulDivFloor(amountFen, bps, 10_000);
}

/** floor(a × b / c) for non-negative integers, exact. */
export function mulDivFloor(a: number, b: number, c: number): number {
  if (![a, b, c].every(Number.isSafeInteger) || a < 0 || b < 0 || c <= 0) throw new Error("mulDivFloor needs non-negative integers");
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** "123.45" from 12345 fen, by string arithmetic. */
export function fenToYuanString(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  return neg ? `-${s}` : s;
}

/** "100", "¥1,234.5" → fen; null when it is not a non-negative amount with at most two decimals. */
export function yuanInputToFen(raw: string): number | null {
  const s = raw.trim().replace(/^[¥￥]/, "").replace(/,/g, "").trim();
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) ? fen : null;
}
