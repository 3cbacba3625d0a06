// The member list's CSV with its filters (server/exports/members.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("members");
