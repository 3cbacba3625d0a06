"use client";

// One order for the back office: lines, payment, address, buyer and upline chain, every commission
// with why it has its amount, the cashback task, after-sales requests, timeline and activity log; 发货 and 退款.
import { PhotoThumbs } from "@/components/PhotoThumbs";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { MoneyCell } from "@/components/merchant/MoneyCell";
import { providerLabel } from "@/components/merchant/provider";
import { StatusBadge, type Tone } from "@/components/merchant/StatusBadge";
import { formatYuanGrouped } from "@/components/money";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC } from "@/trpc/react";
import { AFTER_SHIP_ATTR, ShipDialog, useFocusAfterShip } from "../ShipDialog";
import { PriorityBadge } from "../OrdersClient";
import { RefundDialog } from "./RefundDialog";
import { shipmentText, timelineText } from "./timeline";
import { auditActionLabel } from "@/server/audit/display";
import { DecisionButtons } from "../../after-sales/Decision";
import type { AddressMaskReason } from "@/server/orders/address-privacy";

const ORDER_TONE: Record<string, Tone> = { PENDING_PAYMENT: "neutral", PAID: "progress", SHIPPED: "info", DELIVERED: "info", COMPLETED: "success", CANCELLED: "neutral", REFUNDED: "danger" };
const COMMISSION_TONE: Record<string, Tone> = { PENDING: "progress", CONFIRMED: "info", SETTLED: "success", VOID: "danger", FORFEITED: "neutral", ON_HOLD: "progress" };
const ADDRESS_MASK_NOTE = { role: "mo.d.addressMasked", done: "mo.d.addressMaskedDone", deleted: "mo.d.addressMaskedDeleted" } as const satisfies Record<AddressMaskReason, string>;
const pct = (bps: number) => `${(bps / 100).toFixed(bps % 100 ? 2 : 0)}%`;

function Card({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="rounded-lg border border-neutral-200 bg-white p-4" data-testid={testId}>
      <h2 className="mb-3 text-sm font-semibold text-neutral-800">{title}</h2>
      {children}
    </section>
  );
}

