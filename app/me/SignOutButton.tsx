"use client";

import { useState } from "react";
import { signOut } from "next-auth/react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";

export function SignOutButton() {
  const t = useT();
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: "/" })} className="h-11 w-full rounded-full bg-white text-sm text-neutral-600">
      {t("me.signOut")}
    </button>
  );
}

/** 退出所有设备: bumps the session version on the server, then clears this device's cookie. */
export function SignOutEverywhereButton() {
  const t = useT();
  const trpc = useTRPC();
  const [asking, setAsking] = useState(false);
  const [failed, setFailed] = useState(false);
  const revoke = useMutation(
    trpc.member.signOutEverywhere.mutationOptions({
      onSuccess: () => void signOut({ callbackUrl: "/login" }),
      onError: () => setFailed(true),
    }),
  );
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} className="h-11 w-full text-xs text-neutral-400" data-testid="sign-out-everywhere">
        {t("me.signOutEverywhere")}
      </button>
    );
  }
  return (
    <div className="rounded-2xl bg-white p-4 text-sm" role="alertdialog" aria-label={t("me.signOutEverywhere")}>
      <p className="text-neutral-700">{t("me.signOutEverywhereConfirm")}</p>
      {failed ? <p className="mt-2 text-xs text-rose-600">{t("me.signOutEverywhereFailed")}</p> : null}
      <div className="mt-3 flex gap-2">
        <button type="button" onClick={() => setAsking(false)} className="h-10 flex-1 rounded-full border border-neutral-200 text-neutral-600">
          {t("common.cancel")}
        </button>
        <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate()} className="h-10 flex-1 rounded-full bg-rose-600 text-white disabled:opacity-60">
          {t("me.signOutEverywhereOk")}
        </button>
      </div>
    </div>
  );
}
