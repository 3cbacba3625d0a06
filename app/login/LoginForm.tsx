"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deviceFingerprint } from "@/components/fingerprint";
import { ResendWait, refusalWait, useResendCountdown, waitStart } from "@/components/SmsCodeField";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { useHydrated } from "@/lib/use-hydrated";
import { consentToken, LEGAL_CONSENT_COOKIE, LEGAL_CONSENT_MAX_AGE_S } from "@/server/legal/consent-token";
import { signInErrorText } from "@/lib/sign-in-refusal";
import { startWechatSignIn } from "./WechatSignIn";

const PHONE_RE = /^1[3-9]\d{9}$/;

/**
 * Phone + SMS code, behind the consent box (unticked; the server refuses without it too). `wechatBind`: also links the
 * WeChat identity authorised just before (the bind page). `wechatRetry`: inside WeChat, a WeChat sign-in behind the same box.
 */
export function LoginForm({ callbackUrl, wechatBind = false, wechatRetry = false }: { callbackUrl: string; wechatBind?: boolean; wechatRetry?: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  // The versions the box names: a document changed since is refused by the server (the shopper reads it again).
  const legal = useQuery(trpc.legal.versions.queryOptions());
  const [agreed, setAgreed] = useState(false);
  const hydrated = useHydrated();
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [countdown, setCountdown] = useResendCountdown();
  const [countdownStart, setCountdownStart] = useState(0);
  const started = waitStart(countdownStart, countdown);
  // As SmsCodeField: the start follows the countdown while rendering, so a new wait's first paint already names it.
  if (started !== countdownStart) setCountdownStart(started);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const send = useMutation(
    trpc.auth.sendCode.mutationOptions({
      onSuccess: (res) => {
        setError(null);
        setNotice(t("login.codeSent", { phone: res.phoneMasked }));
        setCountdown(res.retryAfterSec);
      },
      onError: (err) => {
        setNotice(null);
        setError(errorText(t, err));
        // A too-soon refusal says how long to wait: the button counts it down as after a send.
        const s = refusalWait(err);
        if (s > 0) setCountdown(s);
      },
    }),
  );

  const phoneOk = PHONE_RE.test(phone);

  /** The accepted versions, or null with the reason shown. */
  function consent() {
    if (agreed && legal.data) return legal.data;
    setNotice(null);
    setError(t(agreed ? "legal.consent.loading" : "legal.consent.required"));
    return null;
  }

  function sendCode() {
    const accepted = consent();
    if (accepted) send.mutate({ phone, consent: accepted });
  }

  function signInWithWechat() {
    const accepted = consent();
    if (!accepted) return;
    // The WeChat sign-in's callback reads it (server/auth/wechat-provider.ts).
    document.cookie = `${LEGAL_CONSENT_COOKIE}=${consentToken(accepted)}; Max-Age=${LEGAL_CONSENT_MAX_AGE_S}; Path=/; SameSite=Lax${location.protocol === "https:" ? "; Secure" : ""}`;
    void startWechatSignIn(callbackUrl, "snsapi_base");
  }

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (!phoneOk) return setError(t("login.badPhone"));
    if (!/^\d{6}$/.test(code)) return setError(t("login.badCode"));
    const accepted = consent();
    if (!accepted) return;
    setSubmitting(true);
    setError(null);
    const res = await signIn("sms", { phone, code, device: deviceFingerprint(), consent: consentToken(accepted), ...(wechatBind ? { wechat: "1" } : {}), redirect: false });
    setSubmitting(false);
    if (!res || res.error) {
      setError(signInErrorText(t, res?.error));
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
          onClick={sendCode}
          className="relative shrink-0 rounded-full border border-rose-500 px-3 py-1 text-sm text-rose-600 after:absolute after:inset-x-0 after:-inset-y-1.5 disabled:border-neutral-200 disabled:text-neutral-400"
        >
          {countdown > 0 ? <ResendWait wait={countdown} start={started} text={(s) => t("login.resendIn", { s })} /> : send.isPending ? t("login.sending") : t("login.getCode")}
        </button>
      </div>
      <label className="flex items-start gap-2 pt-2 text-xs leading-5 text-neutral-500">
        <input
          type="checkbox"
          name="consent"
          checked={agreed}
          onChange={(e) => {
            setAgreed(e.target.checked);
            if (e.target.checked) setError(null);
          }}
          className="mt-0.5 h-5 w-5 shrink-0 accent-rose-600"
          data-testid="legal-consent"
        />
        <span>
          {t("login.terms")}
          <Link prefetch={false} href="/legal/terms" target="_blank" className="text-rose-600">
            {t("legal.terms.link")}
          </Link>
          {t("legal.consent.and")}
          <Link prefetch={false} href="/legal/privacy" target="_blank" className="text-rose-600">
            {t("legal.privacy.link")}
          </Link>
        </span>
      </label>
      {notice ? (
        <p role="status" className="text-sm text-emerald-700">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-rose-600">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={submitting}
        className="mt-4 h-12 w-full rounded-full bg-gradient-to-r from-orange-700 to-rose-700 text-base font-medium text-white disabled:opacity-60"
      >
        {submitting ? t("login.submitting") : wechatBind ? t("wechat.bindSubmit") : t("login.submit")}
      </button>
      {wechatRetry ? (
        <button
          type="button"
          disabled={!hydrated}
          onClick={signInWithWechat}
          className="h-11 w-full rounded-full border border-[#07c160] text-sm font-medium text-[#057a3d] disabled:opacity-60"
        >
          {t("wechat.retry")}
        </button>
      ) : null}
    </form>
  );
}
