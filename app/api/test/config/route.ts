// Test-only rule changes for end-to-end tests. Not found (404) unless the test door is open, like the
// test clock (server/test-doors.ts; checked here as well as in proxy.ts). POST a partial config: its
// top-level keys replace the rules in force (a nested object is merged one level deep), and the result
// is saved as a new rule version through the same compliance guard as /merchant/rules (author: none);
// a refused result is a 400 and nothing is stored.
import { NextResponse } from "next/server";
import { appNow } from "@/server/clock/app-clock";
import { testDoorOpen } from "@/server/test-doors";
import { getDb } from "@/server/db";
import { loadRules } from "@/server/context";
import { RulesRefused, saveRules } from "@/server/rules";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return NextResponse.json({ error: "not found" }, { status: 404 });
  const patch = (await req.json().catch(() => null)) as Record<string, unknown> | null;
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return NextResponse.json({ error: "a JSON object is required" }, { status: 400 });
  const db = await getDb();
  const now = appNow();
  const current = (await loadRules(db, now)).config as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    const old = current[k];
    merged[k] = v && typeof v === "object" && !Array.isArray(v) && old && typeof old === "object" && !Array.isArray(old) ? { ...old, ...v } : v;
  }
  try {
    await saveRules(db, null, { config: merged, reason: "e2e test hook" }, now);
  } catch (e) {
    if (!(e instanceof RulesRefused)) throw e;
    // An unchanged config is not an error for a test that sets what is already in force.
    if (!(e.issues.length === 1 && e.issues[0]!.path === "")) return NextResponse.json({ error: e.issues.map((i) => `${i.path}: ${i.message}`).join("; ") }, { status: 400 });
  }
  return NextResponse.json({ config: (await loadRules(db, now)).config });
}
