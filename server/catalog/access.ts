// Who may change the catalogue: operators and owners (issue 9). Until staff accounts land, merchant
// staff are members with the STAFF or ADMIN role (same rule as staffProcedure).
import type { Db } from "../db";

export async function canEditCatalog(db: Db, memberId: number): Promise<boolean> {
  const m = await db.member.findUnique({ where: { id: memberId }, select: { role: true, frozen: true } });
  return !!m && !m.frozen && (m.role === "STAFF" || m.role === "ADMIN");
}
