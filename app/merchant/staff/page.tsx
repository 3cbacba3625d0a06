import { getT } from "@/lib/i18n/server";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { PageHeader, staffGate } from "../_components/staff";
import { StaffAdmin } from "./StaffAdmin";
import { ExportButton } from "@/components/merchant/ExportButton";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.staff") };
}

export default async function StaffPage() {
  const { staff, forbidden } = await staffGate("/merchant/staff", "staff");
  if (forbidden) return forbidden;
  const t = await getT();
  await prefetch(trpc.merchantStaff.list.queryOptions());
  return (
    <div>
      <PageHeader title={t("m.staff.title")}>
        <ExportButton href="/merchant/staff/export" />
      </PageHeader>
      <HydrateClient>
        <StaffAdmin selfId={staff.staffId} />
      </HydrateClient>
    </div>
  );
}
