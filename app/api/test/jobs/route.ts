// Test-only: POST puts one dead-lettered due transition in place (as if it had failed MAX_ATTEMPTS
// times), so an end-to-end test can show it to staff and retry it. Refused (403) unless FM_TEST_CLOCK=1.
import { NextResponse } from "next/server";
import { appNow, testClockEnabled } from "@/server/clock/app-clock";
import { getDb } from "@/server/db";
import { MAX_ATTEMPTS } from "@/server/scheduler";

export const dynamic = "force-dynamic";

export async function POST() {
  if (!testClockEnabled()) return NextResponse.json({ error: "test routes disabled" }, { status: 403 });
  const now = appNow();
  const row = await (await getDb()).dueTransition.create({
    data: { kind: "ORDER_COMPLETE", refId: 0, dueAt: now, createdAt: now, attempts: MAX_ATTEMPTS, deadAt: now, nextAttemptAt: now, lastError: "e2e: simulated failure" },
  });
  return NextResponse.json({ id: row.id });
}
