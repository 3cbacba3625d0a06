import Link from "next/link";
import type { ReactNode } from "react";
import QRCode from "qrcode";
import { ScrollingTabs } from "@/components/ScrollingTabs";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { formatFenGrouped } from "@/components/money";
import { getServerAuthSession } from "@/server/auth";
import { api } from "@/trpc/server";
import { siteOrigin } from "@/app/_lib/site";
import { getShopName, requestShopContact, shopVersion } from "@/app/_lib/shop";
import { requestTimeZone } from "@/app/_lib/time-zone";
import { promotionShareData } from "@/app/_lib/wechat-share";
import { WechatShare } from "@/components/WechatShare";
import { CopyButton } from "./CopyButton";
import { PosterImage } from "./PosterImage";
import { getT } from "@/lib/i18n/server";
import type { Translator } from "@/lib/i18n/core";
import { formatDateTime } from "@/lib/format-date";
import { commissionReason, depthLabel, promoteOfferText, taskReason, tierLabel } from "@/lib/i18n/labels";
import { Countdown } from "./Countdown";
import { DistributionSection, distributorCardState } from "./DistributionSection";
import { StoppedNotice } from "./StoppedNotice";
import { commissionRowAmount, commissionRowLines } from "./commission-row";
import { commissionRatesText } from "./commission-rates";
import { taskInviteeLine } from "./task-invitee";
import { deepLockedMissingText, matrixDescription, matrixTitle, tierBenefitTexts, tierMetricsText, tierNextText } from "./tier-text";
import { REBATE_TASKS_SHOWN } from "@/server/promotion";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("promote.title") };
}

type Tasks = Awaited<ReturnType<typeof api.promotion.tasks>>;
type Overview = Awaited<ReturnType<typeof api.promotion.overview>>;
type Distribution = Awaited<ReturnType<typeof api.promotion.distribution>>;

/** Colour of a status badge; the wording is the status code's message (same words as the engine's label in zh-CN). */
function tone(status: string) {
  switch (status) {
    case "OPEN":
    case "PENDING":
      return "bg-sky-100 text-sky-700";
    case "MET":
    case "CONFIRMED":
      return "bg-amber-100 text-amber-700";
    case "PAID":
    case "SETTLED":
      return "bg-emerald-100 text-emerald-700";
    case "ON_HOLD":
      return "bg-violet-100 text-violet-700";
    default:
      return "bg-neutral-100 text-neutral-500";
  }
}

const TABS = ["tasks", "team", "commissions", "poster"] as const;
type Tab = (typeof TABS)[number];

