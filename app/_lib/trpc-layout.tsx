import { TRPCReactProvider } from "@/trpc/react";
import ShopLayout from "./shop-layout";

/**
 * The layout of the shop's route segments whose client components call tRPC (`export { default } from …`):
 * the home, category, search and landing pages do not, so they ship no query/tRPC client (the promotion pages do: the leaderboard switch).
 */
export default function TrpcLayout({ children }: { children: React.ReactNode }) {
  return (
    <ShopLayout>
      <TRPCReactProvider>{children}</TRPCReactProvider>
    </ShopLayout>
  );
}
