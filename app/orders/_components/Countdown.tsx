"use client";

import { useEffect, useState } from "react";
import { paymentCanStart } from "@/lib/payment-window";

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

export function PayCountdown({ deadline, serverNow, className = "" }: { deadline: Date; serverNow: Date; className?: string }) {
  const left = useRemainingMs(deadline, serverNow) ?? 0;
  return (
    <span className={`tabular-nums ${className}`} data-testid="pay-countdown">
      {left > 0 ? formatRemaining(left) : "00:00"}
    </span>
  );
}

/** Whether the pay button may show: in the last minutes the provider would close the trade before the shopper finishes, and the server refuses. */
export function usePayOpen(deadline: Date | null, serverNow: Date, payableFen: number): boolean {
  const left = useRemainingMs(deadline, serverNow);
  return left === null || paymentCanStart(left, payableFen);
}
