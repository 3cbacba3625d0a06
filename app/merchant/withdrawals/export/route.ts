// Finance CSV of withdrawals with the queue's filters (server/exports/withdrawals.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("withdrawals");
