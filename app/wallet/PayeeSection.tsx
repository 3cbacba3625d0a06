"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { alipayAccountSchema } from "@/server/wallet/schemas";
import type { walletErrorText } from "./WalletView";
import { SmsCodeField, refusalWait, useResendCountdown } from "@/components/SmsCodeField";

type Payee = NonNullable<RouterOutputs["wallet"]["summary"]["payee"]>;

/** Whether a withdrawal has somewhere to go: the server refuses one (PAYEE_MISSING) otherwise. */
export function payeeReady(payee: RouterOutputs["wallet"]["summary"]["payee"]): boolean {
  if (!payee) return true;
  return payee.kind === "alipay" ? payee.account !== null : payee.bound;
}

/**
 * 提现到: WeChat 零钱 (linked by WeChat sign-in, or how to link it) or the bound Alipay account, masked, with
 * the form that binds or changes it: the login, then an SMS code to the account's own phone (获取验证码, with the
 * countdown the 注销账号 form shows), then 绑定. `realName` is the verified name, masked (null before 实名认证);
 * refusals are worded by the wallet's `errorText`.
 */
export function PayeeSection({ payee, realName, onBound, errorText }: { payee: Payee; realName: string | null; onBound: () => void; errorText: typeof walletErrorText }) {
  const t = useT();
  const trpc = useTRPC();
  const [editing, setEditing] = useState(false);
  const [account, setAccount] = useState("");
  const [code, setCode] = useState("");
  const [invalid, setInvalid] = useState<"account" | "code" | null>(null);
  const [wait, setWait] = useResendCountdown();
  // The countdown after a send, and after a refusal that says how long to wait (a code sent moments ago counts).
  const send = useMutation(
    trpc.wallet.sendPayeeCode.mutationOptions({
      onSuccess: (r) => setWait(r.retryAfterSec),
      onError: (err) => {
        const s = refusalWait(err);
        if (s > 0) setWait(s);
      },
    }),
  );
  const bind = useMutation(
    trpc.wallet.bindAlipay.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        setAccount("");
        setCode("");
        send.reset();
        onBound();
      },
    }),
  );
  const error = bind.error ?? send.error;

  return (
    <section className="rounded-2xl bg-white p-4" data-testid="payee" data-kind={payee.kind}>
      <div className="flex items-baseline justify-between gap-3">
        <h2 className="font-semibold">{t("wallet.payee.title")}</h2>
        <span data-testid="payee-destination">{t(`wallet.payee.${payee.kind}`)}</span>
      </div>
      {payee.kind === "wechat" ? (
        <p className={`mt-2 text-xs ${payee.bound ? "text-neutral-500" : "text-amber-700"}`} data-testid="payee-wechat">
          {payee.bound
            ? t("wallet.payee.wechatBound")
            : payee.signIn
              ? t("wallet.payee.wechatHowTo", { phone: payee.phoneMasked ?? t("wallet.payee.thisPhone") })
              : t("wallet.payee.wechatNoSignIn")}
        </p>
      ) : (
        <>
          {payee.account && !editing ? (
            <div className="mt-2 flex items-center justify-between">
              <span className="font-mono" data-testid="payee-account">
                {payee.account}
              </span>
              <button type="button" className="text-xs text-rose-600" onClick={() => setEditing(true)}>
                {t("wallet.payee.change")}
              </button>
            </div>
          ) : null}
          {!payee.account && !editing ? (
            <p className="mt-2 text-xs text-amber-700">{realName ? t("wallet.payee.alipayNone") : t("wallet.payee.alipayVerifyFirst")}</p>
          ) : null}
          {realName && (editing || !payee.account) ? (
            <form
              method="post"
              className="mt-2 space-y-2"
              onSubmit={(e) => {
                e.preventDefault();
                bind.reset();
                const issue = alipayAccountSchema.safeParse({ account, code }).error?.issues[0];
                setInvalid(issue ? (issue.path[0] === "code" ? "code" : "account") : null);
                if (!issue) bind.mutate({ account, code });
              }}
            >
              <p className="text-xs text-neutral-500">{t("wallet.payee.alipayHint", { name: realName })}</p>
              <input
                className="w-full rounded-lg border border-neutral-300 px-3 py-2"
                placeholder={t("wallet.payee.alipayPlaceholder")}
                aria-label={t("wallet.payee.alipayPlaceholder")}
                autoComplete="username"
                value={account}
                onChange={(e) => setAccount(e.target.value)}
                maxLength={100}
              />
              <div>
                <p className="text-xs text-neutral-500">{t("wallet.payee.codeHint")}</p>
                <div className="mt-1">
                  <SmsCodeField
                    label={t("wallet.payee.code")}
                    value={code}
                    onChange={setCode}
                    wait={wait}
                    sending={send.isPending}
                    onSend={() => {
                      // The send's own refusal (e.g. a code sent under a minute ago) replaces an earlier form error.
                      setInvalid(null);
                      bind.reset();
                      send.mutate();
                    }}
                    sendText={t("wallet.payee.sendCode")}
                    resendText={(s) => t("wallet.payee.resend", { s })}
                    testId="payee-code"
                    sendTestId="payee-send-code"
                  />
                </div>
                {send.isSuccess && !send.isPending ? (
                  <p className="mt-1 text-xs text-emerald-700" role="status">
                    {t("wallet.payee.codeSent", { phone: send.data.phoneMasked })}
                  </p>
                ) : null}
              </div>
              {invalid || error ? (
                <p role="alert" className="text-xs text-rose-600" data-testid="payee-error">
                  {invalid === "account" ? t("wallet.payee.alipayInvalid") : invalid === "code" ? t("wallet.payee.codeInvalid") : errorText(t, error)}
                </p>
              ) : null}
              <div className="flex gap-2">
                {editing ? (
                  <button type="button" className="flex-1 rounded-full border border-neutral-300 py-2" onClick={() => setEditing(false)}>
                    {t("wallet.payee.cancel")}
                  </button>
                ) : null}
                <button type="submit" disabled={bind.isPending} className="flex-1 rounded-full bg-rose-600 py-2 text-white disabled:opacity-50">
                  {bind.isPending ? t("wallet.submitting") : t("wallet.payee.bind")}
                </button>
              </div>
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}
