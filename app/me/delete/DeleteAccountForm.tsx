"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { refusalWait, SmsCodeField, useResendCountdown } from "@/components/SmsCodeField";
import type { ForfeitTotals } from "@/server/members/deletion";

/**
 * The SMS code to the account's own phone, the forfeit tick when there is money to forfeit, and the red button. The
 * request carries the forfeit the page shows: when it has changed meanwhile, the server refuses (FORFEIT_CHANGED), the
 * page reloads its figures and the tick is cleared to be given again.
 */
export function DeleteAccountForm({ phoneMasked, forfeit }: { phoneMasked: string; forfeit: ForfeitTotals }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const forfeits = forfeit.commissionFen + forfeit.cashbackFen + forfeit.creditFen > 0;
  const [code, setCode] = useState("");
  const [accepted, setAccepted] = useState(false);
  const [wait, setWait] = useResendCountdown();
  // The countdown after a send, and after a refusal that says how long to wait (the sign-in code sent moments ago counts).
  const send = useMutation(
    trpc.account.sendDeletionCode.mutationOptions({
      onSuccess: (r) => setWait(r.retryAfterSec),
      onError: (err) => {
        const s = refusalWait(err);
        if (s > 0) setWait(s);
      },
    }),
  );
  // Every session has ended on the server: clearing this device's cookie lands on the notice page.
  const remove = useMutation(
    trpc.account.delete.mutationOptions({
      onSuccess: () => void signOut({ callbackUrl: "/me/delete/done" }),
      onError: (err) => {
        if (err.data?.domainCode !== "FORFEIT_CHANGED") return;
        setAccepted(false);
        // Caught under the deletion's locks, the code was already spent: it is entered again (or a new one asked for).
        setCode("");
        router.refresh();
      },
    }),
  );
  const error = remove.error ?? send.error;
  return (
    <form
      method="post"
      className="m-3 space-y-3 rounded-2xl bg-white p-4 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        remove.mutate({ code, acceptForfeit: accepted, shown: forfeit });
      }}
    >
      {forfeits ? (
        <label className="flex items-start gap-2">
          <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} className="mt-0.5 h-5 w-5 shrink-0" data-testid="forfeit-accept" />
          <span className="text-neutral-800">{t("account.delete.forfeitAccept")}</span>
        </label>
      ) : null}
      <div>
        <label htmlFor="deletion-code" className="font-medium">{t("account.delete.code")}</label>
        <p className="mt-1 text-xs text-neutral-600">{t("account.delete.codeHint", { phone: phoneMasked })}</p>
        <div className="mt-2">
          <SmsCodeField
            id="deletion-code"
            value={code}
            onChange={setCode}
            wait={wait}
            sending={send.isPending}
            onSend={() => send.mutate()}
            sendText={t("account.delete.sendCode")}
            resendText={(s) => t("account.delete.resend", { s })}
            testId="deletion-code"
            sendTestId="deletion-send-code"
          />
        </div>
        {send.isSuccess && !send.isPending ? <p className="mt-1 text-xs text-emerald-700" role="status">{t("account.delete.codeSent")}</p> : null}
      </div>
      {error ? <p className="text-xs text-rose-700" role="alert">{errorText(t, error)}</p> : null}
      <button
        type="submit"
        disabled={remove.isPending || remove.isSuccess || code.length !== 6 || (forfeits && !accepted)}
        className="h-11 w-full rounded-full bg-rose-600 font-medium text-white disabled:opacity-60"
        data-testid="deletion-confirm"
      >
        {remove.isPending || remove.isSuccess ? t("account.delete.confirming") : t("account.delete.confirm")}
      </button>
    </form>
  );
}
