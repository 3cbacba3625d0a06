// 分销资格, 阶梯奖励 and the monthly leaderboard on the promotion centre (SPEC §4, §7). Every figure
// comes from the engine's own progress functions (server/distribution, server/bonus/step).
import { formatBps, formatFenGrouped } from "@/components/money";
import type { Translator } from "@/lib/i18n/core";
import type { api } from "@/trpc/server";
import { distributorCardState, type DistributorStanding } from "@/server/promotion/distribution";
import { LeaderboardVisibility } from "./LeaderboardVisibility";

type Distribution = Awaited<ReturnType<typeof api.promotion.distribution>>;
type Leaderboard = Awaited<ReturnType<typeof api.promotion.leaderboard>>;

/**
 * A threshold or the distance to one (a bracket's floor, a minimum spend, what is still missing): the shop's money
 * format (formatFenGrouped, as the wallet and the notices) without cents when there are none ("50,000", "1,200",
 * "12.30"). An amount counted or earned is shown in full with formatFenGrouped ("51,883.90", "200.00").
 */
export function yuanCompact(fen: number): string {
  const s = formatFenGrouped(fen);
  return fen % 100 === 0 ? s.slice(0, -3) : s;
}

// The card's state is the server's rule (server/promotion/distribution); the card's tests take it from here.
export { distributorCardState };

/** As the promotion router sends it; `frozen` absent counts as not frozen. */
type CardData = Omit<Distribution, "distributor"> & { distributor: Omit<Distribution["distributor"], "frozen"> & DistributorStanding };

const BADGE = {
  distributor: ["dist.badge.yes", "bg-emerald-100 text-emerald-700"],
  frozen: ["dist.badge.frozen", "bg-neutral-200 text-neutral-600"],
  suspended: ["dist.badge.disabled", "bg-neutral-200 text-neutral-600"],
  firstOrder: ["dist.badge.no", "bg-neutral-100 text-neutral-500"],
  spend: ["dist.badge.no", "bg-neutral-100 text-neutral-500"],
} as const;

