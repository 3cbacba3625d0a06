import { getT } from "@/lib/i18n/server";
import { FLAG_RULES, riskRuleLabel } from "@/server/risk/view";
import { FREEZE_AFTER_REJECTIONS } from "@/server/risk/review";
import { PageHeader, staffGate } from "../_components/staff";
import { RiskQueueClient } from "./RiskQueueClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.risk") };
}

export default async function MerchantRiskPage() {
  await staffGate("/merchant/risk", "risk");
  const t = await getT();
  return (
    <div>
      <PageHeader title={t("m.nav.risk")} />
      <RiskQueueClient rules={FLAG_RULES.map((r) => ({ value: r, label: t.opt(`mr.rule.${r}`, riskRuleLabel(r)) }))} freezeAt={FREEZE_AFTER_REJECTIONS} />
    </div>
  );
}
