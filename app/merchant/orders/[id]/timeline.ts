// The order timeline's steps in the viewer's language: the server sends codes and facts
// (server/orders/merchant.ts TimelineEvent), this words them; the zh-CN wording is the timeline's original one.
import type { Translator } from "@/lib/i18n/core";
import { providerLabel } from "@/components/merchant/provider";
import { carrierLabel } from "@/lib/i18n/labels";

/** The codes and facts of one step, as the detail query returns them (dates may arrive as strings). */
export type TimelineStep =
  | { kind: "created" | "delivered" | "completed" | "cancelled" }
  | { kind: "paid"; provider: string | null; providerTxnId: string | null }
  | { kind: "shipped"; carrier: string | null; trackingNo: string | null }
  | { kind: "refund_requested"; reason: string; detail: string | null }
  | { kind: "refund_approved" | "refund_rejected" | "refund_closed" | "refund_pending"; status: string; rejectReason: string | null; auto: boolean }
  | { kind: "refunded"; refundNo: string | null; viaProvider?: boolean }
  | { kind: "refund_done"; refundNo: string | null };

export interface TimelineText {
  label: string;
  /** What happened, in words (provider, carrier, reason). */
  detail: string | null;
  /** A reference number shown beside it, as it is (transaction id, tracking number, refund number). */
  reference: string | null;
}

/** A carrier as the ship dialog offers it: its name, then the code the bulk CSV also takes unless the name shows it (顺丰速运 SF, China Post EMS). */
export function carrierChoice(t: Translator, code: string): string {
  const name = carrierLabel(t, code);
  return name.includes(code) ? name : `${name} ${code}`;
}

/** A parcel as the orders list and the order page show it: the carrier's name and the tracking number. */
export function shipmentText(t: Translator, shipment: { carrier: string; trackingNo: string }): string {
  return `${carrierLabel(t, shipment.carrier)} ${shipment.trackingNo}`;
}

export function timelineText(t: Translator, e: TimelineStep): TimelineText {
  switch (e.kind) {
    case "paid":
      return { label: t("mo.timeline.paid"), detail: e.provider ? providerLabel(t, e.provider) : null, reference: e.providerTxnId };
    case "shipped":
      return { label: t("mo.timeline.shipped"), detail: e.carrier ? carrierLabel(t, e.carrier) : null, reference: e.trackingNo };
    case "refund_requested": {
      const reason = t.opt(`afterSales.reason.${e.reason}`, e.reason);
      return { label: t("mo.timeline.refund_requested"), detail: e.detail ? t("mo.timeline.reasonDetail", { reason, detail: e.detail }) : reason, reference: null };
    }
    case "refund_approved":
    case "refund_rejected":
    case "refund_closed":
    case "refund_pending":
      return {
        label: t.opt(`afterSales.status.${e.status}`, e.status),
        detail: e.status === "REJECTED" ? e.rejectReason : e.auto ? t("mo.timeline.autoApproved") : null,
        reference: null,
      };
    case "refunded":
      return { label: t(e.viaProvider ? "mo.timeline.refundIssued" : "mo.timeline.refunded"), detail: null, reference: e.refundNo };
    case "refund_done":
      return { label: t("mo.timeline.refunded"), detail: null, reference: e.refundNo };
    default:
      return { label: t(`mo.timeline.${e.kind}`), detail: null, reference: null };
  }
}
