import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { getT } from "@/lib/i18n/server";
import { WalletView } from "./WalletView";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("wallet.title") };
}

export default async function WalletPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fwallet");
  const t = await getT();
  return (
    <AppShell title={t("wallet.title")} back="/me">
      <WalletView />
    </AppShell>
  );
}
