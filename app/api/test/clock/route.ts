// Test-only clock control for end-to-end tests: POST {"advanceMs": n} moves the app clock ahead and
// performs every transition that fell due. Not found (404) unless the test door is open: FM_TEST_CLOCK=1,
// and in a production build also the per-run FM_TEST_TOKEN in the x-fm-test-token header.
import { NextResponse } from "next/server";
import { advanceTestClock, appNow } from "@/server/clock/app-clock";
import { testDoorOpen } from "@/server/test-doors";
import { getDb } from "@/server/db";
import { runDueTransitions } from "@/server/scheduler";
import { payApprovedWithdrawals } from "@/server/wallet/withdrawals";
import { performDueProviderCalls } from "@/server/payments/calls";

export const dynamic = "force-dynamic";

const closed = () => NextResponse.json({ error: "not found" }, { status: 404 });

export async function GET(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return closed();
  return NextResponse.json({ enabled: true, now: appNow().toISOString() });
}

export async function POST(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return closed();
  const body = (await req.json().catch(() => ({}))) as { advanceMs?: unknown };
  const ms = Number(body.advanceMs ?? 0);
  if (!Number.isSafeInteger(ms) || ms < 0) return NextResponse.json({ error: "advanceMs must be a non-negative integer" }, { status: 400 });
  const now = advanceTestClock(ms);
  const db = await getDb();
  const ran = await runDueTransitions(db, now, { clock: "due" });
  await payApprovedWithdrawals(db, now);
  await performDueProviderCalls(db, now);
  return NextResponse.json({ now: now.toISOString(), ran });
}
