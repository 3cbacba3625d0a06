"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/server/db";
import { inTx } from "@/server/context";
import { clientIp } from "@/server/auth/request";
import { revokeSession, signIn, STAFF_COOKIE, SESSION_MAX_MS } from "@/server/staff/sessions";
import { currentStaff } from "../_components/staff";

export type SignInState = { error: "invalid" | "locked" | "totp-required" | "totp-invalid" | "totp-locked" | "address-limited" | "failed" | null; lockedUntil?: string; username?: string; askTotp?: boolean };

/** Only a path inside the back office may be the target after sign-in (no open redirect). */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/merchant(\/[\w\-/]*)?(\?[\w=&%.-]*)?$/.test(next) && !next.startsWith("/merchant/login") ? next : "/merchant";
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const username = String(form.get("username") ?? "").slice(0, 64);
  const password = String(form.get("password") ?? "").slice(0, 200);
  const totp = String(form.get("totp") ?? "").slice(0, 10);
  // Postgres text cannot hold NUL: such input is simply wrong, not a server error.
  if ([username, password, totp].some((v) => v.includes("\u0000"))) return { error: "invalid", username: "" };
  const h = await headers();
  let result;
  try {
    result = await signIn(await getDb(), new Date(), { username, password, totp, ip: clientIp(h), userAgent: h.get("user-agent") });
  } catch (err) {
    console.error("staff sign-in failed:", err instanceof Error ? err.name : "unknown error");
    return { error: "failed", username };
  }
  if (!result.ok) {
    const askTotp = result.reason === "totp-required" || result.reason === "totp-invalid" || result.reason === "totp-locked";
    return { error: result.reason, lockedUntil: result.lockedUntil?.toISOString(), username, askTotp };
  }
  const secure = (h.get("x-forwarded-proto") ?? "").includes("https") || process.env.NEXTAUTH_URL?.startsWith("https:") === true;
  (await cookies()).set(STAFF_COOKIE, result.token, { httpOnly: true, sameSite: "strict", secure, path: "/", maxAge: Math.floor(SESSION_MAX_MS / 1000) });
  redirect(result.next ? "/merchant/account" : safeNext(form.get("next")));
}

export async function signOutAction(): Promise<void> {
  const staff = await currentStaff();
  if (staff) await inTx(await getDb(), { now: new Date() }, (ctx) => revokeSession(ctx.tx, ctx.now, staff.sessionId, { staffId: staff.staffId }));
  (await cookies()).delete(STAFF_COOKIE);
  redirect("/merchant/login");
}
