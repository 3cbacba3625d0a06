import Link from "next/link";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { formatFenGrouped } from "@/components/money";
import { getServerAuthSession } from "@/server/auth";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { requestShopContact } from "@/app/_lib/shop";
import { bindingRefusalText, tierLabel } from "@/lib/i18n/labels";
import { Avatar } from "@/components/Avatar";
import { LanguageSwitch } from "@/lib/i18n/LanguageSwitch";
import { SignOutButton, SignOutEverywhereButton } from "./SignOutButton";
import { ContactCard } from "./ContactCard";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("me.title") };
}

const ORDER_TABS = [
  { status: "PENDING_PAYMENT", tab: "unpaid" },
  { status: "PAID", tab: "unshipped" },
  { status: "SHIPPED", tab: "shipped" },
  { status: "DELIVERED", tab: "done" },
  { status: "COMPLETED", tab: "done" },
] as const;

export default async function MePage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fme");
  // From the 店铺资料 the root metadata read for this request.
  const [me, t, contact] = await Promise.all([api.member.me(), getT(), requestShopContact()]);
  // Links do not prefetch in view, as the shop's: 我的 fetched the payload of each page it links to on load (25 requests).
  return (
    <AppShell heading={t("me.title")}>
      <header className="relative bg-gradient-to-br from-rose-600 to-orange-500 px-4 pb-16 pt-8 text-white">
        <Link prefetch={false} href="/notifications" aria-label={me.unreadNotifications ? t("me.notificationsAriaUnread", { n: me.unreadNotifications }) : t("me.notificationsAria")} className="absolute right-3 top-3 p-2" data-testid="bell">
          <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
            <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
          {me.unreadNotifications ? (
            <span className="absolute right-0 top-0 min-w-4 rounded-full bg-white px-1 text-center text-[10px] font-bold leading-4 text-rose-600" data-testid="bell-badge">
              {me.unreadNotifications > 99 ? "99+" : me.unreadNotifications}
            </span>
          ) : null}
        </Link>
        {/* Clear of the bell (right-3 + its 40 px) and the pill's wider tap area: a 12-character name (the most) puts 编辑资料 on the next line, and is a size smaller under 400 px to stay on one. */}
        <div className="flex items-center gap-3 pr-12">
          <Avatar avatar={me.avatar} size={56} className="ring-2 ring-white/80" />
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <span className="min-w-0 break-words text-base font-semibold min-[400px]:text-lg" data-testid="me-nickname">
                {me.displayName}
              </span>
              <Link prefetch={false} href="/me/profile" className="relative whitespace-nowrap rounded-full border border-white/70 px-2 py-0.5 text-xs after:absolute after:-inset-x-1 after:-inset-y-3" data-testid="edit-profile">
                {t("me.editProfile")}
              </Link>
            </div>
            <div className="mt-0.5 flex items-center gap-2 text-xs text-white/85">
              <span>{me.phoneMasked}</span>
              <Link prefetch={false} href="/promote?tab=team#tier" className="relative rounded-full bg-white/25 px-2 py-0.5 after:absolute after:-inset-x-1 after:-inset-y-3" data-testid="me-tier">
                {tierLabel(t, me.tier, me.tierLabel)} ›
              </Link>
            </div>
          </div>
        </div>
      </header>
      <section className="relative -mt-10 mx-3 grid grid-cols-3 rounded-2xl bg-white py-4 text-center shadow-sm">
        <div>
          <div className="text-lg font-semibold tabular-nums">{formatFenGrouped(me.wallet.available)}</div>
          <div className="text-xs text-neutral-500">{t("me.available")}</div>
        </div>
        <div>
          <div className="text-lg font-semibold tabular-nums">{formatFenGrouped(me.wallet.pending)}</div>
          <div className="text-xs text-neutral-500">{t("me.pending")}</div>
        </div>
        <div>
          <div className="text-lg font-semibold tabular-nums">{formatFenGrouped(me.wallet.credit)}</div>
          <div className="text-xs text-neutral-500">{t("me.credit")}</div>
        </div>
      </section>
      <section className="mx-3 mt-3 rounded-2xl bg-white p-4">
        <Link prefetch={false} href="/orders" className="-my-3 flex items-center justify-between py-3">
          <h2 className="text-sm font-semibold">{t("me.orders")}</h2>
          <span className="text-xs text-neutral-400">{t("me.allOrders")}</span>
        </Link>
        <div className="mt-3 grid grid-cols-5 text-center text-xs text-neutral-600">
          {ORDER_TABS.map((o) => (
            <Link prefetch={false} key={o.status} href={`/orders?tab=${o.tab}`} className="flex flex-col items-center gap-1">
              <span className="text-base font-semibold tabular-nums text-neutral-900">{me.orderCounts[o.status] ?? 0}</span>
              {t(`me.orderTab.${o.status}`)}
            </Link>
          ))}
        </div>
      </section>
      <section className="mx-3 mt-3 divide-y divide-neutral-100 rounded-2xl bg-white text-sm">
        <Link prefetch={false} href="/wallet" className="flex justify-between p-4">
          <span>{t("me.wallet")}</span>
          <span className="text-neutral-400">{t("me.walletAvailable", { amount: formatFenGrouped(me.wallet.available) })}</span>
        </Link>
        <Link prefetch={false} href="/me/addresses" className="flex justify-between p-4" data-testid="me-addresses">
          <span>{t("me.addresses")}</span>
          <span className="text-neutral-400">›</span>
        </Link>
        <Link prefetch={false} href="/promote" className="flex justify-between p-4">
          <span>{t("me.promote")}</span>
          <span className="text-neutral-400">{t("me.promoteStats", { directs: me.directs, team: me.teamSize })}</span>
        </Link>
        <div className="flex justify-between p-4">
          <span>{t("me.myCode")}</span>
          <span className="font-mono tracking-widest text-rose-600">{me.referralCode}</span>
        </div>
        <div className="p-4">
          <div className="flex items-center justify-between">
            <span>{t("me.sponsor")}</span>
            <span className="flex items-center gap-2 text-neutral-500">
              {me.sponsor ? <Avatar avatar={me.sponsor.avatar} size={24} /> : null}
              <span data-testid="sponsor">{me.sponsor?.name ?? t("common.none")}</span>
            </span>
          </div>
          {!me.sponsor && me.bindingRefusal ? (
            <p className="mt-2 rounded-lg bg-amber-50 p-2 text-xs leading-5 text-amber-800" data-testid="binding-refusal">
              {bindingRefusalText(t, me.bindingRefusal)}
            </p>
          ) : null}
        </div>
        <Link prefetch={false} href="/notifications" className="flex justify-between p-4" data-testid="me-notifications">
          <span>{t("me.notifications")}</span>
          <span className="text-neutral-400">{me.unreadNotifications ? t("me.unread", { n: me.unreadNotifications }) : t("me.noNew")} ›</span>
        </Link>
        <div className="flex items-center justify-between p-4">
          <span>{t("me.language")}</span>
          <LanguageSwitch />
        </div>
      </section>
      {contact ? <ContactCard contact={contact} t={t} /> : null}
      <div className="mx-3 mt-4 space-y-2">
        <SignOutButton />
        <SignOutEverywhereButton />
      </div>
      <nav aria-label={t("legal.me.nav")} className="mt-4 flex justify-center gap-4 text-xs text-neutral-600">
        <Link prefetch={false} href="/legal/terms" className="py-2 underline-offset-2 hover:underline">
          {t("legal.terms.link")}
        </Link>
        <Link prefetch={false} href="/legal/privacy" className="py-2 underline-offset-2 hover:underline">
          {t("legal.privacy.link")}
        </Link>
        <Link prefetch={false} href="/me/delete" className="py-2 underline-offset-2 hover:underline" data-testid="delete-account">
          {t("account.delete.link")}
        </Link>
      </nav>
    </AppShell>
  );
}
