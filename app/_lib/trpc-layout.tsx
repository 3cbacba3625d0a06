import { TRPCReactProvider } from "@/trpc/react";

/**
 * The layout of the route segments whose client components call tRPC (`export { default } from …`):
 * the home, category, search, landing and promotion pages do not, so they ship no query/tRPC client.
 */
export default function TrpcLayout({ children }: { children: React.ReactNode }) {
  return <TRPCReactProvider>{children}</TRPCReactProvider>;
}
