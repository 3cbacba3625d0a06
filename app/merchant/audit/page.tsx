import { getT } from "@/lib/i18n/server";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { PageHeader, staffGate } from "../_components/staff";
import { AuditLogView } from "./AuditLogView";

export const dynamic = "force-dynamic";
export const metadata = { title: "操作日志" };

export default async function AuditPage() {
  const { forbidden } = await staffGate("/merchant/audit", "audit");
  if (forbidden) return forbidden;
  const t = await getT();
  await prefetch(trpc.merchantAudit.actors.queryOptions());
  return (
    <div>
      <PageHeader title={t("m.audit.title")} />
      <HydrateClient>
        <AuditLogView />
      </HydrateClient>
    </div>
  );
}
