import { notFound } from "next/navigation";
import Link from "next/link";
import { getT } from "@/lib/i18n/server";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { canAccess } from "@/server/staff/roles";
import { PageHeader, staffGate } from "../../_components/staff";
import { MemberDetailView } from "./MemberDetailView";
import { rowIdParam } from "@/server/validation";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("mm.detail.title") };
}

export default async function MemberDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const staff = await staffGate(`/merchant/members/${raw}`, "membersRead");
  const id = rowIdParam(raw);
  if (id === null) notFound();
  const t = await getT();
  await prefetch(trpc.merchantMember.detail.queryOptions({ id }));
  return (
    <div>
      <Link href="/merchant/members" className="text-sm text-neutral-500 hover:text-neutral-900">
        {t("mm.detail.back")}
      </Link>
      <PageHeader title={t("mm.detail.title")} />
      <HydrateClient>
        <MemberDetailView id={id} canWrite={canAccess(staff.role, "membersWrite")} isOwner={staff.role === "owner"} canOpenRisk={canAccess(staff.role, "risk")} staffId={staff.staffId} />
      </HydrateClient>
    </div>
  );
}
