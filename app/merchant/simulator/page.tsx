import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { PageHeader, staffGate } from "../_components/staff";
import { SimulatorClient } from "./SimulatorClient";

export const dynamic = "force-dynamic";
export const metadata = { title: "收益模拟器" };

/** 收益模拟器: the roles that read the rules (AREA_ROLES.rulesRead) may run projections. */
export default async function MerchantSimulatorPage() {
  const { forbidden } = await staffGate("/merchant/simulator", "rulesRead");
  if (forbidden) return forbidden;
  const t = await getT();
  await Promise.all([prefetch(trpc.merchantSimulator.list.queryOptions()), prefetch(trpc.merchantSimulator.rules.queryOptions())]);
  return (
    <div>
      <PageHeader title={t("sim.title")} />
      <HydrateClient>
        <SimulatorClient />
      </HydrateClient>
    </div>
  );
}
