import { getT } from "@/lib/i18n/server";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { PageHeader, staffGate } from "../_components/staff";
import { auditFilterCodes } from "@/server/audit/query";
import { AuditLogView } from "./AuditLogView";
import { canAccess } from "@/server/staff/roles";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.audit") };
}

export default async function AuditPage() {
  const staff = await staffGate("/merchant/audit", "audit");
  const t = await getT();
  await prefetch(trpc.merchantAudit.actors.queryOptions());
  return (
    <div>
      <PageHeader title={t("m.audit.title")} />
      <HydrateClient>
        <AuditLogView codes={auditFilterCodes()} canOpenMembers={canAccess(staff.role, "membersRead")} />
      </HydrateClient>
    </div>
  );
}
