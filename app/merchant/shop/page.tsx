import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { canAccess } from "@/server/staff/roles";
import { PageHeader, staffGate } from "../_components/staff";
import { ShopProfileForm } from "./ShopProfileForm";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.shop") };
}

/** 店铺资料: every member of staff reads the shop's name and contacts (AREA_ROLES.home); the owner edits them, a shop setting (AREA_ROLES.rulesWrite). */
export default async function MerchantShopPage() {
  const staff = await staffGate("/merchant/shop", "home");
  const t = await getT();
  await prefetch(trpc.merchantShop.profile.queryOptions());
  return (
    <div>
      <PageHeader title={t("m.nav.shop")} />
      <p className="mb-4 max-w-3xl text-sm text-neutral-600">{t("m.shop.hint")}</p>
      <HydrateClient>
        <ShopProfileForm canEdit={canAccess(staff.role, "rulesWrite")} />
      </HydrateClient>
    </div>
  );
}
