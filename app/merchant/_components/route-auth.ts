// The staff check for back-office route handlers (CSV exports): the same session row and area
// table as the pages and procedures. Returns the identity, or the 401/403 response to send.
import { cookies } from "next/headers";
import { getDb } from "@/server/db";
import { STAFF_COOKIE, validateStaffSession, type StaffIdentity } from "@/server/staff/sessions";
import { canAccess, type Area } from "@/server/staff/roles";

export async function staffForRoute(area: Area): Promise<{ staff: StaffIdentity; refused: null } | { staff: null; refused: Response }> {
  const staff = await validateStaffSession(await getDb(), (await cookies()).get(STAFF_COOKIE)?.value ?? null, new Date());
  if (!staff) return { staff: null, refused: Response.json({ error: "请先登录商家后台" }, { status: 401 }) };
  if (!staff.ready || !canAccess(staff.role, area)) return { staff: null, refused: Response.json({ error: "无权访问" }, { status: 403 }) };
  return { staff, refused: null };
}

/** Any signed-in, set-up member of staff (the route checks the rest itself). */
export async function currentStaffForRoute(): Promise<{ staff: StaffIdentity; refused: null } | { staff: null; refused: Response }> {
  const staff = await validateStaffSession(await getDb(), (await cookies()).get(STAFF_COOKIE)?.value ?? null, new Date());
  if (!staff) return { staff: null, refused: Response.json({ error: "请先登录商家后台" }, { status: 401 }) };
  if (!staff.ready) return { staff: null, refused: Response.json({ error: "无权访问" }, { status: 403 }) };
  return { staff, refused: null };
}
