import Link from "next/link";
import { getT } from "@/lib/i18n/server";
import { notFound } from "next/navigation";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { FREEZE_AFTER_REJECTIONS } from "@/server/risk/review";
import { PageHeader, staffGate } from "../../_components/staff";
import { RiskCase } from "./RiskCase";
import { rowIdParam } from "@/server/validation";
import { canAccess } from "@/server/staff/roles";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.risk") };
}

export default async function MerchantRiskCasePage({ params }: { params: Promise<{ memberId: string }> }) {
  const { memberId: raw } = await params;
  const staff = await staffGate(`/merchant/risk/${raw}`, "risk");
  const t = await getT();
  const memberId = rowIdParam(raw);
  if (memberId === null) notFound();
  await prefetch(trpc.merchantRisk.case.queryOptions({ memberId }));
  return (
    <div>
      {/* Above the title, as on the other detail pages (orders, members). */}
      <Link href="/merchant/risk" className="text-sm text-neutral-500 hover:text-neutral-900">
        {t("mr.case.back")}
      </Link>
      <PageHeader title={t("m.nav.risk")} />
      <HydrateClient>
        <RiskCase memberId={memberId} freezeAt={FREEZE_AFTER_REJECTIONS} canOpenOrders={canAccess(staff.role, "ordersRead")} />
      </HydrateClient>
    </div>
  );
}
