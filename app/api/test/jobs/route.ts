// Test-only: POST puts one dead-lettered due transition in place (as if it had failed MAX_ATTEMPTS
// times), or with {"kind": "outboxEvent"} one dead-lettered outbox event (OUTBOX_MAX_ATTEMPTS), so an
// end-to-end test can show it to staff and retry it. Not found (404) unless the test door is
// open (server/test-doors.ts), checked here as well as in proxy.ts.
import { NextResponse } from "next/server";
import { appNow } from "@/server/clock/app-clock";
import { testDoorOpen } from "@/server/test-doors";
import { getDb } from "@/server/db";
import { MAX_ATTEMPTS } from "@/server/scheduler";
import { OUTBOX_MAX_ATTEMPTS } from "@/server/events/relay";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return NextResponse.json({ error: "not found" }, { status: 404 });
  const body = (await req.json().catch(() => null)) as { kind?: unknown } | null;
  const kind = body?.kind ?? "transition";
  if (kind !== "transition" && kind !== "outboxEvent") return NextResponse.json({ error: "kind must be transition or outboxEvent" }, { status: 400 });
  const now = appNow();
  const db = await getDb();
  if (kind === "outboxEvent") {
    // A name no local handler takes: once retried, the next relay marks it sent and nothing else happens.
    const event = await db.outboxEvent.create({
      data: { name: "e2e/simulated", data: {}, createdAt: now, attempts: OUTBOX_MAX_ATTEMPTS, deadAt: now, nextAttemptAt: now, lastError: "Error: e2e simulated failure" },
    });
    return NextResponse.json({ id: event.id });
  }
  const row = await db.dueTransition.create({
    data: { kind: "ORDER_COMPLETE", refId: 0, dueAt: now, createdAt: now, attempts: MAX_ATTEMPTS, deadAt: now, nextAttemptAt: now, lastError: "e2e: simulated failure" },
  });
  return NextResponse.json({ id: row.id });
}
