// The audit log's CSV with its filters, owner only (server/exports/audit.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("audit");
