"use client";

import { useEffect } from "react";

/** Rendered on the invalid-link page: drops the attribution cookie the proxy just set for this code. */
export function ForgetRef({ code }: { code: string }) {
  useEffect(() => {
    void fetch(`/api/ref/forget?code=${encodeURIComponent(code)}`, { method: "POST" });
  }, [code]);
  return null;
}
