import { formatYuan } from "@/components/money";
import { formatDateTime } from "@/lib/format-date";

export function fmtTime(d: Date | string | null | undefined): string {
  return d ? formatDateTime(d) : "";
}

const EVIDENCE_LABEL: Record<string, string> = {
  ip: "注册 IP",
  device: "设备",
  addressHash: "收货地址指纹",
  order: "订单",
  orders: "订单",
  sponsorOrder: "上级的同地址订单",
  goodsFen: "商品金额",
  refundsIn30Days: "30 天内退款次数",
  signupsInWindow: "60 分钟内同 IP 注册数",
  code: "邀请码",
  count: "次数",
};

/** One row per evidence field: a Chinese label and a readable value (fen as 元, lists joined). */
export function evidenceRows(evidence: unknown): { key: string; label: string; value: string }[] {
  if (evidence === null || evidence === undefined) return [];
  if (typeof evidence !== "object" || Array.isArray(evidence)) return [{ key: "value", label: "证据", value: show("value", evidence) }];
  return Object.entries(evidence as Record<string, unknown>).map(([key, v]) => ({ key, label: EVIDENCE_LABEL[key] ?? key, value: show(key, v) }));
}

function show(key: string, v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number" && /Fen$/.test(key) && Number.isSafeInteger(v)) return formatYuan(v);
  if (Array.isArray(v)) return v.map((x) => show(key, x)).join("、");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
