import { getT } from "@/lib/i18n/server";
import { HydrateClient } from "@/trpc/server";
import { PageHeader, staffGate } from "../_components/staff";
import { MemberList } from "./MemberList";
import { SponsorChanges } from "./_parts/SponsorChange";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.members") };
}

export default async function MembersPage() {
  const staff = await staffGate("/merchant/members", "membersRead");
  const t = await getT();
  return (
    <div>
      <PageHeader title={t("mm.title")} />
      <HydrateClient>
        <SponsorChanges staffId={staff.staffId} isOwner={staff.role === "owner"} />
        <MemberList />
      </HydrateClient>
    </div>
  );
}
