// Test-only rule changes for end-to-end tests (the merchant's rules page is not built yet). Refused
// (403) unless FM_TEST_CLOCK=1, like the test clock. POST a partial config: its top-level keys replace
// the stored ones (a nested object is merged one level deep), then the whole config is validated by
// the engine's schema; an invalid result is refused with 400 and nothing is stored.
import { NextResponse } from "next/server";
import { testClockEnabled } from "@/server/clock/app-clock";
import { getDb } from "@/server/db";
import { configSchema } from "@/server/config/schema";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!testClockEnabled()) return NextResponse.json({ error: "test hooks disabled" }, { status: 403 });
  const patch = (await req.json().catch(() => null)) as Record<string, unknown> | null;
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return NextResponse.json({ error: "a JSON object is required" }, { status: 400 });
  const db = await getDb();
  const row = await db.mallConfig.findUnique({ where: { id: "default" } });
  const current = (row?.data ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    const old = current[k];
    merged[k] = v && typeof v === "object" && !Array.isArray(v) && old && typeof old === "object" && !Array.isArray(old) ? { ...old, ...v } : v;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return NextResponse.json({ error: `${i.path.join(".")}: ${i.message}` }, { status: 400 });
  }
  await db.mallConfig.upsert({ where: { id: "default" }, create: { data: parsed.data as object }, update: { data: parsed.data as object } });
  return NextResponse.json({ config: parsed.data });
}
