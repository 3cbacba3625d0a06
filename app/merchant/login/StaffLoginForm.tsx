"use client";

import { startTransition, useActionState } from "react";
import { useLocale, useT } from "@/lib/i18n/client";
import { intlLocale } from "@/lib/i18n/core";
import { useTimeZone } from "@/lib/time-zone";
import { signInAction, type SignInState } from "./actions";

const input = "mt-1 w-full rounded-md border border-neutral-300 px-3 py-2 text-sm outline-none focus:border-neutral-900";

export function StaffLoginForm({ next }: { next: string }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, { error: null });
  const until = state.lockedUntil ? new Date(state.lockedUntil).toLocaleTimeString(intlLocale(locale), { timeZone, hour: "2-digit", minute: "2-digit" }) : "";
  const messages = {
    locked: () => t("m.login.locked", { time: until }),
    "totp-locked": () => t("m.login.totpLocked", { time: until }),
    "address-limited": () => t("m.login.addressLimited", { time: until }),
    invalid: () => t("m.login.invalid"),
    "totp-required": () => t("m.login.totpRequired"),
    "totp-invalid": () => t("m.login.totpInvalid"),
    failed: () => t("m.login.failed"),
  } satisfies Record<NonNullable<SignInState["error"]>, () => string>;
  const message = state.error ? messages[state.error]() : null;
  return (
    <form method="post"
      className="space-y-4"
      // Dispatched by hand so the form is not reset after each step (the TOTP step keeps the password).
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <input type="hidden" name="next" value={next} />
      <label className="block text-sm">
        {t("m.login.username")}
        <input name="username" autoComplete="username" required defaultValue={state.username ?? ""} className={input} />
      </label>
      <label className="block text-sm">
        {t("m.login.password")}
        <input name="password" type="password" autoComplete="current-password" required className={input} />
      </label>
      {state.askTotp ? (
        <label className="block text-sm">
          {t("m.login.totp")}
          <input name="totp" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} autoFocus className={`${input} tracking-widest`} />
          <span className="mt-1 block text-xs text-neutral-500">{t("m.login.totpHint")}</span>
        </label>
      ) : null}
      {message ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {message}
        </p>
      ) : null}
      <button type="submit" disabled={pending} className="w-full rounded-md bg-neutral-900 py-2 text-sm font-medium text-white disabled:opacity-60">
        {t("m.login.submit")}
      </button>
    </form>
  );
}
