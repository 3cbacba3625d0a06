// Test-only: creates a staff account of a role with a known password and an enrolled TOTP secret, so
// end-to-end tests can sign in as any role (and keep the seeded demo accounts untouched). Not found
// (404) unless the test door is open, like the other test hooks (server/test-doors.ts).
import { testDoorOpen } from "@/server/test-doors";
import { getDb } from "@/server/db";
import { hashPassword } from "@/server/staff/password";
import { newTotpSecret } from "@/server/staff/totp";
import { isStaffRole } from "@/server/staff/roles";
import { randomBytes } from "node:crypto";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!testDoorOpen("clock", req.headers)) return Response.json({ error: "not found" }, { status: 404 });
  const body = (await req.json().catch(() => ({}))) as { role?: unknown; totp?: unknown };
  if (!isStaffRole(body.role)) return Response.json({ error: "role?" }, { status: 400 });
  const username = `e2e_${body.role}_${randomBytes(4).toString("hex")}`;
  const password = `e2e-${randomBytes(8).toString("hex")}`;
  const withTotp = body.totp !== false;
  const { secret, secretEnc } = newTotpSecret();
  const db = await getDb();
  const staff = await db.staffAccount.create({
    data: {
      username,
      displayName: `测试${body.role}`,
      role: body.role,
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
      ...(withTotp ? { totpSecretEnc: secretEnc, totpEnabledAt: new Date() } : {}),
    },
  });
  return Response.json({ id: staff.id, username, password, totpSecret: withTotp ? secret : null });
}
