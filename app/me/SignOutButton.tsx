"use client";

import { signOut } from "next-auth/react";
import { useT } from "@/lib/i18n/client";

export function SignOutButton() {
  const t = useT();
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: "/" })} className="h-11 w-full rounded-full bg-white text-sm text-neutral-600">
      {t("me.signOut")}
    </button>
  );
}
