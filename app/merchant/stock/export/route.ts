// The low-stock list's CSV at the page's threshold (server/exports/catalog.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("low-stock");
