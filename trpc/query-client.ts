import { isServer, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

/** Retries after a failed query: a network error or a 5xx may pass on a second try. */
const QUERY_RETRIES = 2;

/**
 * Whether a failed query is asked again: not when the server refused it (a 4xx: bad input, not signed in,
 * not allowed, not found answers the same each time, and three retries kept 加载中… up for ~9 s), else a
 * couple of times.
 */
export function retryQuery(failureCount: number, error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: unknown } | null } | null)?.data?.httpStatus;
  if (typeof status === "number" && status >= 400 && status < 500) return false;
  return failureCount < QUERY_RETRIES;
}

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // With SSR, avoid refetching immediately on the client.
        staleTime: 30 * 1000,
        // The server's prefetch never retries (TanStack's own default there).
        retry: isServer ? false : retryQuery,
      },
      dehydrate: {
        serializeData: superjson.serialize,
      },
      hydrate: {
        deserializeData: superjson.deserialize,
      },
    },
  });
}
