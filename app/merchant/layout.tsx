import Link from "next/link";
import { I18nProvider } from "@/lib/i18n/client";
import { TRPCReactProvider } from "@/trpc/react";
import { getLocale, getMessages, getT } from "@/lib/i18n/server";
import { LanguageSwitch } from "@/lib/i18n/LanguageSwitch";
import { currentStaff } from "./_components/staff";
import type { StaffIdentity } from "@/server/staff/sessions";
import { Sidebar } from "./_components/Sidebar";
import { signOutAction } from "./login/actions";

/**
 * The desktop back-office shell (sidebar + top bar) for a signed-in member of staff whose set-up is
 * done; the sign-in and set-up pages render bare. Access itself is checked by each page (staffGate)
 * and each procedure (staffProcedure), never by this layout.
 */
export default async function MerchantLayout({ children }: { children: React.ReactNode }) {
  const [staff, locale, messages] = await Promise.all([currentStaff(), getLocale(), getMessages("all")]);
  // The root layout hands client components the home page's messages only; the back office's are added here.
  return (
    <I18nProvider locale={locale} messages={messages}>
      <TRPCReactProvider>
        {staff?.ready ? <MerchantShell role={staff.role} displayName={staff.displayName}>{children}</MerchantShell> : <div data-merchant-shell className="min-h-dvh bg-neutral-100">{children}</div>}
      </TRPCReactProvider>
    </I18nProvider>
  );
}

async function MerchantShell({ role, displayName, children }: { role: StaffIdentity["role"]; displayName: string; children: React.ReactNode }) {
  const t = await getT();
  return (
    <div data-merchant-shell className="flex min-h-dvh bg-neutral-100 text-neutral-900">
      <Sidebar role={role} />
      <div className="flex min-w-0 flex-1 flex-col">
        {/* On a phone the bar keeps one line: 返回商城 moves into the menu and the role gives way to the name. */}
        <header className="flex h-14 items-center justify-end gap-2 whitespace-nowrap border-b border-neutral-200 bg-white px-4 pl-14 text-sm sm:gap-4 lg:pl-6">
          <Link href="/" className="hidden text-neutral-500 hover:text-neutral-900 sm:inline">
            {t("m.backToShop")}
          </Link>
          <LanguageSwitch className="shrink-0" />
          <Link href="/merchant/account" className="min-w-0 truncate text-neutral-700" data-testid="staff-identity">
            {displayName}
            {/* A staff account named after its role (店主) would read "店主 · 店主". */}
            {displayName !== t(`m.role.${role}`) && <span className="hidden sm:inline"> · {t(`m.role.${role}`)}</span>}
          </Link>
          <form action={signOutAction} className="shrink-0">
            <button type="submit" className="rounded-md border border-neutral-300 px-3 py-1 text-neutral-700 hover:bg-neutral-50">
              {t("m.signOut")}
            </button>
          </form>
        </header>
        <main className="min-w-0 flex-1 p-4 lg:p-6">{children}</main>
      </div>
    </div>
  );
}
