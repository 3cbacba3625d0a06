import { getT } from "@/lib/i18n/server";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { PageHeader, staffGate } from "../_components/staff";
import { AdjustmentsClient } from "./AdjustmentsClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.adjustments") };
}

export default async function MerchantAdjustmentsPage() {
  await staffGate("/merchant/adjustments", "adjustments");
  const t = await getT();
  const config = await loadConfig(await getDb());
  return (
    <div>
      <PageHeader title={t("ma.title")} />
      <AdjustmentsClient approvalAboveFen={config.adjustment.approvalAboveFen} />
    </div>
  );
}
