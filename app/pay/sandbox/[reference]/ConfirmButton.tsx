"use client";

import { useFormStatus } from "react-dom";

export function ConfirmButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className="h-12 w-full rounded-lg bg-[#07c160] text-base font-medium text-white active:bg-[#06ad56] disabled:opacity-60">
      {pending ? "支付中…" : "确认支付"}
    </button>
  );
}
