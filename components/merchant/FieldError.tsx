"use client";

// Back-office form errors: each field's message beside it, the field marked (aria-invalid, red border),
// and after a refused submit the first invalid field (in page order) scrolled into view and focused.
import { useEffect, type RefObject } from "react";

/** Classes that turn a control's border red while it is aria-invalid (add to its own classes). */
export const INVALID_CLASSES = "aria-[invalid=true]:border-rose-500 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-rose-500";

/** The message of react-hook-form's error at a dotted path (a list's own message sits on its `.root`). */
export function messageAt(errors: unknown, path: string): string | undefined {
  let node = errors;
  for (const part of path.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  const e = node as { message?: unknown; root?: { message?: unknown } } | undefined;
  const m = e?.message ?? e?.root?.message;
  return typeof m === "string" && m ? m : undefined;
}

/** The id of the message describing the field `name` (dots and brackets are fine in ids). */
const messageId = (name: string) => `${name}-error`;

/** Props that mark a control invalid and point it at its message; nothing while it is valid. */
export function invalidProps(name: string, message: string | undefined): { "aria-invalid"?: true; "aria-describedby"?: string } {
  return message ? { "aria-invalid": true, "aria-describedby": messageId(name) } : {};
}

export function FieldError({ name, message, className = "" }: { name: string; message: string | undefined; className?: string }) {
  return message ? (
    <p id={messageId(name)} role="alert" className={`mt-1 text-xs text-rose-600 ${className}`} data-error-for={name}>
      {message}
    </p>
  ) : null;
}

/**
 * Each time `attempt` changes (a submit, or a refusal from the server) the first control marked invalid
 * inside `root` is scrolled to the middle of the screen (clear of sticky bars) and focused.
 */
export function useFocusFirstInvalid(root: RefObject<HTMLElement | null>, attempt: number) {
  useEffect(() => {
    if (attempt === 0) return;
    const first = root.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (!first) return;
    first.scrollIntoView({ block: "center" });
    first.focus({ preventScroll: true });
  }, [root, attempt]);
}
