const TONE: Record<string, string> = {
  PENDING_PAYMENT: "text-orange-600",
  PAID: "text-rose-600",
  SHIPPED: "text-sky-600",
  DELIVERED: "text-emerald-600",
  COMPLETED: "text-neutral-500",
  CANCELLED: "text-neutral-400",
  REFUNDED: "text-neutral-500",
};

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <span className={`text-sm ${TONE[status] ?? "text-neutral-500"}`} data-testid="order-status" data-status={status}>
      {label}
    </span>
  );
}
