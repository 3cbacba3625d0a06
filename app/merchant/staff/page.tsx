import { getT } from "@/lib/i18n/server";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { PageHeader, staffGate } from "../_components/staff";
import { StaffAdmin } from "./StaffAdmin";
import { TotpPolicy } from "./TotpPolicy";
import { ExportButton } from "@/components/merchant/ExportButton";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.staff") };
}

export default async function StaffPage() {
  const staff = await staffGate("/merchant/staff", "staff");
  const t = await getT();
  await Promise.all([prefetch(trpc.merchantStaff.list.queryOptions()), prefetch(trpc.merchantStaff.totpPolicy.queryOptions())]);
  return (
    <div>
      <PageHeader title={t("m.staff.title")}>
        <ExportButton href="/merchant/staff/export" />
      </PageHeader>
      <HydrateClient>
        <div className="space-y-4">
          <TotpPolicy />
          <StaffAdmin selfId={staff.staffId} />
        </div>
      </HydrateClient>
    </div>
  );
}
