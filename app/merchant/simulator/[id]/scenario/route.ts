// The generated scenario of a simulator run's rule set (?set=0 for A, 1 for B), as a JSON file that
// `npm run scenario -- FILE.json` replays to the same figures (the simulator's roles).
import { getDb } from "@/server/db";
import { DomainError } from "@/server/context";
import { simulationScenario } from "@/server/simulator";
import { attachmentHeader } from "@/server/exports/csv";
import { refusalResponse, withErrorResponse } from "@/app/_lib/route-errors";
import { staffForRoute } from "../../../_components/route-auth";

export const dynamic = "force-dynamic";

export const GET = withErrorResponse("simulator scenario", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { refused } = await staffForRoute("rulesRead");
  if (refused) return refused;
  const id = Number((await params).id);
  const set = Number(new URL(req.url).searchParams.get("set") ?? "0");
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647 || (set !== 0 && set !== 1)) return refusalResponse(req, 400, "m.route.badRequest");
  try {
    const scenario = await simulationScenario(await getDb(), id, set);
    if (!scenario) return refusalResponse(req, 404, "m.route.noSimulation");
    return new Response(JSON.stringify(scenario, null, 1), {
      headers: { "content-type": "application/json; charset=utf-8", "content-disposition": attachmentHeader(`simulation-${id}-${set === 0 ? "A" : "B"}.json`), "cache-control": "no-store" },
    });
  } catch (e) {
    if (e instanceof DomainError) return refusalResponse(req, 404, e);
    throw e;
  }
});
