// tRPC for a page that ships no tRPC provider (the product page): imported when the shopper acts (a
// click), so the query and tRPC clients are not part of the page's first load. Shares the query cache
// with the provider's pages, so what it changes is refetched there.
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@/server/api/root";
import { getQueryClient, makeTrpcClient } from "./react";

export const client = makeTrpcClient();
export const queryClient = getQueryClient();
export const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });
