"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { useT } from "@/lib/i18n/client";

/** A confirmation that asks for a reason (freeze on the member and risk case pages, distributor status, reveal): the reason goes to the audit log. */
export function ReasonDialog({
  open,
  title,
  body,
  confirmLabel,
  danger,
  pending,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  body?: React.ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending: boolean;
  error?: string | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
  children?: React.ReactNode;
}) {
  const t = useT();
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  return (
    <ConfirmDialog
      open={open}
      title={title}
      body={body}
      confirmLabel={confirmLabel}
      danger={danger}
      pending={pending}
      onCancel={() => (setReason(""), setMissing(false), onCancel())}
      onConfirm={() => {
        // Checked here too, so the message is the same one the server gives.
        const short = reason.trim().length < 2;
        setMissing(short);
        if (!short) onConfirm(reason);
      }}
    >
      <label className="mt-3 flex flex-col gap-1 text-xs text-neutral-500">
        {t("mm.freeze.reason")}
        <textarea name="reason" className="rounded-md border border-neutral-300 p-2 text-sm text-neutral-900" rows={2} maxLength={200} value={reason} onChange={(e) => (setReason(e.target.value), missing && e.target.value.trim().length >= 2 && setMissing(false))} />
      </label>
      {children}
      {missing || error ? <p className="mt-2 text-sm text-rose-600" role="alert">{missing ? t("mm.reasonRequired") : error}</p> : null}
    </ConfirmDialog>
  );
}
