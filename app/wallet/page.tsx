import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { WalletView } from "./WalletView";

export const dynamic = "force-dynamic";
export const metadata = { title: "我的钱包" };

export default async function WalletPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fwallet");
  return (
    <AppShell title="我的钱包" back="/me">
      <WalletView />
    </AppShell>
  );
}
