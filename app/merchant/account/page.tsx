import { redirect } from "next/navigation";
import { getT } from "@/lib/i18n/server";
import { LanguageSwitch } from "@/lib/i18n/LanguageSwitch";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { currentStaff, PageHeader } from "../_components/staff";
import { signOutAction } from "../login/actions";
import { AccountSecurity } from "./AccountSecurity";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.account") };
}

/** Every member of staff's own page; also where set-up is finished (TOTP enrolment, initial password). */
export default async function AccountPage() {
  const staff = await currentStaff();
  if (!staff) redirect("/merchant/login?next=%2Fmerchant%2Faccount");
  const t = await getT();
  await Promise.all([prefetch(trpc.staffAccount.me.queryOptions()), prefetch(trpc.staffAccount.sessions.queryOptions())]);
  const page = (
    <div className={staff.ready ? "" : "mx-auto max-w-2xl px-4 py-8"}>
      <PageHeader title={t("m.account.title")}>
        {staff.ready ? null : (
          <>
            <LanguageSwitch />
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-neutral-300 px-3 py-1 text-sm">
                {t("m.signOut")}
              </button>
            </form>
          </>
        )}
      </PageHeader>
      <HydrateClient>
        <AccountSecurity setup={!staff.ready} />
      </HydrateClient>
    </div>
  );
  return page;
}
