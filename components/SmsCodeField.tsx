"use client";

import { useEffect, useState } from "react";

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
        {props.wait > 0 ? props.resendText(props.wait) : props.sendText}
      </button>
    </div>
  );
}
