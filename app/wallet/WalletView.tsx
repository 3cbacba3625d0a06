"use client";

import { useRef, useState } from "react";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatFen, formatFenGrouped, formatYuanGrouped } from "@/components/money";
import { useTRPC } from "@/trpc/react";
import { intlLocale, type Translator } from "@/lib/i18n/core";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { yuanInputToFen } from "./amount";
import { DIRECTION_TONE, historyDirection, signedYuan } from "./direction";
import { ConfirmReceipt } from "./ConfirmReceipt";
import { PayeeSection, payeeReady } from "./PayeeSection";
import { WithdrawQuote, quoteForAmount, type Quote } from "./WithdrawQuote";
import type { HistoryRef } from "@/server/promotion";

/**
 * A refusal in the shopper's language: zh-CN the server's own message, English by domain code (the shared
 * errorText); a malformed input gets a generic one. INVALID_NAME is the address form's code too, so the
 * identity form words it itself.
 */
export function walletErrorText(t: Translator, err: { message: string; data?: { zodError?: unknown; domainCode?: string | null } | null } | null): string | null {
  if (!err) return null;
  if (err.data?.zodError) return t("wallet.badInput");
  const code = err.data?.domainCode;
  if (t.locale !== "zh-CN" && code) {
    const own = t.opt(`wallet.error.${code}`, "");
    if (own) return own;
  }
  return errorText(t, err);
}

/**
 * What a 资金明细 line was for, in the shopper's words (server/promotion historyRef): a level-1 commission's order and
 * whose it was, as 佣金明细 says it; a level-2/3 one whose team's order, by level (no order, no buyer: PIPL); an order
 * of their own (推三返一, store credit) by number, with the friend who no longer counts on a reversal; a withdrawal by
 * its number; a monthly bonus by its month. Null when the line names nothing more (an adjustment).
 */
export function historyForText(t: Translator, ref: HistoryRef): string | null {
  if (ref.level !== null && ref.level > 1) return t.opt(`promote.commissions.teamOrder.${ref.level}`, "") || null;
  if (ref.orderNo !== null) {
    const order = ref.buyer !== null ? t("wallet.history.buyerOrder", { buyer: ref.buyer, orderNo: ref.orderNo }) : t("wallet.expected.order", { orderNo: ref.orderNo });
    return ref.friend !== null ? `${order} · ${t("wallet.history.friendOut", { friend: ref.friend })}` : order;
  }
  if (ref.payoutNo !== null) return t("wallet.history.payout", { payoutNo: ref.payoutNo });
  if (ref.month !== null) return monthText(t, ref.month);
  return null;
}

/** A bonus month ("2026-12") as the shopper reads it: 2026年12月, December 2026; anything else as it came. */
export function monthText(t: Translator, key: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return key;
  const [year, mm] = [Number(m[1]), Number(m[2])];
  // {month} as the language writes it in a date: 12 (年12月) in Chinese, its name (December) otherwise.
  const month = t.locale === "zh-CN" ? String(mm) : new Intl.DateTimeFormat(t.locale, { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(year, mm - 1, 1)));
  return t("wallet.history.month", { year: String(year), month });
}

/** 128 random bits in hex: getRandomValues, unlike randomUUID, also works on a plain-http page (a phone on the LAN in development). */
const newRequestKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

const TONE: Record<string, string> = {
  progress: "bg-amber-100 text-amber-700",
  done: "bg-emerald-100 text-emerald-700",
  returned: "bg-neutral-100 text-neutral-500",
};

