import Link from "next/link";
import { redirect } from "next/navigation";
import { ScrollingTabs } from "@/components/ScrollingTabs";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { ORDER_TAB_KEYS, type OrderTab } from "@/server/orders/view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { OrdersList } from "./OrdersList";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("orders.title") };
}

export default async function OrdersPage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  const raw = (await searchParams).tab;
  const tab: OrderTab = ORDER_TAB_KEYS.includes(raw as OrderTab) ? (raw as OrderTab) : "all";
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(`/orders?tab=${tab}`)}`);
  await prefetch(trpc.order.list.queryOptions({ tab }));
  const t = await getT();
  return (
    <AppShell title={t("orders.title")} back="/me" tabs={false}>
      <ScrollingTabs
        className="sticky top-11 z-10 flex gap-1 overflow-x-auto whitespace-nowrap border-b border-neutral-100 bg-white px-1 text-sm [scrollbar-width:none] [&::-webkit-scrollbar]:hidden"
        aria-label={t("orders.tabsAria")}
      >
        {ORDER_TAB_KEYS.map((key) => (
          <Link
            key={key}
            href={`/orders?tab=${key}`}
            replace
            aria-current={key === tab ? "page" : undefined}
            className={`relative shrink-0 grow px-2.5 py-3 text-center ${key === tab ? "font-medium text-rose-600" : "text-neutral-600"}`}
          >
            {t(`orders.tab.${key}`)}
            {key === tab ? <span className="absolute inset-x-1/4 bottom-0 h-0.5 rounded-full bg-rose-600" /> : null}
          </Link>
        ))}
      </ScrollingTabs>
      <HydrateClient>
        <OrdersList tab={tab} />
      </HydrateClient>
    </AppShell>
  );
}
