// Test-only choice of who pays withdrawals out, for end-to-end tests of one provider's payout in a run whose
// other tests expect the sandbox: POST {"provider": "wechatpay"} until POST {"provider": null} (PAYOUT_PROVIDER
// is read per payout, server/payments/registry.ts). Not found (404) unless the test door is open, like the clock.
import { NextResponse } from "next/server";
import { testDoorOpen } from "@/server/test-doors";
import { providerAvailable } from "@/server/payments/registry";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return NextResponse.json({ error: "not found" }, { status: 404 });
  const body = (await req.json().catch(() => null)) as { provider?: unknown } | null;
  const provider = body?.provider;
  if (provider === null) {
    delete process.env.PAYOUT_PROVIDER;
    return NextResponse.json({ provider: null });
  }
  if (typeof provider !== "string" || !providerAvailable(provider)) return NextResponse.json({ error: "provider must be a configured payment provider or null" }, { status: 400 });
  process.env.PAYOUT_PROVIDER = provider;
  return NextResponse.json({ provider });
}
