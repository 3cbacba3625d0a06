"use client";

// The shopper's pop-ups (bottom sheets, the order question) as a native modal <dialog>: showModal() moves the
// focus in and makes the page behind inert (Tab stays inside), Escape is its cancel event, and closing gives the
// focus back to the control that opened it. Rendered only while open: mounting opens it, unmounting closes it.
import { useEffect, useRef } from "react";

type Modal = Pick<HTMLDialogElement, "open" | "showModal" | "close">;

/** Opens `dialog` as a modal and returns what closes it and gives the focus back to `opener` (the focus before). */
export function openModal(dialog: Modal, opener: Element | null): () => void {
  if (!dialog.open) dialog.showModal();
  return () => {
    if (dialog.open) dialog.close();
    // A modal removed from the page leaves the focus on <body>: back to the button that opened it, if still there.
    (opener as HTMLElement | null)?.focus?.();
  };
}

/** Escape: the page's state decides whether the sheet is open, so the dialog does not close itself. */
export function cancelCloses(onClose: () => void) {
  return (e: { preventDefault(): void }) => {
    e.preventDefault();
    onClose();
  };
}

/**
 * `labelledBy`: the id of the sheet's visible title. `placement`: "bottom" (a sheet, the default) or "center" (a
 * question). `backdropCloses`: a tap beside the panel closes it (off where a half-filled form would be lost).
 */
export function Sheet({
  labelledBy,
  onClose,
  placement = "bottom",
  backdropCloses = true,
  children,
}: {
  labelledBy: string;
  onClose: () => void;
  placement?: "bottom" | "center";
  backdropCloses?: boolean;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    return dialog ? openModal(dialog, document.activeElement) : undefined;
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      onCancel={cancelCloses(onClose)}
      onClick={backdropCloses ? (e) => e.target === e.currentTarget && onClose() : undefined}
      className={`fixed inset-0 m-0 h-full max-h-none w-full max-w-none overflow-hidden bg-transparent p-0 text-inherit open:flex ${
        placement === "bottom" ? "items-end" : "items-center justify-center px-10"
      } backdrop:bg-black/40`}
    >
      {children}
    </dialog>
  );
}
