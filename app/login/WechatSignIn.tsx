"use client";

import { signIn } from "next-auth/react";
import { useEffect, useRef } from "react";
import { useT } from "@/lib/i18n/client";

/** Starts WeChat's web authorisation: silently (snsapi_base) on arrival, or snsapi_userinfo when the shopper asks to share nickname and avatar. */
export function startWechatSignIn(callbackUrl: string, scope: "snsapi_base" | "snsapi_userinfo") {
  return signIn("wechat", { callbackUrl }, { scope });
}

/** Inside WeChat the login page signs in through WeChat at once: known shoppers never see a form. */
export function WechatAutoSignIn({ callbackUrl }: { callbackUrl: string }) {
  const t = useT();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void startWechatSignIn(callbackUrl, "snsapi_base");
  }, [callbackUrl]);
  return (
    <p className="mt-6 rounded-lg bg-[#07c160]/10 p-3 text-sm text-[#07a050]" data-testid="wechat-signing-in">
      {t("wechat.signingIn")}
    </p>
  );
}

export function WechatRetryButton({ callbackUrl, scope = "snsapi_base", label }: { callbackUrl: string; scope?: "snsapi_base" | "snsapi_userinfo"; label: string }) {
  return (
    <button type="button" onClick={() => void startWechatSignIn(callbackUrl, scope)} className="mt-4 h-11 w-full rounded-full border border-[#07c160] text-sm font-medium text-[#07a050]">
      {label}
    </button>
  );
}
