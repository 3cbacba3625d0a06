// CSV of manual ledger adjustments with the list's filters (server/exports/adjustments.ts).
import { exportResponse } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return exportResponse(req, "adjustments");
}
