import { formatYuanGrouped } from "@/components/money";

/** An amount carried in fen, shown in 元 grouped by thousands (right-aligned, tabular digits). */
export function MoneyCell({ fen }: { fen: number | null | undefined }) {
  if (fen === null || fen === undefined) return <span className="text-neutral-300">—</span>;
  return <span className={`tabular-nums ${fen < 0 ? "text-rose-600" : ""}`}>{formatYuanGrouped(fen)}</span>;
}
