"use client";

import { useEffect, useState } from "react";
import type { Translator } from "@/lib/i18n/core";
import { useT } from "@/lib/i18n/client";
import { remainingWords, TimeLeft } from "@/app/orders/_components/Countdown";

function parts(t: Translator, ms: number) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const hh = String(Math.floor((s % 86_400) / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  const hms = `${hh}:${mm}:${ss}`;
  return d > 0 ? t("promote.tasks.days", { d, hms }) : hms;
}

/**
 * Time left until a task's deadline. Counts down from the server's msLeft (the server clock is the
 * reference, not the phone's), ticking once a second; TimeLeft reads and, on request, shows it to the minute.
 */
export function Countdown({ msLeft }: { msLeft: number }) {
  const t = useT();
  const [left, setLeft] = useState(msLeft);
  useEffect(() => {
    const start = Date.now();
    const id = setInterval(() => setLeft(Math.max(0, msLeft - (Date.now() - start))), 1000);
    return () => clearInterval(id);
  }, [msLeft]);
  return (
    <span className="tabular-nums" data-testid="task-countdown">
      {left > 0 ? (
        <TimeLeft clock={t("promote.tasks.left", { time: parts(t, left) })} words={t("promote.tasks.left", { time: remainingWords(t, left) })} />
      ) : (
        t("promote.tasks.ended")
      )}
    </span>
  );
}
