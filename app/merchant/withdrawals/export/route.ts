// Finance CSV of withdrawals with the queue's filters (server/exports/withdrawals.ts).
import { exportResponse } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return exportResponse(req, "withdrawals");
}
