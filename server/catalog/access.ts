// Who may change the catalogue outside tRPC (the picture upload route): a signed-in member of staff
// whose role opens the products area (operators and the owner), checked against the session row.
import type { Db } from "../db";
import { validateStaffSession } from "../staff/sessions";
import { canAccess } from "../staff/roles";

export async function canEditCatalog(db: Db, staffToken: string | null, now: Date): Promise<boolean> {
  const staff = await validateStaffSession(db, staffToken, now);
  return !!staff && staff.ready && canAccess(staff.role, "products");
}
