"use client";

// Inputs of the rules form: money typed in 元 and rates typed in % while the form (and the config
// schema) carry integer fen and bps. Each keeps the text as typed; an unreadable entry becomes NaN,
// which the schema refuses on that field.
import { useState } from "react";
import { formatBps, formatFen } from "@/components/money";
import { yuanInputToFen } from "@/app/wallet/amount";
import { percentToBps } from "@/components/money";

// Disabled (a role that may only view the rules): greyed out, so it does not look like a field to type in.
export const DISABLED_CLASSES = "disabled:cursor-not-allowed disabled:border-neutral-200 disabled:bg-neutral-100 disabled:text-neutral-500";
const input = `h-9 rounded border border-neutral-300 px-2 text-sm tabular-nums ${DISABLED_CLASSES}`;

/** Keeps the typed text while the value it stands for is unchanged (a reset or a new value re-renders it). */
function useTypedText<V>(value: V, show: (v: V) => string, parse: (s: string) => V) {
  const [text, setText] = useState(() => show(value));
  const [shown, setShown] = useState(value);
  if (!Object.is(value, shown) && !Object.is(parse(text), value)) {
    setShown(value);
    setText(show(value));
  }
  return [text, (s: string) => { setText(s); setShown(parse(s)); }] as const;
}

/**
 * A number typed with more than two decimals ("10.555", "¥1.234"): its value to two decimals, plus half a unit when the
 * digits after them are not all zeros, so the form holds a fraction of a bps or fen, which the schema refuses and the
 * page's check words as "at most two decimals" (./check.ts) rather than as out of range; null for any other text.
 */
export function beyondTwoDecimals(raw: string, parseTwo: (s: string) => number | null): number | null {
  const m = /^(.*\.\d{2})(\d+)$/.exec(raw.trim());
  const base = m ? parseTwo(m[1]!) : null;
  if (base === null) return null;
  return /^0+$/.test(m![2]!) ? base : base + 0.5;
}

const bpsText = (v: number) => (Number.isFinite(v) ? formatBps(v).replace("%", "") : "");
const parseBps = (s: string) => percentToBps(s) ?? beyondTwoDecimals(s, percentToBps) ?? Number.NaN;

/** A rate in bps, typed as a percentage ("12.5" → 1250). */
export function PercentInput({ value, onChange, label, width = "w-20" }: { value: number; onChange: (bps: number) => void; label: string; width?: string }) {
  const [text, setText] = useTypedText(value, bpsText, parseBps);
  return (
    <input
      aria-label={label}
      inputMode="decimal"
      className={`${input} ${width}`}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseBps(e.target.value));
      }}
    />
  );
}

const fenText = (v: number | null | undefined) => (v === null || v === undefined ? "" : Number.isSafeInteger(v) ? formatFen(v) : "");

/** An amount in fen typed in 元; empty is `empty` (null or undefined for optional settings, else NaN). */
export function YuanInput({
  value,
  onChange,
  label,
  empty = Number.NaN,
  width = "w-32",
}: {
  value: number | null | undefined;
  onChange: (fen: number | null | undefined) => void;
  label: string;
  empty?: number | null | undefined;
  width?: string;
}) {
  const parse = (s: string) => (s.trim() === "" ? empty : (yuanInputToFen(s) ?? beyondTwoDecimals(s, yuanInputToFen) ?? Number.NaN));
  const [text, setText] = useTypedText(value, fenText, parse);
  return (
    <input
      aria-label={label}
      inputMode="decimal"
      className={`${input} ${width}`}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parse(e.target.value));
      }}
    />
  );
}

export const inputClass = input;
