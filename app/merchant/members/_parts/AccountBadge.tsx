"use client";

import { StatusBadge } from "@/components/merchant/StatusBadge";
import { useT } from "@/lib/i18n/client";

/** A member's account status: 已注销 before 已冻结 (a deleted account is frozen too); 正常 only where `active` asks for it. */
export function AccountBadge({ frozen, deletedAt, active = false }: { frozen: boolean; deletedAt: Date | null; active?: boolean }) {
  const t = useT();
  if (deletedAt) return <StatusBadge label={t("mm.deletedBadge")} tone="neutral" status="deleted" />;
  if (frozen) return <StatusBadge label={t("mm.frozenBadge")} tone="danger" status="frozen" />;
  return active ? <StatusBadge label={t("mm.active")} tone="success" status="active" /> : null;
}
