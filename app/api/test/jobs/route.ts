// Test-only: POST puts one dead-lettered due transition in place (as if it had failed MAX_ATTEMPTS
// times), so an end-to-end test can show it to staff and retry it. Not found (404) unless the test door is
// open (server/test-doors.ts), checked here as well as in proxy.ts.
import { NextResponse } from "next/server";
import { appNow } from "@/server/clock/app-clock";
import { testDoorOpen } from "@/server/test-doors";
import { getDb } from "@/server/db";
import { MAX_ATTEMPTS } from "@/server/scheduler";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return NextResponse.json({ error: "not found" }, { status: 404 });
  const now = appNow();
  const row = await (await getDb()).dueTransition.create({
    data: { kind: "ORDER_COMPLETE", refId: 0, dueAt: now, createdAt: now, attempts: MAX_ATTEMPTS, deadAt: now, nextAttemptAt: now, lastError: "e2e: simulated failure" },
  });
  return NextResponse.json({ id: row.id });
}
