import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { AddressBook } from "./AddressBook";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("address.book") };
}

export default async function AddressesPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fme%2Faddresses");
  await prefetch(trpc.address.list.queryOptions());
  const t = await getT();
  return (
    <AppShell title={t("address.book")} back="/me" tabs={false}>
      <HydrateClient>
        <AddressBook />
      </HydrateClient>
    </AppShell>
  );
}
