import Link from "next/link";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { rowIdParam } from "@/server/validation";
import { api } from "@/trpc/server";
import { siteOrigin } from "@/app/_lib/site";
import { requestTimeZone } from "@/app/_lib/time-zone";
import { getT } from "@/lib/i18n/server";
import { formatDate } from "@/lib/format-date";
import { CopyButton } from "../CopyButton";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("promote.invitees.title") };
}

type Props = { searchParams: Promise<{ cursor?: string | string[] }> };

/** Colour of a first-order status: not yet ordered is the one to act on (remind the friend). */
const FIRST_TONE = { NONE: "bg-amber-100 text-amber-800", ORDERED: "bg-sky-100 text-sky-700", COMPLETED: "bg-emerald-100 text-emerald-700", REFUNDED: "bg-neutral-100 text-neutral-600" } as const;

/**
 * 我邀请的好友: the shopper's direct invitees, newest first, a page at a time. 加载更多 is a link to the next page
 * (?cursor=, rendered here like the first), as the category pages do, so it works without JS.
 */
export default async function InviteesPage({ searchParams }: Props) {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fpromote%2Finvitees");
  const raw = (await searchParams).cursor;
  // A cursor that is no row id (edited by hand) shows the first page rather than an error.
  const cursor = typeof raw === "string" ? (rowIdParam(raw) ?? undefined) : undefined;
  const [data, t, timeZone] = await Promise.all([api.promotion.invitees(cursor === undefined ? undefined : { cursor }), getT(), requestTimeZone()]);
  const empty = data.items.length === 0 && cursor === undefined;
  const link = empty ? `${await siteOrigin()}/r/${(await api.promotion.overview()).referralCode}` : null;

  return (
    <AppShell title={t("promote.invitees.title")} back="/promote" tabs={false}>
      <section className="m-3 rounded-2xl bg-white p-4 text-sm">
        {data.totals ? (
          <p className="text-base font-semibold" data-testid="invitees-totals">
            {t("promote.invitees.totals", { invited: data.totals.invited, ordered: data.totals.ordered })}
          </p>
        ) : (
          <Link prefetch={false} href="/promote/invitees" className="text-xs text-neutral-500" data-testid="invitees-first-page">
            {t("category.firstPage")}
          </Link>
        )}
        <p className="mt-1 text-xs text-neutral-500">{t("promote.invitees.note")}</p>
      </section>

      {empty ? (
        <section className="mx-3 flex flex-col items-center gap-2 rounded-2xl bg-white px-4 py-10 text-center text-sm" data-testid="invitees-empty">
          <p className="font-medium text-neutral-700">{t("promote.invitees.emptyTitle")}</p>
          <p className="text-xs text-neutral-500">{t("promote.invitees.emptyHint")}</p>
          <div className="mt-2 flex gap-3">
            <CopyButton text={link!} label={t("promote.invitees.emptyShare")} className="relative rounded-full bg-rose-600 px-4 py-2 text-xs font-medium text-white after:absolute after:inset-x-0 after:-inset-y-1" />
            <Link prefetch={false} href="/promote?tab=poster" className="relative rounded-full border border-rose-500 px-4 py-2 text-xs text-rose-600 after:absolute after:inset-x-0 after:-inset-y-1">
              {t("promote.invitees.emptyPoster")}
            </Link>
          </div>
        </section>
      ) : (
        <ul className="mx-3 divide-y divide-neutral-100 rounded-2xl bg-white px-4 text-sm" data-testid="invitees">
          {data.items.map((inv) => (
            <li key={inv.id} className="flex items-center justify-between gap-3 py-3" data-testid="invitee-row" data-first={inv.firstOrder ?? undefined} data-account={inv.account}>
              <div className="min-w-0">
                <div className="truncate font-medium" data-testid="invitee-name">
                  {inv.name}
                </div>
                <div className="text-xs text-neutral-400 tabular-nums">{t("promote.invitees.joined", { date: formatDate(inv.joinedAt, { timeZone }) })}</div>
              </div>
              <div className="flex shrink-0 flex-col items-end gap-1 text-[11px]">
                {inv.account !== "ACTIVE" ? (
                  <span className="rounded-full bg-neutral-100 px-2 py-0.5 text-neutral-600" data-testid="invitee-account">
                    {t(`promote.invitees.account.${inv.account}`)}
                  </span>
                ) : null}
                {inv.firstOrder ? (
                  <span className={`rounded-full px-2 py-0.5 ${FIRST_TONE[inv.firstOrder]}`} data-testid="invitee-status">
                    {t(`promote.invitees.first.${inv.firstOrder}`)}
                  </span>
                ) : null}
                {inv.countsForTask ? (
                  <span className="text-rose-600" data-testid="invitee-counted">
                    {t("promote.invitees.counted")}
                  </span>
                ) : inv.notCountedWhy ? (
                  <span className="max-w-40 text-right text-neutral-500" data-testid="invitee-not-counted">
                    {t(`promote.invitees.notCounted.${inv.notCountedWhy}`)}
                  </span>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}

      {data.nextCursor ? (
        <Link
          prefetch={false}
          rel="next"
          href={`/promote/invitees?cursor=${data.nextCursor}`}
          className="mx-3 mt-3 block rounded-full bg-white py-2.5 text-center text-sm text-neutral-700 shadow-sm active:opacity-80"
          data-testid="invitees-load-more"
        >
          {t("category.loadMore")}
        </Link>
      ) : cursor !== undefined ? (
        <p className="py-4 text-center text-xs text-neutral-400">{t("category.end")}</p>
      ) : null}
    </AppShell>
  );
}
