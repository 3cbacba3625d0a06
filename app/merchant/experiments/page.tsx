import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { canAccess } from "@/server/staff/roles";
import { PageHeader, staffGate } from "../_components/staff";
import { ExperimentsClient } from "./ExperimentsClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.experiments") };
}

/** A/B 实验: read like the rules (AREA_ROLES.rulesRead); only the owner starts or ends one (rulesWrite). */
export default async function MerchantExperimentsPage() {
  const staff = await staffGate("/merchant/experiments", "rulesRead");
  const t = await getT();
  await Promise.all([prefetch(trpc.merchantExperiments.list.queryOptions()), prefetch(trpc.merchantRules.overview.queryOptions())]);
  return (
    <div>
      <PageHeader title={t("exp.title")} />
      <HydrateClient>
        <ExperimentsClient canEdit={canAccess(staff.role, "rulesWrite")} />
      </HydrateClient>
    </div>
  );
}