export function DistributionSection({ data, board, t, fmtDate }: { data: CardData; board: Leaderboard; t: Translator; fmtDate: (d: Date) => string }) {
  const { distributor: d, step } = data;
  const spendPct = d.minSpendFen > 0 ? Math.min(100, Math.floor((d.spentFen * 100) / d.minSpendFen)) : 0;
  const state = distributorCardState(d);
  const [badgeKey, badgeTone] = BADGE[state];
  return (
    <section id="distribution" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm" data-testid="distribution">
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">{t("dist.title")}</h2>
        <span className={`rounded-full px-2 py-0.5 text-xs ${badgeTone}`} data-testid="distributor-badge" data-distributor={d.isDistributor ? "1" : "0"} data-state={state}>
          {t(badgeKey)}
        </span>
      </div>
      {state === "distributor" ? (
        <p className="mt-1 text-xs text-neutral-500">
          {t("dist.isDistributor")}
          {d.since && d.mode !== "everyone" ? ` · ${t("dist.since", { date: fmtDate(d.since) })}` : ""}
        </p>
      ) : state === "frozen" ? (
        <div className="mt-2 rounded-xl bg-neutral-100 p-3 text-xs text-neutral-700" data-testid="distributor-frozen">
          <p className="font-medium">{t("dist.frozen")}</p>
          <p className="mt-1 text-neutral-500">{t("dist.frozenNote")}</p>
        </div>
      ) : state === "suspended" ? (
        <div className="mt-2 rounded-xl bg-neutral-100 p-3 text-xs text-neutral-700" data-testid="distributor-suspended">
          <p className="font-medium">{t("dist.disabled")}</p>
          <p className="mt-1 text-neutral-500">{t("dist.disabledNote")}</p>
        </div>
      ) : (
        <div className="mt-2 rounded-xl bg-amber-50 p-3 text-xs text-amber-800" data-testid="distributor-howto">
          {state === "firstOrder" ? (
            <p className="font-medium">{t("dist.howFirstOrder")}</p>
          ) : (
            <>
              <p className="font-medium" data-testid="distributor-remaining">
                {d.remainingFen > 0 ? t("dist.remaining", { amount: yuanCompact(d.remainingFen) }) : t("dist.oneMoreOrder")}
              </p>
              <div className="mt-2 h-1.5 rounded-full bg-amber-100">
                <div className="h-1.5 rounded-full bg-amber-500" style={{ width: `${spendPct}%` }} />
              </div>
              <p className="mt-1 text-amber-700">{t("dist.progress", { spent: yuanCompact(d.spentFen), min: yuanCompact(d.minSpendFen) })}</p>
            </>
          )}
          <p className="mt-1 text-amber-700/80">{t("dist.forfeitNote")}</p>
        </div>
      )}

      {step.enabled ? (
        <div className="mt-4" data-testid="step-bonus">
          <h3 className="font-medium">{t("step.title")}</h3>
          <div className="mt-2 grid grid-cols-3 text-center">
            <div>
              <div className="text-lg font-semibold tabular-nums" data-testid="step-sales">
                ¥{formatFenGrouped(step.salesFen)}
              </div>
              <div className="text-xs text-neutral-500">{t("step.sales")}</div>
            </div>
            <div>
              <div className="text-lg font-semibold tabular-nums">{step.current ? formatBps(step.current.bps) : "—"}</div>
              <div className="text-xs text-neutral-500">{step.current ? t("step.currentRate") : t("step.none")}</div>
            </div>
            {step.estimatedFen === null ? (
              <div data-testid="step-estimate-paused">
                <div className="text-lg font-semibold text-neutral-500">{t("step.paused")}</div>
                <div className="text-xs text-neutral-500">{t("step.estimated")}</div>
              </div>
            ) : (
              <div>
                <div className="text-lg font-semibold tabular-nums text-rose-600">¥{formatFenGrouped(step.estimatedFen)}</div>
                <div className="text-xs text-neutral-500">{t("step.estimated")}</div>
                {/* Month-to-date: the figure can still change, so it carries the compliance label (server/rules/compliance PROJECTION_LABEL). */}
                <div className="text-[10px] leading-tight text-neutral-500" data-testid="step-projection-label">
                  {t("step.projection")}
                </div>
              </div>
            )}
          </div>
          {step.estimatedFen === null ? (
            <div className="mt-2 rounded-lg bg-neutral-100 px-2 py-1.5 text-xs text-neutral-700" data-testid="step-paused">
              <p className="font-medium">{t(step.pausedFor === "frozen" ? "step.frozen" : "step.suspended")}</p>
              <p className="mt-0.5">{t(step.pausedFor === "frozen" ? "step.frozenNote" : "step.pausedNote")}</p>
            </div>
          ) : (
            <p className="mt-2 rounded-lg bg-rose-50 px-2 py-1.5 text-xs text-rose-700" data-testid="step-next">
              {step.next ? t("step.next", { amount: yuanCompact(step.remainingFen), rate: formatBps(step.next.bps) }) : t("step.top", { rate: formatBps(step.current?.bps ?? 0) })}
            </p>
          )}
          <ol className="mt-2 flex flex-wrap gap-1.5 text-[11px]">
            {step.brackets.map((b) => {
              const reached = step.current?.minFen === b.minFen;
              return (
                <li key={b.minFen} className={`rounded-full px-2 py-0.5 ${reached ? "bg-rose-600 text-white" : "bg-neutral-100 text-neutral-600"}`}>
                  {t("step.bracket", { min: yuanCompact(b.minFen), rate: formatBps(b.bps) })}
                </li>
              );
            })}
          </ol>
          <p className="mt-2 text-xs text-neutral-400">{t("step.rule")}</p>
          {state !== "distributor" && step.estimatedFen !== null ? <p className="mt-1 text-xs text-amber-600">{t(state === "suspended" ? "step.suspended" : "step.notDistributor")}</p> : null}
          {data.bonuses.length ? (
            <div className="mt-2 text-xs">
              <div className="text-neutral-500">{t("step.paidList")}</div>
              <ul className="mt-1 divide-y divide-neutral-100" data-testid="step-paid">
                {data.bonuses.map((b) => (
                  <li key={b.month} className="flex justify-between py-1.5">
                    <span>{t("step.paidRow", { month: b.month, sales: formatFenGrouped(b.salesFen), rate: formatBps(b.bps) })}</span>
                    <span className="font-semibold tabular-nums text-emerald-600">+¥{formatFenGrouped(b.amountFen)}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}

      <LeaderboardBlock board={board} t={t} />
      <LeaderboardVisibility shown={board.shown} />
    </section>
  );
}

/**
 * 本月排行: the ranking and the shopper's own place; an empty board says so once (no "not ranked" beside it). A shopper
 * who hid themself (`shown` false; absent counts as shown) sees their place marked as seen by them alone.
 */
export function LeaderboardBlock({ board, t }: { board: Pick<Leaderboard, "top" | "me"> & Partial<Pick<Leaderboard, "shown">>; t: Translator }) {
  const hidden = board.shown === false;
  return (
    <div className="mt-4" data-testid="leaderboard">
      <h3 className="font-medium">{t("board.title")}</h3>
      {/* What the amounts are: completed orders of each distributor's direct invitees this month (GmvCredit depth 1). */}
      {board.top.length > 0 ? (
        <p className="mt-0.5 text-[11px] text-neutral-500" data-testid="leaderboard-amount-label">
          {t("board.amountLabel")}
        </p>
      ) : null}
      {board.top.length === 0 ? (
        <p className="py-4 text-center text-xs text-neutral-400" data-testid="leaderboard-empty">
          {t("board.empty")}
        </p>
      ) : (
        <>
          <ol className="mt-2 divide-y divide-neutral-100 text-xs">
            {board.top.map((r, i) => (
              <li key={i} className={`flex items-center justify-between py-1.5 ${r.me ? "font-semibold text-rose-600" : ""}`} data-testid="leaderboard-row" data-me={r.me ? "1" : "0"}>
                <span className="flex items-center gap-2">
                  <span className={`inline-flex h-5 w-5 items-center justify-center rounded-full ${r.rank <= 3 ? "bg-amber-400 text-white" : "bg-neutral-100 text-neutral-500"}`}>{r.rank}</span>
                  {r.name}
                  {r.me ? <span className="rounded bg-rose-100 px-1 text-[10px] text-rose-600">{t("board.me")}</span> : null}
                  {r.me && hidden ? <span className="rounded bg-neutral-100 px-1 text-[10px] font-normal text-neutral-500">{t("board.hiddenTag")}</span> : null}
                </span>
                <span className="tabular-nums">¥{formatFenGrouped(r.salesFen)}</span>
              </li>
            ))}
          </ol>
          <p className="mt-2 text-xs text-neutral-500" data-testid="leaderboard-me">
            {board.me ? t(hidden ? "board.myRankHidden" : "board.myRank", { rank: board.me.rank }) : t("board.notRanked")}
          </p>
        </>
      )}
    </div>
  );
}
