"use client";

// 关闭两步验证 on one's own account page: a confirmation that says the other sessions end, asking for the current
// password; a wrong one is told beside the field, other refusals under it.
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { FieldError, INVALID_CLASSES, invalidProps, useFocusFirstInvalid } from "@/components/merchant/FieldError";
import { totpOffForm, totpOffRefusalField, type TotpOffFormValues } from "./totp-off";

const FIELD = "totp-off-password";

export function TotpOff({ onDone }: { onDone: () => Promise<void> }) {
  const t = useT();
  const trpc = useTRPC();
  const formRef = useRef<HTMLFormElement>(null);
  const [open, setOpen] = useState(false);
  const [refusals, setRefusals] = useState(0);
  const schema = useMemo(() => totpOffForm(t), [t]);
  const form = useForm<TotpOffFormValues>({ resolver: zodResolver(schema), defaultValues: { password: "" } });
  const disable = useMutation(
    trpc.staffAccount.disableTotp.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        form.reset();
        await onDone();
      },
      onError: (e) => {
        form.setError(totpOffRefusalField(e.data?.domainCode), { type: "server", message: errorText(t, e) });
        setRefusals((n) => n + 1);
      },
    }),
  );
  useFocusFirstInvalid(formRef, form.formState.submitCount + refusals);
  const submit = form.handleSubmit((v) => disable.mutate({ password: v.password }));
  const error = form.formState.errors.password?.message;
  return (
    <>
      <button type="button" className="mt-3 rounded-md border border-rose-300 px-4 py-2 text-sm text-rose-700" onClick={() => setOpen(true)}>
        {t("m.account.totpDisable")}
      </button>
      <ConfirmDialog
        open={open}
        title={t("m.account.totpDisable")}
        body={t("m.account.totpDisableConfirm")}
        confirmLabel={t("m.account.totpDisable")}
        danger
        pending={disable.isPending}
        onConfirm={() => void submit()}
        onCancel={() => {
          setOpen(false);
          form.reset();
        }}
      >
        {/* Mounted only while open: the page's 修改密码 form has a field of the same name. Enter submits (one field). */}
        {open ? (
          <form method="post" ref={formRef} noValidate className="mt-3" onSubmit={(e) => void submit(e)} data-testid="totp-off-form">
            <label htmlFor={FIELD} className="block text-sm">
              {t("m.account.current")}
            </label>
            <input
              id={FIELD}
              type="password"
              autoComplete="current-password"
              className={`mt-1 w-full rounded-md border border-neutral-300 px-3 py-2 text-sm ${INVALID_CLASSES}`}
              {...form.register("password")}
              {...invalidProps(FIELD, error)}
            />
            <FieldError name={FIELD} message={error} />
            <FieldError name={`${FIELD}-form`} message={form.formState.errors.root?.message} className="text-sm" />
          </form>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