export function OrderDetailClient({ id, canWrite, canDecide }: { id: number; canWrite: boolean; canDecide: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const q = useQuery(trpc.merchantOrder.detail.queryOptions({ id }, { retry: false }));
  const [shipping, setShipping] = useState(false);
  const [refunding, setRefunding] = useState(false);
  const focusAfterShip = useFocusAfterShip(q.data);
  const when = { format: (d: Date | string | number) => formatDateTime(d, { timeZone, seconds: true }) };
  if (q.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (q.isError) return <p role="alert" className="py-16 text-center text-sm text-rose-600">{errorText(t, q.error)}</p>;
  const o = q.data;
  const openRequest = o.refundRequests.find((r) => r.status === "PENDING");

  return (
    <div className="space-y-4" data-testid="merchant-order-detail" data-status={o.status} data-refund={o.refundState ?? undefined}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <Link href="/merchant/orders" className="text-xs text-neutral-500 hover:underline">
            ← {t("mo.d.back")}
          </Link>
          {/* The order and its status: the focus comes here once the ship dialog has shipped it (its 发货 opener is gone). */}
          <h1 className="mt-1 flex items-center gap-3 text-xl font-semibold focus:outline-none" tabIndex={-1} {...{ [AFTER_SHIP_ATTR]: o.id }}>
            <span className="font-mono">{o.orderNo}</span>
            {/* 已退款 only once the money is back, as the list and the shopper read it. */}
            <StatusBadge
              label={o.refundState === "pending" || o.refundState === "stuck" ? t(`mo.refundState.${o.refundState}`) : t(`order.status.${o.status}`)}
              tone={o.refundState === "pending" ? "progress" : ORDER_TONE[o.status]}
              status={o.status}
            />
            {o.priorityShipping ? <PriorityBadge /> : null}
          </h1>
        </div>
        <div className="flex gap-2">
          {canWrite && o.canShip ? (
            <button type="button" className="rounded-md bg-neutral-900 px-4 py-1.5 text-sm text-white" onClick={() => setShipping(true)}>
              {t("mo.ship")}
            </button>
          ) : null}
          {/* An open after-sales request is decided in 售后 (approving it refunds), not beside it. */}
          {canWrite && o.canRefund && !openRequest ? (
            <button type="button" data-testid="order-refund" className="rounded-md border border-rose-300 px-4 py-1.5 text-sm text-rose-700" onClick={() => setRefunding(true)}>
              {t("mo.refund")}
            </button>
          ) : null}
          {canDecide && openRequest ? <DecisionButtons request={{ id: openRequest.id, orderNo: o.orderNo, totalFen: o.payableFen + o.creditUsedFen, creditFen: o.creditUsedFen }} /> : null}
        </div>
      </div>

      {/* grid-cols-1 (minmax(0, 1fr)): one column on a phone, no wider than the screen. */}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
        <div className="space-y-4 xl:col-span-2">
          <Card title={t("mo.d.lines")}>
            {/* Figures and headings stay on one line, apart; on a phone the lines scroll inside the card. */}
            <div className="overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="whitespace-nowrap text-left text-xs text-neutral-500 [&_th+th]:pl-3">
                  <tr>
                    <th className="py-1">{t("mo.col.items")}</th>
                    <th>{t("mo.d.category")}</th>
                    <th className="text-right">{t("mo.d.unitPrice")}</th>
                    <th className="text-right">{t("mo.d.qty")}</th>
                    <th className="text-right">{t("mo.d.discount")}</th>
                    <th className="text-right">{t("mo.d.lineGoods")}</th>
                  </tr>
                </thead>
                <tbody className="[&_td+td]:whitespace-nowrap [&_td+td]:pl-3">
                  {o.lines.map((l) => (
                    <tr key={l.id} className="border-t border-neutral-100">
                      <td className="min-w-28 py-1.5">
                        {l.product} <span className="font-mono text-xs text-neutral-400">{l.sku}</span>
                        {/* The variant as bought (a snapshot on the line): the SKU code alone does not tell 蓝 S from 黑 M. */}
                        {l.skuLabel ? <div className="text-xs text-neutral-600" data-testid="order-line-sku-label">{l.skuLabel}</div> : null}
                      </td>
                      <td>{l.categoryName}</td>
                      <td className="text-right"><MoneyCell fen={l.unitPriceFen} /></td>
                      <td className="text-right tabular-nums">{l.qty}</td>
                      <td className="text-right"><MoneyCell fen={l.discountFen} /></td>
                      <td className="text-right"><MoneyCell fen={l.goodsFen} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {/* The totals stay in view when the lines scroll sideways. */}
            <dl className="grid grid-cols-[1fr_auto] gap-x-3 border-t border-neutral-200 pt-1.5 text-right text-sm">
              <dt className="text-neutral-500">{t("mo.col.goods")}</dt>
              <dd><MoneyCell fen={o.goodsFen} /></dd>
              <dt className="text-neutral-500">{t("mo.col.payable")}</dt>
              <dd className="font-semibold"><MoneyCell fen={o.payableFen} /></dd>
            </dl>
          </Card>

          <Card title={t("mo.d.commissions")} testId="order-commissions">
            {o.ruleVersion ? (
              <p className="mb-2 text-xs text-neutral-500" data-testid="order-rule-version">
                {t("rules.orderVersion", { version: o.ruleVersion })}
              </p>
            ) : null}
            {o.commissions.length === 0 ? <p className="text-sm text-neutral-400">{t("mo.d.noCommissions")}</p> : null}
            <div className="space-y-3">
              {o.commissions.map((c) => (
                <div key={c.id} className="rounded-md border border-neutral-100 p-3 text-sm" data-testid="order-commission" data-level={c.level} data-status={c.status}>
                  <div className="flex flex-wrap items-center gap-3">
                    <span className="font-semibold">L{c.level}</span>
                    <span>{c.beneficiary.name}</span>
                    <span className="font-semibold"><MoneyCell fen={c.amountFen} /></span>
                    <StatusBadge label={t.opt(`commission.status.${c.status}`, String(c.status))} tone={COMMISSION_TONE[c.status]} status={c.status} />
                    <span className="text-xs text-neutral-400">{t(`mo.d.tree.${c.why.tree}`)}</span>
                  </div>
                  <table className="mt-2 text-xs text-neutral-600">
                    <tbody>
                      {c.why.lines.map((l, i) => (
                        <tr key={i}>
                          <td className="pr-3">{l.product}</td>
                          <td className="whitespace-nowrap pr-3">{t("mo.d.base")} {formatYuanGrouped(l.baseFen)}</td>
                          <td className="pr-3">
                            × {pct(l.rateBps)} ({l.rule === "category" ? `${t("mo.d.ruleCategory")} ${l.category}` : t("mo.d.ruleDefault")})
                            {l.bonusBps ? ` + ${t("mo.d.bonus")} ${pct(l.bonusBps)}` : ""}
                          </td>
                          <td className="whitespace-nowrap tabular-nums">= {formatYuanGrouped(l.amountFen)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {/* Recomputed with the order's rule version when it has one (then only older data can differ), else with the rules in force. */}
                  {!c.why.matches ? <p className="mt-1 text-xs text-amber-700">{t(o.ruleVersion ? "mo.d.mismatchVersion" : "mo.d.mismatch", { amount: formatYuanGrouped(c.why.recomputedFen) })}</p> : null}
                  <ol className="mt-2 flex flex-wrap gap-x-4 text-xs text-neutral-500">
                    {c.history.map((h, i) => (
                      <li key={i}>
                        {t.opt(`commission.status.${h.status}`, String(h.status))} {when.format(h.at)}
                        {h.note ? t("input.paren", { text: t.opt(`mo.note.${h.note}`, h.note) }) : ""}
                      </li>
                    ))}
                  </ol>
                </div>
              ))}
            </div>
          </Card>

          <Card title={t("mo.d.rebate")}>
            {o.rebateTask ? (
              <div className="text-sm" data-testid="order-rebate" data-status={o.rebateTask.status}>
                <div className="flex flex-wrap items-center gap-3">
                  <span>#{o.rebateTask.id}</span>
                  <StatusBadge label={t.opt(`task.status.${o.rebateTask.status}`, String(o.rebateTask.status))} status={o.rebateTask.status} />
                  <span>{t("mo.d.invitees", { k: o.rebateTask.invitees, n: o.rebateTask.n })}</span>
                  <span className="text-neutral-500">{t("mo.d.deadline", { date: when.format(o.rebateTask.deadline) })}</span>
                  {o.rebateTask.experiment ? (
                    <span className="rounded bg-sky-50 px-2 py-0.5 text-xs text-sky-800" data-testid="order-rebate-experiment" data-variant={o.rebateTask.experiment.variant}>
                      {t("exp.orderTask", { name: o.rebateTask.experiment.name, group: t("exp.group", { variant: o.rebateTask.experiment.variant }) })}
                    </span>
                  ) : null}
                </div>
                <p className="mt-1 text-xs text-neutral-600">
                  {t("mo.d.rebateWhy", { goods: formatYuanGrouped(o.rebateTask.why.anchorGoodsFen), percent: o.rebateTask.why.percent, cap: o.rebateTask.why.capFen === null ? t("mo.d.noCap") : formatYuanGrouped(o.rebateTask.why.capFen) })} = {formatYuanGrouped(o.rebateTask.cashbackFen)}
                </p>
                <ol className="mt-1 flex flex-wrap gap-x-4 text-xs text-neutral-500">
                  {o.rebateTask.history.map((h, i) => (
                    <li key={i}>
                      {t.opt(`task.status.${h.status}`, String(h.status))} {when.format(h.at)}
                      {"note" in h && h.note ? t("input.paren", { text: t.opt(`mo.note.${h.note}`, h.note) }) : ""}
                    </li>
                  ))}
                </ol>
              </div>
            ) : (
              <p className="text-sm text-neutral-400">{t("mo.d.noRebate")}</p>
            )}
            {o.countedForTask ? (
              <p className="mt-2 text-xs text-neutral-600" data-testid="order-counted-for" data-counted={o.countedForTask.counted}>
                {o.countedForTask.counted
                  ? t("mo.d.countedFor", { sponsor: o.countedForTask.sponsor, task: o.countedForTask.taskId, status: t.opt(`task.status.${o.countedForTask.taskStatus}`, String(o.countedForTask.taskStatus)) })
                  : t(`mo.d.countedFor.${o.countedForTask.removedReason ?? "removed"}`, { sponsor: o.countedForTask.sponsor, task: o.countedForTask.taskId })}
              </p>
            ) : null}
          </Card>

          <Card title={t("mo.d.afterSales")}>
            {o.refundRequests.length === 0 ? <p className="text-sm text-neutral-400">{t("mo.d.noAfterSales")}</p> : null}
            <ul className="space-y-2 text-sm">
              {o.refundRequests.map((r) => (
                <li key={r.id} className="rounded-md bg-neutral-50 p-2" data-testid="order-refund-request" data-status={r.status}>
                  <span className="font-medium">{t.opt(`afterSales.reason.${r.reason}`, String(r.reason))}</span>
                  {r.detail ? <span className="text-neutral-600">{t("input.colon")}{r.detail}</span> : null}
                  <span className="ml-3"><StatusBadge label={t(`afterSales.status.${r.status}`)} status={r.status} /></span>
                  {r.rejectReason ? <span className="ml-2 text-rose-700">{t("afterSales.rejectReason", { reason: r.rejectReason })}</span> : null}
                  <span className="ml-2 text-xs text-neutral-400">{when.format(r.createdAt)}</span>
                  {r.status === "PENDING" && r.dueAt ? <span className="ml-2 text-xs text-amber-700">{t("afterSales.autoAt", { date: when.format(r.dueAt) })}</span> : null}
                  <PhotoThumbs urls={r.photos} label={t("afterSales.photos")} />
                </li>
              ))}
            </ul>
          </Card>

          <Card title={t("mo.d.timeline")}>
            <ol className="space-y-1 text-sm" data-testid="merchant-order-timeline">
              {o.timeline.map((e, i) => {
                const text = timelineText(t, e);
                return (
                  <li key={i} data-kind={e.kind} className="flex flex-wrap gap-x-3">
                    <span className="w-40 shrink-0 tabular-nums text-neutral-500">{when.format(e.at)}</span>
                    <span>{text.label}</span>
                    {text.detail ? <span className="text-neutral-500">{text.detail}</span> : null}
                    {text.reference ? <span className="font-mono text-xs leading-5 text-neutral-400">{text.reference}</span> : null}
                  </li>
                );
              })}
            </ol>
            {o.audit.length ? (
              <>
                <h3 className="mb-1 mt-4 text-xs font-semibold text-neutral-500">{t("mo.d.audit")}</h3>
                <ul className="space-y-0.5 text-xs text-neutral-600">
                  {o.audit.map((a) => (
                    <li key={a.id}>
                      {when.format(a.at)} {auditActionLabel(t, a.action)}{" · "}
                      {a.actorType === "system" ? t("m.audit.system") : a.actorType === "member" ? t("m.audit.member", { id: a.actorId ?? "" }) + (a.actorName ? ` ${a.actorName}` : "") : a.actorName}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </Card>
        </div>

        <div className="space-y-4">
          <Card title={t("mo.d.buyer")}>
            <p className="text-sm">
              {o.buyer.name} <span className="text-neutral-400">{o.buyer.phoneMasked}</span>
            </p>
            <p className="text-xs text-neutral-500">
              {t.opt(`tier.${o.buyer.tier}`, String(o.buyer.tier))} · #{o.buyer.id}
            </p>
          </Card>
          <Card title={t("mo.d.upline")} testId="order-upline">
            {o.upline.length === 0 ? <p className="text-sm text-neutral-400">{t("mo.d.noUpline")}</p> : null}
            <ol className="space-y-1 text-sm">
              {o.upline.map((u) => (
                <li key={u.id} className="flex items-center gap-2" data-depth={u.depth}>
                  <span className="w-14 text-xs text-neutral-500">{t("mo.d.depth", { n: u.depth })}</span>
                  <span>{u.name}</span>
                  <span className="text-xs text-neutral-400">{u.phoneMasked}</span>
                  {u.earnsLevel ? <StatusBadge label={t("mo.d.earnsLevel", { n: u.earnsLevel })} tone="info" /> : null}
                </li>
              ))}
            </ol>
          </Card>
          <Card title={t("mo.d.address")}>
            <p className="text-sm" data-testid="order-address">{o.address ?? "—"}</p>
            {o.addressMaskedWhy ? <p className="mt-1 text-xs text-neutral-400">{t(ADDRESS_MASK_NOTE[o.addressMaskedWhy])}</p> : null}
          </Card>
          <Card title={t("mo.d.shipment")}>
            <p className="text-sm">{o.shipment ? shipmentText(t, o.shipment) : o.shippedAt ? t("mo.d.shippedNoTracking") : t("mo.d.notShipped")}</p>
            {o.priorityShipping ? <p className="mt-1 text-xs text-orange-700" data-testid="order-priority-note">{t("mo.d.priorityShipping")}</p> : null}
          </Card>
          <Card title={t("mo.d.payment")}>
            {o.payment ? (
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="text-neutral-500">{t("mo.d.provider")}</dt>
                <dd>{providerLabel(t, o.payment.provider)}</dd>
                <dt className="text-neutral-500">{t("mo.d.txn")}</dt>
                <dd className="font-mono text-xs">{o.payment.providerTxnId}</dd>
                <dt className="text-neutral-500">{t("mo.col.payable")}</dt>
                <dd><MoneyCell fen={o.payment.amountFen} /></dd>
                {o.payment.refundNo ? (
                  <>
                    <dt className="text-neutral-500">{t("mo.d.refundNo")}</dt>
                    <dd className="font-mono text-xs">{o.payment.refundNo}</dd>
                  </>
                ) : null}
                {o.providerCalls.map((c) => (
                  <div key={c.idempotencyNo} className="contents">
                    <dt className="text-neutral-500">{t("mo.d.refundCall")}</dt>
                    <dd className="text-xs" data-testid="order-refund-call" data-status={c.status} data-stage={c.refundStage ?? undefined}>
                      {c.refundStage ? t(`mo.d.refundStage.${c.refundStage}`) : t.opt(`mo.d.refundCall.${c.status}`, c.status)}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="text-sm text-neutral-400">{t("mo.d.noPayment")}</p>
            )}
          </Card>
        </div>
      </div>
      {shipping ? (
        <ShipDialog
          order={{ id: o.id, orderNo: o.orderNo }}
          onClose={() => setShipping(false)}
          onShipped={() => {
            setShipping(false);
            focusAfterShip(o.id);
          }}
        />
      ) : null}
      {refunding ? <RefundDialog order={o} onClose={() => setRefunding(false)} /> : null}
    </div>
  );
}
