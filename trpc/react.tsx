"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchStreamLink, loggerLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { createQueryClient } from "./query-client";

let clientQueryClientSingleton: QueryClient | undefined;
export function getQueryClient() {
  if (typeof window === "undefined") return createQueryClient();
  clientQueryClientSingleton ??= createQueryClient();
  return clientQueryClientSingleton;
}

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Refusals a page shows itself (订单不存在, signed out, a domain message): not console errors in production. */
const SHOWN_REFUSALS = new Set(["NOT_FOUND", "UNAUTHORIZED", "BAD_REQUEST", "TOO_MANY_REQUESTS", "CONFLICT"]);

/**
 * Whether the client's logger prints an operation: everything in development; in production every failure but a refusal
 * the page shows (an input the server's schema refused is a client bug, e.g. a stale bundle: logged).
 */
export function logsTrpcOperation(op: { direction: "up" | "down"; result?: unknown }, development: boolean): boolean {
  if (development) return true;
  if (op.direction !== "down" || !(op.result instanceof Error)) return false;
  const data = (op.result as { data?: { code?: unknown; zodError?: unknown } | null }).data;
  return !(typeof data?.code === "string" && SHOWN_REFUSALS.has(data.code) && !data.zodError);
}

/** A tRPC client for the browser (the provider's, and trpc/lazy.ts's for pages without the provider). */
export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      loggerLink({ enabled: (op) => logsTrpcOperation(op, process.env.NODE_ENV === "development") }),
      httpBatchStreamLink({
        transformer: superjson,
        url: getBaseUrl() + "/api/trpc",
        // The server's maxBatchSize (app/api/trpc/[trpc]/route.ts) refuses a larger batch.
        maxItems: 10,
        headers() {
          const headers = new Headers();
          headers.set("x-trpc-source", "nextjs-react");
          return headers;
        },
      }),
    ],
  });
}

export function TRPCReactProvider(props: { children: React.ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(makeTrpcClient);

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {props.children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function getBaseUrl() {
  if (typeof window !== "undefined") return window.location.origin;
  return `http://localhost:${process.env.PORT ?? 3000}`;
}
