import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { getDb } from "@/server/db";
import { PageHeader, staffGate } from "../_components/staff";
import { SimulatorClient } from "./SimulatorClient";
import { shopCategoryDefaults } from "@/server/simulator/shop-defaults";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.simulator") };
}

/** 收益模拟器: the roles that read the rules (AREA_ROLES.rulesRead) may run projections. */
export default async function MerchantSimulatorPage() {
  const { forbidden } = await staffGate("/merchant/simulator", "rulesRead");
  if (forbidden) return forbidden;
  const t = await getT();
  const [categories] = await Promise.all([shopCategoryDefaults(await getDb()), prefetch(trpc.merchantSimulator.list.queryOptions()), prefetch(trpc.merchantSimulator.rules.queryOptions())]);
  return (
    <div>
      <PageHeader title={t("sim.title")} />
      <HydrateClient>
        <SimulatorClient categories={categories.options} defaultMix={categories.mix} />
      </HydrateClient>
    </div>
  );
}
