import { HydrateClient } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { PageHeader, staffGate } from "../_components/staff";
import { KpiClient } from "./KpiClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.kpi") };
}

/** 数据看板 (AREA_ROLES.kpi): figures from the daily aggregates kept by the domain events. */
export default async function MerchantKpiPage() {
  await staffGate("/merchant/kpi", "kpi");
  const t = await getT();
  return (
    <div>
      <PageHeader title={t("kpi.title")} />
      <HydrateClient>
        <KpiClient />
      </HydrateClient>
    </div>
  );
}
