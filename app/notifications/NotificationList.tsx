"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import type { MessageKey } from "@/lib/i18n/core";
import { formatDateTime } from "@/lib/format-date";
import { useT } from "@/lib/i18n/client";
import { useTimeZone } from "@/lib/time-zone";
import { noticeText } from "@/lib/i18n/notices";
import { errorText } from "@/lib/i18n/labels";

/** Icon letter per notification kind (written by the engine: payment, shipment, refund, ...). */
export function kindMark(kind: string): MessageKey {
  if (kind.startsWith("withdrawal")) return "notifications.mark.withdrawal";
  if (kind.startsWith("rebate")) return "notifications.mark.rebate";
  if (kind.startsWith("commission")) return "notifications.mark.commission";
  if (kind.startsWith("tier")) return "notifications.mark.tier";
  if (kind.startsWith("ship")) return "notifications.mark.ship";
  if (kind === "team_bonus") return "notifications.mark.teamBonus";
  if (kind === "step_bonus") return "notifications.mark.stepBonus";
  if (kind === "distributor") return "notifications.mark.distributor";
  if (kind === "account") return "notifications.mark.account";
  if (kind === "team") return "notifications.mark.team";
  if (kind === "wallet") return "notifications.mark.wallet";
  if (kind.startsWith("refund")) return "notifications.mark.refund";
  return "notifications.mark.order";
}

export function NotificationList() {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.notification.list.queryOptions());
  const markRead = useMutation(
    trpc.notification.markRead.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.notification.pathKey() }) }),
  );

  if (list.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (list.isError) return <p className="py-16 text-center text-sm text-rose-600">{errorText(t, list.error)}</p>;
  const { items, unread } = list.data;

  return (
    <div className="p-3 text-sm">
      <div className="-mt-3 flex min-h-11 items-center justify-between px-1 text-xs text-neutral-500">
        <span data-testid="unread-count">{unread ? t("notifications.unread", { n: unread }) : t("notifications.noUnread")}</span>
        {unread ? (
          <button type="button" className="-mx-2 min-h-11 px-2 text-rose-600" onClick={() => markRead.mutate({})} disabled={markRead.isPending}>
            {t("notifications.markAll")}
          </button>
        ) : null}
      </div>
      {items.length === 0 ? (
        <p className="py-16 text-center text-neutral-400">{t("notifications.empty")}</p>
      ) : (
        <ul className="divide-y divide-neutral-100 overflow-hidden rounded-2xl bg-white">
          {items.map((n) => {
            const { title, body } = noticeText(t, n);
            return (
              <li key={n.id} data-testid="notification" data-read={n.read ? "1" : "0"}>
                <button
                  type="button"
                  className="flex w-full gap-3 p-3 text-left"
                  onClick={() => {
                    if (!n.read) markRead.mutate({ ids: [n.id] });
                  }}
                >
                  <span className="relative flex h-9 w-9 shrink-0 items-center justify-center rounded-full bg-rose-50 text-rose-600">
                    {t(kindMark(n.kind))}
                    {!n.read ? <span className="absolute -right-0.5 -top-0.5 h-2.5 w-2.5 rounded-full bg-rose-500" aria-label={t("notifications.unreadDot")} /> : null}
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="flex justify-between gap-2">
                      <span className={n.read ? "text-neutral-600" : "font-medium"}>{title}</span>
                      <span className="shrink-0 text-xs text-neutral-400">{formatDateTime(n.createdAt, { timeZone })}</span>
                    </span>
                    <span className="mt-0.5 block text-xs text-neutral-500">{body}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
