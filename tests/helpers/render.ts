// Renders a client component to HTML inside the app's providers (router, i18n, TanStack Query, tRPC), as the
// browser's first render would show it; `seed` fills the query cache first.
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { QueryClientProvider } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { AppRouterContext } from "next/dist/shared/lib/app-router-context.shared-runtime";
import type { Locale } from "../../lib/i18n/core";
import { I18nProvider } from "../../lib/i18n/client";
import { MESSAGES } from "../../lib/i18n/messages";
import { TRPCProvider, makeTrpcClient } from "../../trpc/react";
import { createQueryClient } from "../../trpc/query-client";
import type { AppRouter } from "../../server/api/root";

export type TrpcProxy = ReturnType<typeof createTRPCOptionsProxy<AppRouter>>;
type QueryClient = ReturnType<typeof createQueryClient>;

const fakeRouter = { back() {}, forward() {}, refresh() {}, push() {}, replace() {}, prefetch() {}, hmrRefresh() {} };

export function renderInProviders(node: ReactNode, locale: Locale = "zh-CN", seed?: (trpc: TrpcProxy, qc: QueryClient) => void): { html: string; queryClient: QueryClient } {
  const queryClient = createQueryClient();
  const trpcClient = makeTrpcClient();
  seed?.(createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient }), queryClient);
  const tree = createElement(
    AppRouterContext.Provider,
    { value: fakeRouter as never },
    createElement(
      I18nProvider,
      { locale, messages: MESSAGES[locale], children: null },
      createElement(QueryClientProvider, { client: queryClient }, createElement(TRPCProvider, { trpcClient, queryClient, children: null }, node)),
    ),
  );
  return { html: renderToString(tree), queryClient };
}
