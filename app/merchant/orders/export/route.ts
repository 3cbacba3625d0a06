// The orders list's CSV with its filters (server/exports/orders.ts).
import { exportResponse } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return exportResponse(req, "orders");
}
