"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: "/" })} className="h-11 w-full rounded-full bg-white text-sm text-neutral-600">
      退出登录
    </button>
  );
}
