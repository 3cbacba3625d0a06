"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { deviceFingerprint } from "@/components/fingerprint";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";

const PHONE_RE = /^1[3-9]\d{9}$/;

/** Phone + SMS code. `wechatBind`: also links the WeChat identity authorised just before (the bind page). */
export function LoginForm({ callbackUrl, wechatBind = false }: { callbackUrl: string; wechatBind?: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [countdown, setCountdown] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = setTimeout(() => setCountdown((c) => c - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);

  const send = useMutation(
    trpc.auth.sendCode.mutationOptions({
      onSuccess: (res) => {
        setError(null);
        setNotice(t("login.codeSent", { phone: res.phoneMasked }));
        setCountdown(res.retryAfterSec);
      },
      onError: (err) => {
        setNotice(null);
        setError(err.message);
      },
    }),
  );

  const phoneOk = PHONE_RE.test(phone);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (!phoneOk) return setError(t("login.badPhone"));
    if (!/^\d{6}$/.test(code)) return setError(t("login.badCode"));
    setSubmitting(true);
    setError(null);
    const res = await signIn("sms", { phone, code, device: deviceFingerprint(), ...(wechatBind ? { wechat: "1" } : {}), redirect: false });
    setSubmitting(false);
    if (!res || res.error) {
      setError(res?.error && res.error !== "CredentialsSignin" ? res.error : t("login.failed"));
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form method="post" onSubmit={onSubmit} className="mt-8 space-y-4" noValidate>
      <label className="flex items-center border-b border-neutral-200 py-2 focus-within:border-rose-500">
        <span className="mr-3 text-neutral-500">+86</span>
        <input
          name="phone"
          type="tel"
          inputMode="numeric"
          autoComplete="tel-national"
          maxLength={11}
          placeholder={t("login.phonePlaceholder")}
          aria-label={t("login.phoneLabel")}
          value={phone}
          onChange={(e) => setPhone(e.target.value.replace(/\D/g, ""))}
          className="flex-1 bg-transparent text-lg outline-none"
        />
      </label>
      <div className="flex items-center border-b border-neutral-200 py-2 focus-within:border-rose-500">
        <input
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          placeholder={t("login.codePlaceholder")}
          aria-label={t("login.codeLabel")}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ""))}
          className="-my-2 min-w-0 flex-1 bg-transparent py-2 text-lg outline-none"
        />
        <button
          type="button"
          disabled={!phoneOk || countdown > 0 || send.isPending}
          onClick={() => send.mutate({ phone })}
          className="relative shrink-0 rounded-full border border-rose-500 px-3 py-1 text-sm text-rose-600 after:absolute after:inset-x-0 after:-inset-y-1.5 disabled:border-neutral-200 disabled:text-neutral-400"
        >
          {countdown > 0 ? t("login.resendIn", { s: countdown }) : send.isPending ? t("login.sending") : t("login.getCode")}
        </button>
      </div>
      {notice ? <p className="text-sm text-emerald-600">{notice}</p> : null}
      {error ? (
        <p role="alert" className="text-sm text-rose-600">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={submitting}
        className="mt-4 h-12 w-full rounded-full bg-gradient-to-r from-orange-500 to-rose-600 text-base font-medium text-white disabled:opacity-60"
      >
        {submitting ? t("login.submitting") : wechatBind ? t("wechat.bindSubmit") : t("login.submit")}
      </button>
    </form>
  );
}
