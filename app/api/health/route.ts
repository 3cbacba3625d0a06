// Health check for load balancers and uptime monitors: 200 {"ok":true} when the app's database answers
// `SELECT 1`, else 503 {"ok":false}. Public, and says nothing more: the cause is logged on the server only.
import { NextResponse } from "next/server";
import { getDb } from "@/server/db";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

export async function GET(): Promise<Response> {
  try {
    const db = await getDb();
    await db.$queryRaw`SELECT 1`;
    return NextResponse.json({ ok: true }, { headers: NO_STORE });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    console.error(`[health] database check failed: ${(e as Error).name}${typeof code === "string" ? ` (${code})` : ""}`);
    return NextResponse.json({ ok: false }, { status: 503, headers: NO_STORE });
  }
}
