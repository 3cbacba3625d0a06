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
