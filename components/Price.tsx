import { splitFen } from "./money";

/** A mall price: small ¥, large yuan, small cents. */
export function Price({ fen, className = "", size = "md" }: { fen: number; className?: string; size?: "sm" | "md" | "lg" }) {
  const { sign, yuan, cents } = splitFen(fen);
  const big = size === "lg" ? "text-3xl" : size === "md" ? "text-lg" : "text-base";
  return (
    <span className={`font-semibold text-rose-600 tabular-nums ${className}`}>
      <span className="text-xs">{sign}¥</span>
      <span className={big}>{yuan}</span>
      <span className="text-xs">.{cents}</span>
    </span>
  );
}
