// The staff check for back-office route handlers (CSV exports): the same session row and area
// table as the pages and procedures. Returns the identity, or the 401/403 response to send, worded in
// the staff's language (the fm_lang cookie, as the pages are).
import { cookies } from "next/headers";
import { getDb } from "@/server/db";
import { getT } from "@/lib/i18n/server";
import { STAFF_COOKIE, validateStaffSession, type StaffIdentity } from "@/server/staff/sessions";
import { canAccess, type Area } from "@/server/staff/roles";

type RouteStaff = { staff: StaffIdentity; refused: null } | { staff: null; refused: Response };

async function refusal(status: 401 | 403): Promise<{ staff: null; refused: Response }> {
  const t = await getT();
  return { staff: null, refused: Response.json({ error: status === 401 ? t("m.route.signIn") : t("m.forbidden.title") }, { status }) };
}

export async function staffForRoute(area: Area): Promise<RouteStaff> {
  const staff = await validateStaffSession(await getDb(), (await cookies()).get(STAFF_COOKIE)?.value ?? null, new Date());
  if (!staff) return refusal(401);
  if (!staff.ready || !canAccess(staff.role, area)) return refusal(403);
  return { staff, refused: null };
}

/** Any signed-in, set-up member of staff (the route checks the rest itself). */
export async function currentStaffForRoute(): Promise<RouteStaff> {
  const staff = await validateStaffSession(await getDb(), (await cookies()).get(STAFF_COOKIE)?.value ?? null, new Date());
  if (!staff) return refusal(401);
  if (!staff.ready) return refusal(403);
  return { staff, refused: null };
}
