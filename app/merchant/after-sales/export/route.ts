// The after-sales queue's CSV with its filters (server/exports/aftersales.ts).
import { exportRoute } from "../../_components/export-route";

export const dynamic = "force-dynamic";

export const GET = exportRoute("after-sales");
