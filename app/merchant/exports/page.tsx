import { getT } from "@/lib/i18n/server";
import { EXPORT_RETENTION_DAYS, syncExportLimit } from "@/server/exports/jobs";
import { PageHeader, staffGate } from "../_components/staff";
import { ExportsClient } from "./ExportsClient";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.exports") };
}

export default async function MerchantExportsPage() {
  await staffGate("/merchant/exports", "home");
  const t = await getT();
  return (
    <div>
      <PageHeader title={t("mx.title")} />
      <ExportsClient syncLimit={syncExportLimit()} retentionDays={EXPORT_RETENTION_DAYS} />
    </div>
  );
}
