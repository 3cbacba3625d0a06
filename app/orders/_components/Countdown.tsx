"use client";

import { useEffect, useState } from "react";
import { paymentCanStart } from "@/lib/payment-window";
import { intlLocale, type Translator } from "@/lib/i18n/core";
import { useT } from "@/lib/i18n/client";
import { useReducedMotion } from "@/lib/use-reduced-motion";

/** mm:ss left until `deadline` on the server's clock (serverNow corrects the device's clock skew). */
export function useRemainingMs(deadline: Date | null, serverNow: Date): number | null {
  const [skew] = useState(() => serverNow.getTime() - Date.now());
  const [now, setNow] = useState(() => Date.now() + skew);
  useEffect(() => {
    if (!deadline) return;
    const t = setInterval(() => setNow(Date.now() + skew), 1000);
    return () => clearInterval(t);
  }, [deadline, skew]);
  return deadline ? Math.max(0, deadline.getTime() - now) : null;
}

export function formatRemaining(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** The time left in words to the whole minute, rounded down (never more than is left): "2天 3小时 15分钟", "14 minutes". */
export function remainingWords(t: Translator, ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes === 0) return t("countdown.underMinute");
  const unit = (unit: string, n: number) => new Intl.NumberFormat(intlLocale(t.locale), { style: "unit", unit, unitDisplay: "long" }).format(n);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  return [d ? unit("day", d) : "", h ? unit("hour", h) : "", m ? unit("minute", m) : ""].filter(Boolean).join(" ");
}

/**
 * A countdown that can be stilled (WCAG 2.2.2): the clock ticking each second is only drawn (aria-hidden), and a screen
 * reader gets the time left in words that change once a minute; a shopper whose phone asks for less motion sees those
 * words instead of the clock, so nothing on the page changes more than once a minute. A pause button was the other
 * way, but a shopper paying against a deadline wants the time left, not a control to stop it.
 */
export function TimeLeft({ clock, words }: { clock: string; words: string }) {
  return <TimeLeftView still={useReducedMotion()} clock={clock} words={words} />;
}

export function TimeLeftView({ still, clock, words }: { still: boolean; clock: string; words: string }) {
  if (still) return <>{words}</>;
  return (
    <>
      <span aria-hidden="true">{clock}</span>
      <span className="sr-only">{words}</span>
    </>
  );
}

export function PayCountdown({ deadline, serverNow, className = "" }: { deadline: Date; serverNow: Date; className?: string }) {
  const t = useT();
  const left = useRemainingMs(deadline, serverNow) ?? 0;
  return (
    <span className={`tabular-nums ${className}`} data-testid="pay-countdown">
      {left > 0 ? <TimeLeft clock={formatRemaining(left)} words={remainingWords(t, left)} /> : "00:00"}
    </span>
  );
}

/** Whether the pay button may show: in the last minutes the provider would close the trade before the shopper finishes, and the server refuses. */
export function usePayOpen(deadline: Date | null, serverNow: Date, payableFen: number): boolean {
  const left = useRemainingMs(deadline, serverNow);
  return left === null || paymentCanStart(left, payableFen);
}
