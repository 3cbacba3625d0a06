// The product list's CSV, one row per SKU, with its filters (server/exports/catalog.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("products");
