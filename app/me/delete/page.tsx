import Link from "next/link";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { formatFen } from "@/components/money";
import { getServerAuthSession } from "@/server/auth";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import type { DeletionBlocker } from "@/server/members/deletion";
import { DeleteAccountForm } from "./DeleteAccountForm";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("account.delete.title") };
}

/** Where the shopper settles each reason (server/members/deletion.ts): orders, after-sales, the wallet. */
const ACTION: Record<DeletionBlocker, { href: string; label: `account.delete.action.${"unpaid" | "orders" | "withdrawals" | "withdraw"}` } | null> = {
  UNPAID_ORDER: { href: "/orders?tab=unpaid", label: "account.delete.action.unpaid" },
  OPEN_AFTERSALE: { href: "/orders", label: "account.delete.action.orders" },
  OPEN_ORDER: { href: "/orders", label: "account.delete.action.orders" },
  WITHDRAWAL_IN_PROGRESS: { href: "/wallet", label: "account.delete.action.withdrawals" },
  BALANCE_AVAILABLE: { href: "/wallet", label: "account.delete.action.withdraw" },
  ACCOUNT_FROZEN: null,
};

/**
 * 我的 → 注销账号 (PIPL 第四十七条): what is erased, what is kept and why, the reasons it cannot be done yet with a
 * link to settle each, what is forfeited (ticked), then the SMS code to the account's phone and the red button.
 */
export default async function DeleteAccountPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fme%2Fdelete");
  const [view, t] = await Promise.all([api.account.deletion(), getT()]);
  const { commissionFen, cashbackFen, creditFen } = view.forfeit;
  const forfeits = commissionFen + cashbackFen + creditFen > 0;
  return (
    <AppShell title={t("account.delete.title")} back="/me" tabs={false}>
      <p className="mx-3 mt-3 rounded-xl bg-rose-50 p-3 text-sm text-rose-800">{t("account.delete.warning")}</p>
      <section className="m-3 rounded-2xl bg-white p-4 text-sm" aria-labelledby="erased">
        <h2 id="erased" className="font-semibold">{t("account.delete.erasedTitle")}</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-neutral-700">
          {(["phone", "profile", "identity", "addresses", "risk", "wechat", "messages"] as const).map((k) => (
            <li key={k}>{t(`account.delete.erased.${k}`)}</li>
          ))}
        </ul>
      </section>
      <section className="m-3 rounded-2xl bg-white p-4 text-sm" aria-labelledby="kept">
        <h2 id="kept" className="font-semibold">{t("account.delete.keptTitle")}</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 leading-6 text-neutral-700">
          <li>{t("account.delete.kept.orders")}</li>
          <li>{t("account.delete.kept.team")}</li>
          <li>{t("account.delete.kept.link")}</li>
          <li data-testid="deletion-kept-phone">{t("account.delete.kept.phone")}</li>
          <li>{t("account.delete.kept.records")}</li>
        </ul>
        <Link href="/legal/privacy" className="mt-2 inline-block py-1 text-xs text-neutral-600 underline">
          {t("legal.privacy.link")}
        </Link>
      </section>
      {view.blockers.length > 0 ? (
        <section className="m-3 rounded-2xl bg-white p-4 text-sm" aria-labelledby="blocked" data-testid="deletion-blockers">
          <h2 id="blocked" className="font-semibold text-rose-700">{t("account.delete.blockedTitle")}</h2>
          <p className="mt-1 text-neutral-600">{t("account.delete.blockedHint")}</p>
          <ul className="mt-2 space-y-2">
            {view.blockers.map((b) => {
              const action = ACTION[b];
              return (
                <li key={b} className="rounded-lg bg-neutral-50 p-3" data-testid={`blocker-${b}`}>
                  <p className="text-neutral-800">{t(`error.${b}`)}</p>
                  {b === "BALANCE_AVAILABLE" ? <p className="mt-1 text-neutral-600">{t("account.delete.balance", { amount: formatFen(view.availableFen) })}</p> : null}
                  {action ? (
                    <Link href={action.href} className="mt-1 inline-block py-1 text-rose-700 underline">
                      {t(action.label)} ›
                    </Link>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ) : (
        <>
          {forfeits ? (
            <section className="m-3 rounded-2xl bg-white p-4 text-sm" aria-labelledby="forfeit" data-testid="deletion-forfeit">
              <h2 id="forfeit" className="font-semibold">{t("account.delete.forfeitTitle")}</h2>
              <p className="mt-1 text-neutral-600">{t("account.delete.forfeitHint")}</p>
              <ul className="mt-2 list-disc space-y-1 pl-5 text-neutral-800">
                {commissionFen > 0 ? <li>{t("account.delete.forfeit.commission", { amount: formatFen(commissionFen) })}</li> : null}
                {cashbackFen > 0 ? <li>{t("account.delete.forfeit.cashback", { amount: formatFen(cashbackFen) })}</li> : null}
                {creditFen > 0 ? <li>{t("account.delete.forfeit.credit", { amount: formatFen(creditFen) })}</li> : null}
              </ul>
            </section>
          ) : null}
          {view.openTasks > 0 ? <p className="mx-4 text-xs text-neutral-600" data-testid="deletion-tasks">{t("account.delete.tasksClosed")}</p> : null}
          <DeleteAccountForm phoneMasked={view.phoneMasked ?? ""} forfeit={view.forfeit} />
        </>
      )}
    </AppShell>
  );
}
