// The staff accounts' CSV, owner only (server/exports/staff.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("staff");
