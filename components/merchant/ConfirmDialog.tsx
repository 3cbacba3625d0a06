"use client";

import { useEffect, useRef } from "react";
import { useT } from "@/lib/i18n/client";

type ModalDialog = Pick<HTMLDialogElement, "open" | "showModal" | "close" | "ownerDocument">;

/**
 * Opens `d` as a modal and returns what ends it: close it and give the focus back to the element that had it
 * before, if that is still in the page. The ending also runs when a caller unmounts the dialog while it is
 * open, where the browser, finding the dialog gone, would leave the focus on <body>.
 */
export function openModal(d: ModalDialog): () => void {
  const before = d.ownerDocument.activeElement as HTMLElement | null;
  if (!d.open) d.showModal();
  return () => {
    if (d.open) d.close();
    if (before?.isConnected) before.focus();
  };
}

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
    if (!d || !open) return;
    return openModal(d);
  }, [open]);
  // Often rendered inside a table cell (nowrap, keep-all for CJK), whose white-space and word breaking it would inherit: the warning must wrap.
  return (
    <dialog ref={ref} aria-label={title} onCancel={(e) => (e.preventDefault(), onCancel())} className="m-auto w-[min(28rem,90vw)] rounded-lg p-0 text-left whitespace-normal wrap-break-word shadow-xl [word-break:normal] backdrop:bg-black/40">
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
