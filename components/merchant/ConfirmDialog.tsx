"use client";

import { useEffect, useRef } from "react";
import { useT } from "@/lib/i18n/client";

/** A modal confirmation (native <dialog>): the action runs only after 确定. */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  danger,
  pending,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  body?: React.ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: React.ReactNode;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-label={title} onCancel={(e) => (e.preventDefault(), onCancel())} className="m-auto w-[min(28rem,90vw)] rounded-lg p-0 shadow-xl backdrop:bg-black/40">
      <div className="p-5">
        <h2 className="text-base font-semibold">{title}</h2>
        {body ? <div className="mt-2 text-sm text-neutral-600">{body}</div> : null}
        {children}
      </div>
      <div className="flex justify-end gap-2 border-t border-neutral-100 px-5 py-3">
        <button type="button" className="rounded-md border border-neutral-300 px-4 py-1.5 text-sm" onClick={onCancel}>
          {t("m.confirm.cancel")}
        </button>
        <button
          type="button"
          disabled={pending}
          className={`rounded-md px-4 py-1.5 text-sm text-white disabled:opacity-60 ${danger ? "bg-rose-600" : "bg-neutral-900"}`}
          onClick={onConfirm}
        >
          {confirmLabel ?? t("m.confirm.ok")}
        </button>
      </div>
    </dialog>
  );
}
