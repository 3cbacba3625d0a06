"use client";

import { signIn } from "next-auth/react";
import { useEffect, useRef } from "react";
import { useT } from "@/lib/i18n/client";
import { useHydrated } from "@/lib/use-hydrated";

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
  // A tap before hydration would do nothing: the button waits for its handler.
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      disabled={!hydrated}
      onClick={() => void startWechatSignIn(callbackUrl, scope)}
      className="mt-4 h-11 w-full rounded-full border border-[#07c160] text-sm font-medium text-[#07a050] disabled:opacity-60"
    >
      {label}
    </button>
  );
}
