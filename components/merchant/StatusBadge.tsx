const TONES = {
  neutral: "bg-neutral-100 text-neutral-700",
  progress: "bg-amber-50 text-amber-700",
  success: "bg-emerald-50 text-emerald-700",
  danger: "bg-rose-50 text-rose-700",
  info: "bg-sky-50 text-sky-700",
} as const;
export type Tone = keyof typeof TONES;

/** A status as a small coloured label; `status` (the code) is kept on data-status for tests and styling. */
export function StatusBadge({ label, tone = "neutral", status }: { label: string; tone?: Tone; status?: string }) {
  return (
    <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs ${TONES[tone]}`} data-status={status}>
      {label}
    </span>
  );
}
