// The stock adjustment history's CSV (server/exports/catalog.ts).
import { exportRoute } from "../../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("stock-history");
