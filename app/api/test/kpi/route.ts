// Test-only: the dashboard's figures computed from the raw tables (no aggregate) for a period, so an
// end-to-end test can check the page's numbers against the database. Not found unless the test door is open.
import { NextResponse } from "next/server";
import { testDoorOpen } from "@/server/test-doors";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { rawKpi } from "@/server/kpi/dashboard";
import { DAY_RE } from "@/server/kpi/periods";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return NextResponse.json({ error: "not found" }, { status: 404 });
  const q = new URL(req.url).searchParams;
  const from = q.get("from") ?? "";
  const to = q.get("to") ?? "";
  if (!DAY_RE.test(from) || !DAY_RE.test(to)) return NextResponse.json({ error: "from and to: YYYY-MM-DD" }, { status: 400 });
  const db = await getDb();
  return NextResponse.json(await rawKpi(db, { from, to }, (await loadConfig(db)).timeZone));
}
