import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { canAccess } from "@/server/staff/roles";
import { PageHeader, staffGate } from "../_components/staff";
import { RulesClient } from "./RulesClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.rules") };
}

/** 规则配置: the owner edits the program rules; the operator may read them (AREA_ROLES.rulesRead / rulesWrite). */
export default async function MerchantRulesPage() {
  const staff = await staffGate("/merchant/rules", "rulesRead");
  const t = await getT();
  await prefetch(trpc.merchantRules.overview.queryOptions());
  return (
    <div>
      <PageHeader title={t("rules.title")} />
      <HydrateClient>
        <RulesClient canEdit={canAccess(staff.role, "rulesWrite")} />
      </HydrateClient>
    </div>
  );
}
