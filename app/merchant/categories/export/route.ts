// The categories' CSV with their commission rates (server/exports/catalog.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("categories");