export function WalletView() {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const summary = useQuery(trpc.wallet.summary.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.wallet.pathKey() });

  const [realName, setRealName] = useState("");
  const [idNumber, setIdNumber] = useState("");
  const verify = useMutation(trpc.wallet.verifyIdentity.mutationOptions({ onSuccess: refresh }));

  // The identity and withdrawal forms stay folded until the shopper asks to withdraw.
  const [withdrawing, setWithdrawing] = useState(false);
  const [amount, setAmount] = useState("");
  const [amountError, setAmountError] = useState<string | null>(null);
  // A withdrawal with a fee is confirmed on a second step that shows the fee and what arrives.
  const [quote, setQuote] = useState<Quote | null>(null);
  const amountInput = useRef<HTMLInputElement>(null);
  // Set in the tap itself, through the fee quote and the request: isPending disables the button only a render later, after a double tap's second withdrawal.
  const sending = useRef(false);
  // Counts the amount's edits: a quote asked for before the latest edit is for an amount no longer in the box.
  const amountEdits = useRef(0);
  // One key per intended withdrawal, kept until it succeeds or the amount changes: a resent request gets the withdrawal already made.
  const requestKey = useRef<{ amountFen: number; key: string } | null>(null);
  const withdraw = useMutation(
    trpc.wallet.requestWithdrawal.mutationOptions({
      onSuccess: () => {
        setAmount("");
        setQuote(null);
        void refresh();
      },
      onError: () => setQuote(null),
    }),
  );
  const send = (input: { amountFen: number; expectedFeeFen?: number }) => {
    if (requestKey.current?.amountFen !== input.amountFen) requestKey.current = { amountFen: input.amountFen, key: newRequestKey() };
    withdraw.mutate({ ...input, requestKey: requestKey.current.key }, { onSuccess: () => (requestKey.current = null), onSettled: () => (sending.current = false) });
  };

  if (summary.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (summary.isError) return <p className="py-16 text-center text-sm text-rose-600">{errorText(t, summary.error)}</p>;
  const w = summary.data;
  const b = w.balances;
  // Bucket names by code (the engine's w.bucketLabels are the zh-CN wording).
  const L = (bucket: string) => t.opt(`bucket.${bucket}`, bucket);
  const dayFmt = new Intl.DateTimeFormat(intlLocale(t.locale), { timeZone, month: "long", day: "numeric" });
  // Nothing to withdraw (or frozen): the no-balance hint, never the amount box, whether or not identity is verified yet;
  // a withdrawal just made keeps its form (its result is read there) even when it took the whole balance.
  const canWithdraw = b.available > 0 && !w.frozen;
  const formShown = withdrawing && w.identity !== null && payeeReady(w.payee) && (canWithdraw || withdraw.data !== undefined);
  // A refusal is about the amount it was given: a new amount clears it (a stale 单笔提现最低 read as refusing the new one).
  // So does an open fee quote, unless the box still says its amount: 确认提现 confirms only the amount in the box.
  const changeAmount = (value: string) => {
    amountEdits.current += 1;
    setAmount(value);
    setAmountError(null);
    setQuote((q) => quoteForAmount(q, value));
    if (withdraw.isError) withdraw.reset();
  };

  return (
    <div className="space-y-3 p-3 text-sm">
      <section className="rounded-2xl bg-gradient-to-br from-rose-600 to-orange-500 p-4 text-white" data-testid="balances">
        <div className="text-xs text-white/85">{t("wallet.inYuan", { label: L("available") })}</div>
        <div className="mt-1 text-3xl font-bold tabular-nums" data-testid="balance-available">
          {formatFenGrouped(b.available)}
        </div>
        <div className="mt-4 grid grid-cols-4 text-center">
          {(["pending", "withdrawing", "withdrawn", "credit"] as const).map((k) => (
            <div key={k}>
              <div className="font-semibold tabular-nums" data-testid={`balance-${k}`}>
                {formatFenGrouped(b[k])}
              </div>
              <div className="text-[11px] text-white/85">{L(k)}</div>
            </div>
          ))}
        </div>
        {/* Frozen (SPEC §8): still signed in, with orders, refunds and this balance to see; no withdrawal, nothing new earned. */}
        {w.frozen ? (
          <p role="status" className="mt-3 rounded-lg bg-white/20 px-2 py-1 text-xs" data-testid="wallet-frozen">
            {t("wallet.frozen")}
          </p>
        ) : null}
      </section>

      {w.expected.rows.length ? (
        <section className="rounded-2xl bg-white p-4" data-testid="expected">
          <div className="flex items-baseline justify-between gap-3">
            <h2 className="font-semibold">{t("wallet.expected.title")}</h2>
            <span className="text-xs tabular-nums text-neutral-500" data-testid="expected-total">{t("wallet.expected.total", { amount: formatYuanGrouped(w.expected.totalFen) })}</span>
          </div>
          <ul className="mt-2 divide-y divide-neutral-100">
            {w.expected.rows.map((e) => (
              <li key={`${e.kind}-${e.id}`} className="py-2.5" data-testid="expected-row" data-kind={e.kind}>
                <div className="flex items-baseline justify-between gap-3">
                  <span>{t(`wallet.expected.${e.kind}`)}</span>
                  <span className="tabular-nums text-rose-600">+{formatYuanGrouped(e.amountFen)}</span>
                </div>
                {/* The order number stays whole; a long "when" moves under it as one piece rather than splitting both. A level-2/3
                    commission comes without its order (server/wallet/expected.ts): whose team's order it was, as 佣金明细 says it. */}
                <div className="mt-0.5 flex flex-wrap justify-between gap-x-3 text-xs">
                  <span className="whitespace-nowrap text-neutral-400">
                    {e.orderNo !== null ? t("wallet.expected.order", { orderNo: e.orderNo }) : t.opt(`promote.commissions.teamOrder.${e.level}`, "")}
                  </span>
                  <span className="ml-auto text-right text-neutral-500" data-testid="expected-when">
                    {e.expectedAt ? t("wallet.expected.on", { date: dayFmt.format(e.expectedAt) }) : t(`wallet.expected.why.${e.why ?? "awaiting_shipment"}`)}
                  </span>
                </div>
              </li>
            ))}
          </ul>
          {/* Only the soonest rows are sent; the rest are counted in the total. */}
          {w.expected.more > 0 ? <p className="pt-2 text-center text-xs text-neutral-500" data-testid="expected-more">{t("wallet.expected.more", { n: w.expected.more })}</p> : null}
        </section>
      ) : null}

      {!withdrawing || (!canWithdraw && !formShown) ? (
        <section className="rounded-2xl bg-white p-4" data-testid="withdraw-entry">
          {canWithdraw ? (
            <button type="button" className="w-full rounded-full bg-rose-600 py-2.5 text-white" onClick={() => setWithdrawing(true)}>
              {t("wallet.withdraw.open")}
            </button>
          ) : w.frozen && b.available > 0 ? (
            // A balance there is, but a frozen account withdraws none of it (not "nothing to withdraw yet").
            <p className="text-center text-xs text-neutral-500" data-testid="withdraw-frozen">
              {t("wallet.withdraw.frozen")}
            </p>
          ) : (
            <p className="text-center text-xs text-neutral-500">
              {t("wallet.withdraw.nothingYet")}
              {/* The minimum wraps as a whole on a narrow phone, never inside its brackets. */}
              <span className="whitespace-nowrap">{t("wallet.withdraw.nothingYetMin", { min: formatFenGrouped(w.rules.minFen) })}</span>
            </p>
          )}
          {!withdrawing && !w.identity && !(b.available > 0) ? (
            <button type="button" className="-mb-3 w-full py-3 text-center text-xs text-rose-600" onClick={() => setWithdrawing(true)}>
              {t("wallet.identity.early")}
            </button>
          ) : null}
        </section>
      ) : null}

      {withdrawing ? (
        <section className="rounded-2xl bg-white p-4" data-testid="identity">
          <h2 className="font-semibold">{t("wallet.identity.title")}</h2>
          {w.identity ? (
            <div className="mt-2 flex items-center justify-between" data-testid="identity-verified">
              <div>
                <div>{w.identity.realName}</div>
                <div className="font-mono text-xs text-neutral-500">{w.identity.idNumber}</div>
              </div>
              <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-700">{t("wallet.identity.verified")}</span>
            </div>
          ) : (
            <form method="post"
              className="mt-2 space-y-2"
              onSubmit={(e) => {
                e.preventDefault();
                verify.mutate({ realName, idNumber });
              }}
            >
              <p className="text-xs text-neutral-500">{t("wallet.identity.hint")}</p>
              <label className="block">
                <span className="text-xs font-medium text-neutral-700">{t("wallet.identity.realNameLabel")}</span>
                <input
                  className="mt-1 w-full rounded-lg border border-neutral-200 px-3 py-2"
                  placeholder={t("wallet.identity.realName")}
                  autoComplete="name"
                  value={realName}
                  onChange={(e) => setRealName(e.target.value)}
                  maxLength={40}
                />
              </label>
              <label className="block">
                <span className="text-xs font-medium text-neutral-700">{t("wallet.identity.idNumberLabel")}</span>
                {/* Mono for the typed digits only: in mono the placeholder read "18␣␣位身份证号码". */}
                <input
                  className="mt-1 w-full rounded-lg border border-neutral-200 px-3 py-2 font-mono placeholder:font-sans"
                  placeholder={t("wallet.identity.idNumber")}
                  value={idNumber}
                  onChange={(e) => setIdNumber(e.target.value)}
                  maxLength={18}
                  inputMode="text"
                  autoCapitalize="characters"
                />
              </label>
              {verify.error ? (
                <p role="alert" className="text-xs text-rose-600" data-testid="identity-error">
                  {walletErrorText(t, verify.error)}
                </p>
              ) : null}
              <button type="submit" disabled={verify.isPending} className="w-full rounded-full bg-rose-600 py-2.5 text-white disabled:opacity-50">
                {verify.isPending ? t("wallet.submitting") : t("wallet.identity.submit")}
              </button>
            </form>
          )}
        </section>
      ) : null}

      {withdrawing && w.payee ? <PayeeSection payee={w.payee} realName={w.identity?.realName ?? null} onBound={() => void refresh()} errorText={walletErrorText} /> : null}

      {formShown ? (
        <section className="rounded-2xl bg-white p-4" data-testid="withdraw">
          <h2 className="font-semibold">{t("wallet.withdraw.title")}</h2>
          <p className="mt-1 text-xs text-neutral-500">
            {t("wallet.withdraw.rules", {
              min: formatFenGrouped(w.rules.minFen),
              auto: formatFenGrouped(w.rules.autoApproveMaxFen),
              two: formatFenGrouped(w.rules.twoApproversFromFen),
            })}
          </p>
          <form method="post"
            className="mt-3 space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (sending.current) return;
              withdraw.reset();
              const fen = yuanInputToFen(amount);
              if (fen === null || fen <= 0) {
                setAmountError(t("wallet.withdraw.badAmount"));
                return;
              }
              setAmountError(null);
              sending.current = true;
              // The amount changed while its quote was on the way: nothing is shown or sent for it (申请提现 again).
              const edits = amountEdits.current;
              const current = () => {
                if (amountEdits.current === edits) return true;
                sending.current = false;
                return false;
              };
              void queryClient
                .fetchQuery(trpc.wallet.quote.queryOptions({ amountFen: fen }, { staleTime: 0 }))
                .then((q) => {
                  if (!current()) return;
                  if (q.feeFen === 0) return send({ amountFen: fen, expectedFeeFen: 0 });
                  sending.current = false;
                  setQuote(q);
                })
                .catch(() => {
                  if (current()) send({ amountFen: fen });
                });
            }}
          >
            <div className="flex items-center rounded-lg border border-neutral-200 px-3 focus-within:border-rose-500">
              <span className="text-lg text-neutral-500">¥</span>
              <input
                ref={amountInput}
                className="min-w-0 flex-1 px-2 py-2 text-lg tabular-nums outline-none"
                placeholder={t("wallet.withdraw.placeholder")}
                inputMode="decimal"
                value={amount}
                onChange={(e) => changeAmount(e.target.value)}
                aria-label={t("wallet.withdraw.amountLabel")}
              />
              <button type="button" className="-mr-3 shrink-0 self-stretch px-3 text-xs text-rose-600" onClick={() => changeAmount(formatFen(b.available))}>
                {t("wallet.withdraw.all")}
              </button>
            </div>
            {amountError || withdraw.error ? (
              <p role="alert" className="text-xs text-rose-600" data-testid="withdraw-error">
                {amountError ?? walletErrorText(t, withdraw.error)}
              </p>
            ) : null}
            {withdraw.data ? (
              <p role="status" className="text-xs text-emerald-600" data-testid="withdraw-ok">
                {t("wallet.withdraw.ok", { amount: formatFenGrouped(withdraw.data.amountFen), status: t(`withdrawal.status.${withdraw.data.status}`) })}
              </p>
            ) : null}
            <WithdrawQuote
              quote={quote}
              pending={withdraw.isPending}
              amountField={amountInput}
              onBack={() => setQuote(null)}
              onConfirm={(q) => {
                if (sending.current) return;
                sending.current = true;
                send({ amountFen: q.amountFen, expectedFeeFen: q.feeFen });
              }}
            />
            {quote ? null : (
              <button type="submit" disabled={withdraw.isPending} className="w-full rounded-full bg-rose-600 py-2.5 text-white disabled:opacity-50">
                {withdraw.isPending ? t("wallet.submitting") : t("wallet.withdraw.submit")}
              </button>
            )}
          </form>
        </section>
      ) : null}

      {w.withdrawals.length ? (
        <section className="rounded-2xl bg-white p-4">
          <h2 className="font-semibold">{t("wallet.withdraw.list")}</h2>
          <ul className="mt-2 divide-y divide-neutral-100" data-testid="withdrawals">
            {w.withdrawals.map((x) => (
              <li key={x.id} className="flex items-center justify-between gap-3 py-2.5" data-testid="withdrawal-row" data-status={x.status}>
                <div className="min-w-0">
                  <div className="tabular-nums">{formatYuanGrouped(x.amountFen)}</div>
                  <div className="text-xs text-neutral-400">
                    {x.payoutNo} · {formatDateTime(x.createdAt, { timeZone })}
                    {x.reason ? ` · ${x.failure ? t(`withdrawal.failure.${x.failure}`) : x.reason}` : ""}
                  </div>
                  {x.confirm ? <ConfirmReceipt params={x.confirm} onDone={() => void refresh()} /> : null}
                </div>
                <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs ${TONE[x.tone]}`}>{t(`withdrawal.status.${x.status}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="rounded-2xl bg-white p-4" data-testid="history">
        <h2 className="font-semibold">{t("wallet.history.title")}</h2>
        {w.history.length === 0 ? (
          <p className="py-6 text-center text-xs text-neutral-400">{t("wallet.history.empty")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-neutral-100">
            {w.history.map((h) => {
              const direction = historyDirection(h);
              const forWhat = historyForText(t, h.ref);
              return (
                <li key={h.id} className="flex items-center justify-between gap-3 py-2.5" data-testid="history-row" data-direction={direction}>
                  <div className="min-w-0">
                    <div>{t.opt(`ledger.${h.kind}`, h.label)}</div>
                    {forWhat ? <div className="text-xs text-neutral-500" data-testid="history-for">{forWhat}</div> : null}
                    <div className="text-xs text-neutral-400">
                      {[h.from, h.to]
                        .filter(Boolean)
                        .map((b) => L(b!))
                        .join(" → ")}{" "}
                      · <span className="whitespace-nowrap">{formatDateTime(h.at, { timeZone })}</span>
                    </div>
                  </div>
                  {/* An amount never wraps: on a narrow phone "−¥2,500.00" split its sign from its number. */}
                  <span className={`shrink-0 whitespace-nowrap tabular-nums ${DIRECTION_TONE[direction]}`}>{signedYuan(direction, h.amountFen)}</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