/** The member's share link with its QR code and WeChat share card; null when they have none to hand out (frozen). */
async function shareBlock(overview: Overview, t: Translator, memberId: number) {
  if (!overview.shareRebate) return null;
  // The public site's origin (SITE_URL in production), never the request's Host.
  const origin = await siteOrigin();
  const link = `${origin}/r/${overview.referralCode}`;
  const data = promotionShareData(t, await getShopName(), { id: memberId, referralCode: overview.referralCode, nickname: overview.displayName }, overview.shareRebate, origin, await shopVersion());
  const qr = await QRCode.toString(link, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#111827", light: "#ffffff" } });
  return { link, data, qr };
}

type Props = { searchParams: Promise<{ tab?: string }> };

/** The promotion centre as tabs (返现任务 / 我的团队 / 佣金明细 / 海报); each tab loads only its own data. */
export default async function PromotePage({ searchParams }: Props) {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fpromote");
  const [overview, distribution, t, timeZone] = await Promise.all([api.promotion.overview(), api.promotion.distribution(), getT(), requestTimeZone()]);
  // The shop stopped the member's distributor status (SPEC §4): told first, as the 分销员 card words the same state.
  const stopped = distributorCardState(distribution.distributor) === "suspended";
  const [share, contact] = await Promise.all([shareBlock(overview, t, session.user.id), stopped ? requestShopContact() : null]);
  // No poster without a link to put on it.
  const tabs = TABS.filter((k) => k !== "poster" || share);
  const asked = (await searchParams).tab;
  const tab: Tab = tabs.find((x) => x === asked) ?? "tasks";
  // Instants as everywhere else ("2026-12-06 21:54"), in the shop's zone.
  const fmtDate = (d: Date) => formatDateTime(d, { timeZone });
  const offer = overview.rebate ? promoteOfferText(t, overview.rebate) : null;

  return (
    <AppShell title={t("promote.title")}>
      {share ? <WechatShare data={share.data} /> : null}
      {stopped ? <StoppedNotice t={t} contact={contact !== null} /> : null}
      <section className="m-3 rounded-2xl bg-gradient-to-br from-rose-600 to-orange-500 p-4 text-white">
        <div className="flex items-center justify-between text-sm text-white/85">
          <span>{t(share ? "promote.myCode" : "promote.frozen.title")}</span>
          <Link href="/promote?tab=team#tier" prefetch={false} className="relative rounded-full bg-white/20 px-2 py-0.5 text-xs after:absolute after:-inset-x-1 after:-inset-y-3" data-testid="tier-badge">
            {tierLabel(t, overview.tier, overview.tierLabel)} ›
          </Link>
        </div>
        {share ? (
          <>
            <div className="mt-1 font-mono text-3xl font-bold tracking-[0.3em]" data-testid="my-code">
              {overview.referralCode}
            </div>
            <div className="mt-3 flex items-center gap-3">
              <div className="h-24 w-24 shrink-0 overflow-hidden rounded-lg bg-white p-1" data-testid="my-qr" aria-label={t("promote.qrAria")} role="img" dangerouslySetInnerHTML={{ __html: share.qr }} />
              <div className="min-w-0 flex-1">
                <div className="break-all text-xs text-white/90" data-testid="share-link">
                  {share.link}
                </div>
                <div className="flex flex-wrap gap-2">
                  <CopyButton text={share.link} />
                  <Link href="/promote?tab=poster" prefetch={false} className="relative mt-2 rounded-full border border-white/70 px-3 py-1 text-xs font-medium text-white after:absolute after:inset-x-0 after:-inset-y-2">
                    {t("promote.sharePoster")}
                  </Link>
                  <HeaderLink href="/promote/invitees" testId="invitees-link">
                    {t("promote.invitees.link")}
                  </HeaderLink>
                </div>
              </div>
            </div>
          </>
        ) : (
          // Frozen: no link to hand out (it would bind nobody) and nothing new to earn; what was earned stays below and in the wallet.
          <div data-testid="promote-frozen">
            <p className="mt-2 text-sm font-medium">{t("wallet.frozen")}</p>
            <p className="mt-1 text-xs text-white/90">{t("promote.frozen.note")}</p>
            <div className="flex flex-wrap gap-2">
              <HeaderLink href="/wallet" testId="frozen-wallet-link">
                {t("wallet.title")}
              </HeaderLink>
              <HeaderLink href="/promote/invitees" testId="invitees-link">
                {t("promote.invitees.link")}
              </HeaderLink>
            </div>
          </div>
        )}
        {offer ? <p className="mt-3 text-xs text-white/90">{t("promote.offerLine", { offer })}</p> : null}
      </section>

      <ScrollingTabs
        className="sticky top-11 z-[5] mx-3 flex gap-1 overflow-x-auto whitespace-nowrap rounded-full bg-white p-1 text-sm shadow-sm [scrollbar-width:none] [&::-webkit-scrollbar]:hidden"
        aria-label={t("promote.title")}
        data-testid="promote-tabs"
      >
        {tabs.map((k) => (
          <Link
            key={k}
            href={`/promote?tab=${k}`}
            prefetch={false}
            aria-current={k === tab ? "page" : undefined}
            // 13 px and narrow padding below 400 px: the four English tabs ("Commissions" the widest) fit a 360 px phone whole.
            className={`relative shrink-0 grow rounded-full px-1.5 py-2.5 text-center text-[13px] after:absolute after:inset-x-0 after:-inset-y-1 min-[400px]:px-2 min-[400px]:text-sm ${k === tab ? "bg-rose-600 font-medium text-white" : "text-neutral-600"}`}
          >
            {t(`promote.tab.${k}`)}
          </Link>
        ))}
      </ScrollingTabs>

      {tab === "tasks" ? <TaskSection overview={overview} tasks={await api.promotion.tasks()} offer={offer} t={t} fmtDate={fmtDate} /> : null}
      {tab === "team" ? <TeamTab overview={overview} team={await api.promotion.team()} t={t} /> : null}
      {tab === "commissions" ? <CommissionsTab overview={overview} distribution={distribution} stopped={stopped} t={t} fmtDate={fmtDate} /> : null}
      {tab === "poster" ? <PosterTab t={t} /> : null}
    </AppShell>
  );
}
/** A pill-shaped link on the header card. */
function HeaderLink({ href, testId, children }: { href: string; testId: string; children: ReactNode }) {
  return (
    <Link href={href} prefetch={false} className="relative mt-2 rounded-full border border-white/70 px-3 py-1 text-xs font-medium text-white after:absolute after:inset-x-0 after:-inset-y-2" data-testid={testId}>
      {children}
    </Link>
  );
}

function rate(part: number, whole: number) {
  if (!whole) return undefined;
  return `${Math.floor((part * 100) / whole)}%`;
}

function Stat({ value, label, sub, testId }: { value: number; label: string; sub?: string; testId?: string }) {
  return (
    <div>
      <div className="text-lg font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      <div className="text-xs text-neutral-500">
        {label}
        {sub ? <span className="ml-1 text-rose-600">{sub}</span> : null}
      </div>
    </div>
  );
}

const ENDED_WITHOUT_CASHBACK = new Set(["VOID", "EXPIRED"]);

function TaskSection({ overview, tasks, offer, t, fmtDate }: { overview: Overview; tasks: Tasks; offer: string | null; t: Translator; fmtDate: (d: Date) => string }) {
  return (
    <section id="tasks" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm">
      <div className="flex items-center gap-2">
        <span className="shrink-0 whitespace-nowrap rounded-md bg-rose-600 px-1.5 py-0.5 text-xs font-bold text-white">{t("rebate.badge")}</span>
        <h2 className="font-semibold">{t("promote.tasks.title")}</h2>
      </div>
      {offer ? <p className="mt-1 text-xs text-neutral-500">{t("promote.tasks.note", { offer })}</p> : <p className="mt-1 text-xs text-neutral-500" data-testid="tasks-frozen">{t("promote.tasks.frozen")}</p>}
      {overview.rebate && !overview.rebate.enabled ? <p className="mt-2 text-xs text-amber-600">{t("promote.tasks.disabled")}</p> : null}
      {tasks.length === 0 ? (
        <p className="py-6 text-center text-xs text-neutral-400">
          {t("promote.tasks.emptyBefore")}
          <Link href="/" prefetch={false} className="text-rose-600 underline underline-offset-2">
            {t("promote.tasks.emptyLink")}
          </Link>
          {t("promote.tasks.emptyAfter")}
        </p>
      ) : (
        <ul className="mt-3 space-y-3">
          {tasks.map((task) => {
            const reason = taskReason(t, task);
            // Ended without cashback (作废, 已过期): nobody more is needed and no step is ahead (its reason says why); an expired one keeps its deadline.
            const ended = ENDED_WITHOUT_CASHBACK.has(task.status);
            return (
            <li key={task.id} className="rounded-xl border border-neutral-100 p-3" data-testid="rebate-task" data-status={task.status}>
              <div className="flex items-center justify-between">
                <div>
                  <div className="font-medium">
                    {t("promote.tasks.cashback")} <span className="text-rose-600">¥{formatFenGrouped(task.cashbackFen)}</span>
                  </div>
                  <div className="text-xs text-neutral-400">{t("promote.tasks.order", { orderNo: task.anchorOrderNo })}</div>
                </div>
                <span className={`rounded-full px-2 py-0.5 text-xs ${tone(task.status)}`} data-testid="task-label">
                  {t(`task.status.${task.status}`)}
                </span>
              </div>

              <div className="mt-3 flex items-center gap-2">
                <div className="flex flex-1 gap-1">
                  {Array.from({ length: task.n }, (_, i) => (
                    <span key={i} className={`h-2 flex-1 rounded-full ${i < task.invited ? "bg-rose-500" : "bg-neutral-200"}`} />
                  ))}
                </div>
                <span className="shrink-0 text-xs tabular-nums" data-testid="task-progress">
                  {task.invited}/{task.n}
                </span>
              </div>
              <div className="mt-1 flex justify-between text-xs text-neutral-500">
                {ended ? <span /> : <span data-testid="task-missing">{task.missing > 0 ? t("promote.tasks.missing", { n: task.missing }) : t("promote.tasks.full")}</span>}
                {task.status === "OPEN" ? (
                  <Countdown msLeft={task.msLeft} />
                ) : task.status === "VOID" ? null : (
                  <span data-testid="task-deadline">{t("promote.tasks.deadline", { date: fmtDate(task.deadline) })}</span>
                )}
              </div>

              {/* Top-aligned, the connector at the dots' height: a label that wraps grows downwards and moves no dot. */}
              {ended ? null : (
                <ol className="mt-3 flex items-start text-[11px]" aria-label={t("promote.tasks.progressAria")}>
                  {overview.pipeline.map((p, i) => {
                    const reached = task.step >= i;
                    return (
                      <li key={p.status} className="flex flex-1 items-start" data-testid="task-step" aria-current={task.step === i ? "step" : undefined}>
                        <span className={`flex flex-col items-center text-center leading-tight ${reached ? "text-rose-600" : "text-neutral-400"}`}>
                          <span className={`mb-0.5 h-2.5 w-2.5 shrink-0 rounded-full ${reached ? "bg-rose-500" : "bg-neutral-200"}`} data-testid="task-step-dot" />
                          {t(`task.status.${p.status}`)}
                          {/* Reached or not is told in words too, not only by colour. */}
                          <span className="sr-only">{t(reached ? "promote.tasks.stepDone" : "promote.tasks.stepTodo")}</span>
                        </span>
                        {i < overview.pipeline.length - 1 ? <span className={`mx-1 mt-[4.5px] h-px min-w-2 flex-1 ${task.step > i ? "bg-rose-400" : "bg-neutral-200"}`} /> : null}
                      </li>
                    );
                  })}
                </ol>
              )}

              {reason ? (
                <p className="mt-2 rounded-lg bg-neutral-50 px-2 py-1.5 text-xs text-neutral-600" data-testid="task-reason">
                  {t("promote.tasks.reasonLine", { label: t(`task.status.${task.status}`), reason })}
                </p>
              ) : null}

              {task.invitees.length ? (
                <ul className="mt-2 flex flex-wrap gap-2 text-xs" data-testid="task-invitees">
                  {task.invitees.map((inv, i) => {
                    const line = taskInviteeLine(t, inv);
                    return (
                      <li key={i} className={`rounded-full px-2 py-1 ${line.removed ? "bg-neutral-100 text-neutral-600" : "bg-rose-50 text-rose-700"}`} data-removed={line.removed ? "1" : undefined}>
                        {line.text}
                      </li>
                    );
                  })}
                </ul>
              ) : null}
              {task.status === "PAID" && task.paidAt ? <p className="mt-2 text-xs text-emerald-600">{t("promote.tasks.paid", { date: fmtDate(task.paidAt), amount: formatFenGrouped(task.amountFen) })}</p> : null}
            </li>
            );
          })}
        </ul>
      )}
      {/* The list stops at the newest REBATE_TASKS_SHOWN: say so rather than let older tasks seem gone. */}
      {tasks.length >= REBATE_TASKS_SHOWN ? <p className="mt-3 text-center text-xs text-neutral-500" data-testid="tasks-latest-only">{t("promote.tasks.latestOnly", { n: REBATE_TASKS_SHOWN })}</p> : null}
    </section>
  );
}

type Team = Awaited<ReturnType<typeof api.promotion.team>>;

/** 会员等级: the tier, its benefits, the counters it is decided on and what the next tier still needs (SPEC §7). */
function TierCard({ tier, t }: { tier: Team["tierProgress"]; t: Translator }) {
  return (
    <section id="tier" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm" data-testid="tier-card">
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">{t("promote.tier.title")}</h2>
        <span className="rounded-full bg-rose-50 px-2 py-0.5 text-xs font-medium text-rose-700" data-testid="tier-current">
          {tierLabel(t, tier.current.name, tier.current.label)}
        </span>
      </div>
      <div className="mt-2 text-xs text-neutral-500">{t("promote.tier.benefits")}</div>
      <ul className="mt-1 flex flex-wrap gap-2 text-xs" data-testid="tier-benefits">
        {tierBenefitTexts(t, tier.current.benefits).map((b) => (
          <li key={b} className="rounded-full bg-neutral-100 px-2 py-1 text-neutral-700">
            {b}
          </li>
        ))}
      </ul>
      <p className="mt-3 text-xs text-neutral-600 tabular-nums" data-testid="tier-metrics">
        {tierMetricsText(t, tier)}
      </p>
      {!tier.holds ? (
        <p className="mt-2 text-xs text-amber-700" data-testid="tier-not-holding">
          {t("promote.tier.notHolding", { label: tierLabel(t, tier.current.name, tier.current.label) })}
        </p>
      ) : null}
      <div className="mt-2 rounded-lg bg-rose-50 px-3 py-2 text-xs text-rose-800">
        <p className="font-medium" data-testid="tier-next">
          {tierNextText(t, tier)}
        </p>
        {tier.next ? (
          <p className="mt-1 text-rose-700" data-testid="tier-next-benefits">
            {t("promote.tier.nextBenefits", { label: tierLabel(t, tier.next.name, tier.next.label), benefits: tierBenefitTexts(t, tier.next.benefits).join(t("promote.tier.needJoin")) })}
          </p>
        ) : null}
      </div>
      <p className="mt-2 text-[11px] text-neutral-400">{t("promote.tier.note")}</p>
    </section>
  );
}

function TeamTab({ overview, team, t }: { overview: Overview; team: Team; t: Translator }) {
  const direct = team.byDepth.find((d) => d.depth === 1)?.count ?? 0;
  const indirect = team.byDepth.filter((d) => d.depth > 1).reduce((s, d) => s + d.count, 0);
  return (
    <>
      <TierCard tier={team.tierProgress} t={t} />
      <section id="team" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm" data-testid="team">
        <h2 className="font-semibold">{t("promote.team.title")}</h2>
        <div className="mt-3 grid grid-cols-4 text-center">
          <Stat value={direct} label={t("promote.team.direct")} testId="team-direct" />
          <Stat value={indirect} label={t("promote.team.indirect")} testId="team-indirect" />
          <Stat value={team.teamSize} label={t("promote.team.size")} />
          <Stat value={team.qualifiedDirects} label={t("promote.team.qualified")} />
        </div>
        {team.byDepth.length ? (
          <div className="mt-3 flex flex-wrap gap-2 text-xs text-neutral-600">
            {team.byDepth.map((d) => (
              <span key={d.depth} className="rounded-full bg-neutral-100 px-2 py-1">
                {t("promote.team.depthCount", { label: depthLabel(t, d.depth), count: d.count })}
              </span>
            ))}
          </div>
        ) : (
          <p className="mt-3 text-xs text-neutral-400">{t("promote.team.empty")}</p>
        )}

        <h3 className="mt-5 font-medium">{t("promote.funnel.title")}</h3>
        <div className="mt-2 grid grid-cols-3 items-center text-center" data-testid="funnel">
          <Stat value={overview.funnel.visits} label={t("promote.funnel.visits")} />
          <Stat value={overview.funnel.signups} label={t("promote.funnel.signups")} sub={rate(overview.funnel.signups, overview.funnel.visits)} />
          <Stat value={overview.funnel.firstOrders} label={t("promote.funnel.firstOrders")} sub={rate(overview.funnel.firstOrders, overview.funnel.signups)} />
        </div>

        {/* The 10-level table is long: folded until asked for. */}
        <details className="mt-5 rounded-xl border border-neutral-100" data-testid="matrix-details">
          <summary className="flex cursor-pointer list-none items-center justify-between px-3 py-2.5">
            <span className="font-medium">{matrixTitle(t, team.matrixInfo.width)}</span>
            <span className="text-xs text-rose-600">{t("promote.matrix.show")} ›</span>
          </summary>
          <div className="px-3 pb-3">
            <p className="mt-1 text-xs text-neutral-500" data-testid="matrix-description">
              {matrixDescription(t, team.matrixInfo)}
            </p>
            <table className="mt-2 w-full text-center text-xs tabular-nums" data-testid="matrix">
              <thead className="text-neutral-500">
                <tr>
                  <th className="py-1 font-normal">{t("promote.matrix.level")}</th>
                  <th className="font-normal">{t("promote.matrix.filled")}</th>
                  <th className="font-normal">{t("promote.matrix.capacity")}</th>
                  <th className="font-normal">{t("promote.matrix.vacancies")}</th>
                  <th className="w-1/3 font-normal">{t("promote.matrix.progress")}</th>
                </tr>
              </thead>
              <tbody>
                {team.matrix.map((m) => (
                  <tr key={m.level} className="border-t border-neutral-100">
                    <td className="py-1.5">{t("promote.matrix.row", { n: m.level })}</td>
                    <td>{m.filled}</td>
                    <td>{m.capacity}</td>
                    <td>{m.vacancies}</td>
                    <td>
                      <div className="h-1.5 rounded-full bg-neutral-100">
                        <div className="h-1.5 rounded-full bg-rose-500" style={{ width: `${m.filled === 0 ? 0 : Math.max(2, Math.floor((m.filled * 100) / m.capacity))}%` }} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {team.matrix.length === 0 ? <p className="mt-2 text-xs text-neutral-400">{t("promote.matrix.empty")}</p> : null}
          </div>
        </details>
      </section>
    </>
  );
}

async function CommissionsTab({ overview, distribution, stopped, t, fmtDate }: { overview: Overview; distribution: Distribution; stopped: boolean; t: Translator; fmtDate: (d: Date) => string }) {
  const [commissions, board] = await Promise.all([api.promotion.commissions(), api.promotion.leaderboard()]);
  // Stopped: the rates are not what friends' orders earn them now, so none are offered.
  const rates = overview.commission.enabled && !stopped;
  return (
    <>
      <DistributionSection data={distribution} board={board} t={t} fmtDate={fmtDate} />
      <section id="commissions" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm" data-testid="commissions">
        <h2 className="font-semibold">{t("promote.commissions.title")}</h2>
        {rates ? (
          <p className="mt-1 text-xs text-neutral-500" data-testid="commission-rates">
            {commissionRatesText(t, overview.commission)}
          </p>
        ) : overview.frozen ? (
          <p className="mt-1 text-xs text-neutral-500" data-testid="commission-rates-frozen">
            {t("promote.commissions.frozen")}
          </p>
        ) : stopped && overview.commission.enabled ? (
          <p className="mt-1 text-xs text-neutral-500" data-testid="commission-rates-stopped">
            {t("promote.commissions.stopped")}
          </p>
        ) : null}
        {rates && deepLockedMissingText(t, overview.commission) ? (
          <p className="mt-1 text-xs text-amber-700" data-testid="deep-locked-missing">
            {deepLockedMissingText(t, overview.commission)}
          </p>
        ) : null}
        {commissions.length === 0 ? (
          <p className="py-6 text-center text-xs text-neutral-400">{t("promote.commissions.empty")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-neutral-100">
            {commissions.map((c) => {
              const lines = commissionRowLines(t, c, fmtDate);
              const amount = commissionRowAmount(c);
              return (
                <li key={c.id} className="flex items-center justify-between py-2.5" data-testid="commission-row">
                  <div className="min-w-0">
                    <div className="truncate">{lines.title}</div>
                    <div className="text-xs text-neutral-400">
                      {lines.sub}
                      {c.reason ? ` · ${commissionReason(t, c.reason)}` : ""}
                    </div>
                  </div>
                  <div className="shrink-0 text-right">
                    <div className={`tabular-nums ${amount.lost ? "text-neutral-500 line-through" : "font-semibold"}`} data-testid="commission-amount">
                      {amount.text}
                    </div>
                    <span className={`rounded-full px-2 py-0.5 text-[11px] ${tone(c.status)}`}>{t(`commission.status.${c.status}`)}</span>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}

async function PosterTab({ t }: { t: Translator }) {
  const products = await api.catalog.products({ limit: 6 }).catch(() => null);
  return (
    <section id="poster" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm">
      <h2 className="font-semibold">{t("promote.poster.title")}</h2>
      <p className="mt-1 text-xs text-neutral-500">{t("promote.poster.description")}</p>
      <div className="mt-3 flex gap-3">
        {/* The poster takes seconds to draw: a placeholder of its size (750×1334) shows until the opaque image covers it. */}
        <div className="relative aspect-[750/1334] w-36 shrink-0 overflow-hidden rounded-lg border border-neutral-100">
          <PosterImage src="/promote/poster" />
        </div>
        <div className="flex min-w-0 flex-col gap-2 text-xs">
          <a
            href="/promote/poster"
            download={t("promote.poster.fileName")}
            className="relative rounded-full bg-rose-600 px-3 py-1.5 text-center text-white after:absolute after:inset-x-0 after:-inset-y-2"
          >
            {t("promote.poster.save")}
          </a>
          {products?.items.length ? <div className="mt-1 text-neutral-500">{t("promote.poster.products")}</div> : null}
          {/* 44 px rows (the 16 px line and its padding), one under the other: each link is a whole tap target. */}
          {products?.items.length ? (
            <div className="-my-2 flex flex-col">
              {products.items.map((p) => (
                <a key={p.id} href={`/promote/poster?product=${p.id}`} target="_blank" rel="noreferrer" className="truncate py-3.5 text-rose-600">
                  {p.name}
                </a>
              ))}
            </div>
          ) : null}
        </div>
      </div>
    </section>
  );
}
