"use client";

// 要求全体员工启用两步验证 (owner: the staff page is the owner's alone). A confirmation names who will be asked to enrol.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { useTRPC } from "@/trpc/react";

export function TotpPolicy() {
  const t = useT();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const policy = useQuery(trpc.merchantStaff.totpPolicy.queryOptions());
  const list = useQuery(trpc.merchantStaff.list.queryOptions());
  const [confirming, setConfirming] = useState(false);
  const save = useMutation(
    trpc.merchantStaff.setTotpPolicy.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.merchantStaff.totpPolicy.queryKey() }),
      onSettled: () => setConfirming(false),
    }),
  );
  if (!policy.data) return null;
  const on = policy.data.requireTotp;
  const withoutTotp = (list.data ?? []).filter((s) => !s.disabledAt && !s.totpEnabledAt).length;
  return (
    <section className="rounded-lg border border-neutral-200 bg-white p-4" aria-labelledby="staff-totp-policy-title" data-testid="staff-totp-policy">
      <h2 id="staff-totp-policy-title" className="text-sm font-medium">
        {t("m.staff.totpPolicy")}
      </h2>
      <p className="mt-1 text-sm" data-testid="staff-totp-policy-state" data-on={on}>
        {t(on ? "m.staff.totpPolicyOn" : "m.staff.totpPolicyOff")}
      </p>
      <p className="mt-1 text-xs text-neutral-600">{t("m.staff.totpPolicyHelp")}</p>
      {on && withoutTotp > 0 ? <p className="mt-1 text-xs text-amber-800">{t("m.staff.totpPolicyPending", { n: withoutTotp })}</p> : null}
      {save.error ? (
        <p role="alert" className="mt-2 text-sm text-rose-700">
          {errorText(t, save.error)}
        </p>
      ) : null}
      <button
        type="button"
        className="mt-3 rounded-md border border-neutral-300 px-3 py-1.5 text-sm"
        onClick={async () => {
          // The confirmation names how many must enrol: staff invited since this page was loaded count too.
          await list.refetch();
          setConfirming(true);
        }}
      >
        {t(on ? "m.staff.totpPolicyTurnOff" : "m.staff.totpPolicyTurnOn")}
      </button>
      <ConfirmDialog
        open={confirming}
        title={t(on ? "m.staff.totpPolicyTurnOff" : "m.staff.totpPolicyTurnOn")}
        body={on ? t("m.staff.totpPolicyOffConfirm") : t("m.staff.totpPolicyOnConfirm", { n: withoutTotp })}
        confirmLabel={t(on ? "m.staff.totpPolicyTurnOff" : "m.staff.totpPolicyTurnOn")}
        danger={on}
        pending={save.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => save.mutate({ requireTotp: !on })}
      />
    </section>
  );
}
