// Parses what a shopper types as an amount in yuan ("100", "100.5", "¥1,000.00") into integer fen by
// string arithmetic (no floats). Returns null for anything that is not an amount.
export function yuanInputToFen(raw: string): number | null {
  const s = raw.trim().replace(/^[¥￥]/, "").replace(/,/g, "").trim();
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) ? fen : null;
}
