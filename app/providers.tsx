"use client";

import { z } from "zod";
import { TRPCReactProvider } from "@/trpc/react";

// Zod's fast path probes `new Function`, which the page's CSP (no 'unsafe-eval') blocks and reports.
if (typeof window !== "undefined") z.config({ jitless: true });

export function Providers({ children }: { children: React.ReactNode }) {
  return <TRPCReactProvider>{children}</TRPCReactProvider>;
}
