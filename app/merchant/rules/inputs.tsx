"use client";

// Inputs of the rules form: money typed in 元 and rates typed in % while the form (and the config
// schema) carry integer fen and bps. Each keeps the text as typed; an unreadable entry becomes NaN,
// which the schema refuses on that field.
import { useState } from "react";
import { formatBps, formatFen } from "@/components/money";
import { yuanInputToFen } from "@/app/wallet/amount";
import { percentToBps } from "@/components/money";

const input = "h-9 rounded border border-neutral-300 px-2 text-sm tabular-nums disabled:bg-neutral-50";

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

const bpsText = (v: number) => (Number.isFinite(v) ? formatBps(v).replace("%", "") : "");
const parseBps = (s: string) => percentToBps(s) ?? Number.NaN;

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

const fenText = (v: number | null | undefined) => (v === null || v === undefined ? "" : Number.isFinite(v) ? formatFen(v) : "");

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
  const parse = (s: string) => (s.trim() === "" ? empty : (yuanInputToFen(s) ?? Number.NaN));
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
