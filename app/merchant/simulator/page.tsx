import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { getDb } from "@/server/db";
import { PageHeader, staffGate } from "../_components/staff";
import { SimulatorClient } from "./SimulatorClient";
import { runHref, runPages, runParam } from "./view";
import { shopCategoryDefaults } from "@/server/simulator/shop-defaults";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.simulator") };
}

/** 收益模拟器: the roles that read the rules (AREA_ROLES.rulesRead) may run projections; ?run=<id> shows that run. */
export default async function MerchantSimulatorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const run = runParam((await searchParams).run);
  // Signing in returns to the run the address named.
  await staffGate(runHref(run), "rulesRead");
  const t = await getT();
  const [categories] = await Promise.all([
    shopCategoryDefaults(await getDb()),
    prefetch(trpc.merchantSimulator.list.infiniteQueryOptions({}, runPages)),
    prefetch(trpc.merchantSimulator.rules.queryOptions()),
    run === null ? null : prefetch(trpc.merchantSimulator.get.queryOptions({ id: run })),
  ]);
  return (
    <div>
      <PageHeader title={t("sim.title")} />
      <HydrateClient>
        <SimulatorClient categories={categories.options} categoryNames={categories.names} defaultMix={categories.mix} />
      </HydrateClient>
    </div>
  );
}
