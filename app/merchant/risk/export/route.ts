// The risk list's CSV with its filters (server/exports/risk.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("risk");
