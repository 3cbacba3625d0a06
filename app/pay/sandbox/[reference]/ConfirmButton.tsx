"use client";

import { useFormStatus } from "react-dom";
import { useT } from "@/lib/i18n/client";

export function ConfirmButton() {
  const t = useT();
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className="h-12 w-full rounded-lg bg-[#057a3d] text-base font-medium text-white active:bg-[#04622f] disabled:opacity-60">
      {pending ? t("cashier.paying") : t("cashier.confirm")}
    </button>
  );
}
