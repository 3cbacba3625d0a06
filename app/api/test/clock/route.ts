// Test-only clock control for end-to-end tests: POST {"advanceMs": n} moves the app clock ahead and
// performs every transition that fell due. Refused (403) unless FM_TEST_CLOCK=1.
import { NextResponse } from "next/server";
import { advanceTestClock, appNow, testClockEnabled } from "@/server/clock/app-clock";
import { getDb } from "@/server/db";
import { runDueTransitions } from "@/server/scheduler";
import { payApprovedWithdrawals } from "@/server/wallet/withdrawals";
import { performDueProviderCalls } from "@/server/payments/calls";

export const dynamic = "force-dynamic";

export async function GET() {
  return NextResponse.json({ enabled: testClockEnabled(), now: appNow().toISOString() });
}

export async function POST(req: Request) {
  if (!testClockEnabled()) return NextResponse.json({ error: "test clock disabled" }, { status: 403 });
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
