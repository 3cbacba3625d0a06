import Link from "next/link";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/server/db";
import { getT } from "@/lib/i18n/server";
import { STAFF_COOKIE, validateStaffSession, type StaffIdentity } from "@/server/staff/sessions";
import { canAccess, type Area } from "@/server/staff/roles";

/** The signed-in member of staff of this request (the fm_staff cookie checked against its session row). */
export const currentStaff = cache(async (): Promise<StaffIdentity | null> => {
  const token = (await cookies()).get(STAFF_COOKIE)?.value ?? null;
  return validateStaffSession(await getDb(), token, new Date());
});

/**
 * Gate for every back-office page: no staff session → the staff sign-in page; set-up unfinished
 * (TOTP enrolment, initial password) → the account page; a role without access to `area` → 403: forbidden()
 * answers HTTP 403 with app/merchant/forbidden.tsx (experimental.authInterrupts), not the page with status 200.
 * Returns the staff identity when the page may render. Shopper sessions are never consulted.
 */
export async function staffGate(path: string, area: Area): Promise<StaffIdentity> {
  const staff = await currentStaff();
  if (!staff) redirect(`/merchant/login?next=${encodeURIComponent(path)}`);
  if (!staff.ready) redirect("/merchant/account");
  if (!canAccess(staff.role, area)) forbidden();
  return staff;
}

export async function Forbidden({ role }: { role: StaffIdentity["role"] }) {
  const t = await getT();
  return (
    <div className="flex flex-col items-center justify-center gap-4 py-24 text-center" data-testid="forbidden">
      <div className="text-5xl font-bold text-rose-600">403</div>
      <h1 className="text-lg font-semibold">{t("m.forbidden.title")}</h1>
      <p className="text-sm text-neutral-500">{t("m.forbidden.body", { role: t(`m.role.${role}`) })}</p>
      <Link href="/merchant" className="rounded-md bg-neutral-900 px-5 py-2 text-sm text-white">
        {t("m.forbidden.home")}
      </Link>
    </div>
  );
}

/** The page title row of a back-office page (the shell draws the sidebar and top bar). */
export function PageHeader({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-xl font-semibold text-neutral-900">{title}</h1>
      {children ? <div className="flex items-center gap-2">{children}</div> : null}
    </div>
  );
}
