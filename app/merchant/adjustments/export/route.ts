// CSV of manual ledger adjustments with the list's filters (server/exports/adjustments.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("adjustments");
