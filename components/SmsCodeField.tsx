"use client";

import { useEffect, useState } from "react";
import type { ServerError } from "@/lib/i18n/labels";

/** Seconds left before 获取验证码 may be pressed again, counting down once a second; set it from the send's retryAfterSec. */
export function useResendCountdown(): [number, (seconds: number) => void] {
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);
  return [wait, setWait];
}

/**
 * The seconds a refused send says to wait (发送太频繁，请 55 秒后再试: the refusal's retryAfterSec), else 0: set the
 * countdown from it as from a send's, so the button waits as long as the server does.
 */
export function refusalWait(error: ServerError | null | undefined): number {
  const s = error?.data?.domainParams?.retryAfterSec;
  return typeof s === "number" && Number.isSafeInteger(s) && s > 0 ? s : 0;
}

/** The seconds the running wait started from: kept through its ticks, a new longer wait starts again, 0 when it is over. */
export function waitStart(previous: number, wait: number): number {
  if (wait <= 0) return 0;
  return wait > previous ? wait : previous;
}

/**
 * The resend wait on the button: the number ticking each second is only drawn (aria-hidden); the button's accessible name
 * keeps the wait it started with, so a screen reader hears it when it starts and, as 获取验证码 again, when it is over.
 */
export function ResendWait({ wait, start, text }: { wait: number; start: number; text: (seconds: number) => string }) {
  return (
    <>
      <span aria-hidden="true">{text(wait)}</span>
      <span className="sr-only">{text(start)}</span>
    </>
  );
}

/**
 * A step-up SMS code on a signed-in page (注销账号, 绑定支付宝): six digits and 获取验证码, which waits out the resend
 * countdown. The caller owns the code, the send and the texts.
 */
export function SmsCodeField(props: {
  id?: string;
  label?: string;
  value: string;
  onChange: (code: string) => void;
  wait: number;
  sending: boolean;
  onSend: () => void;
  sendText: string;
  resendText: (seconds: number) => string;
  testId: string;
  sendTestId: string;
}) {
  const [start, setStart] = useState(props.wait);
  const started = waitStart(start, props.wait);
  // Adjusted while rendering (React's pattern for state following a prop): the first paint of a new wait already has it.
  if (started !== start) setStart(started);
  return (
    <div className="flex gap-2">
      <input
        id={props.id}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        placeholder={props.label}
        aria-label={props.id ? undefined : props.label}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value.replace(/\D/g, ""))}
        className="block min-w-0 flex-1 rounded-lg border border-neutral-300 px-3 py-2"
        data-testid={props.testId}
      />
      <button
        type="button"
        disabled={props.wait > 0 || props.sending}
        onClick={props.onSend}
        className="h-10 shrink-0 rounded-full border border-rose-600 px-3 text-rose-700 disabled:border-neutral-300 disabled:text-neutral-500"
        data-testid={props.sendTestId}
      >
        {props.wait > 0 ? <ResendWait wait={props.wait} start={started} text={props.resendText} /> : props.sendText}
      </button>
    </div>
  );
}
