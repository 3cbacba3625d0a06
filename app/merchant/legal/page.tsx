import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { PageHeader, staffGate } from "../_components/staff";
import { LegalEditor } from "./LegalEditor";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.legal") };
}

/** 协议与隐私: the owner edits the 用户协议 and 隐私政策 shoppers accept at sign-in (a shop setting: AREA_ROLES.rulesWrite). */
export default async function MerchantLegalPage() {
  await staffGate("/merchant/legal", "rulesWrite");
  const t = await getT();
  await prefetch(trpc.merchantLegal.overview.queryOptions());
  return (
    <div>
      <PageHeader title={t("m.nav.legal")} />
      <p className="mb-4 max-w-3xl text-sm text-neutral-600">{t("m.legal.hint")}</p>
      <HydrateClient>
        <LegalEditor />
      </HydrateClient>
    </div>
  );
}
