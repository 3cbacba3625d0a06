// The back office's sidebar: every route of issue 9, grouped; Sidebar shows each to the roles of its area.
import type { MessageKey } from "@/lib/i18n/core";
import type { Area } from "@/server/staff/roles";

export interface NavItem {
  href: string;
  label: MessageKey;
  area: Area;
}

export const NAV: { group: MessageKey | null; items: NavItem[] }[] = [
  { group: null, items: [{ href: "/merchant", label: "m.nav.home", area: "home" }] },
  {
    group: "m.nav.group.trade",
    items: [
      { href: "/merchant/products", label: "m.nav.products", area: "products" },
      { href: "/merchant/orders", label: "m.nav.orders", area: "ordersRead" },
      { href: "/merchant/after-sales", label: "m.nav.afterSales", area: "ordersRead" },
    ],
  },
  { group: "m.nav.group.members", items: [{ href: "/merchant/members", label: "m.nav.members", area: "membersRead" }] },
  {
    group: "m.nav.group.money",
    items: [
      { href: "/merchant/withdrawals", label: "m.nav.withdrawals", area: "withdrawals" },
      { href: "/merchant/adjustments", label: "m.nav.adjustments", area: "adjustments" },
      { href: "/merchant/reconciliation", label: "m.nav.reconciliation", area: "reconciliation" },
      { href: "/merchant/risk", label: "m.nav.risk", area: "risk" },
    ],
  },
  {
    group: "m.nav.group.growth",
    items: [
      { href: "/merchant/kpi", label: "m.nav.kpi", area: "kpi" },
      { href: "/merchant/rules", label: "m.nav.rules", area: "rulesRead" },
      { href: "/merchant/simulator", label: "m.nav.simulator", area: "rulesRead" },
      { href: "/merchant/experiments", label: "m.nav.experiments", area: "rulesRead" },
    ],
  },
  {
    group: "m.nav.group.system",
    items: [
      { href: "/merchant/audit", label: "m.nav.audit", area: "audit" },
      { href: "/merchant/exports", label: "m.nav.exports", area: "home" },
      { href: "/merchant/staff", label: "m.nav.staff", area: "staff" },
      { href: "/merchant/legal", label: "m.nav.legal", area: "rulesWrite" },
      { href: "/merchant/shop", label: "m.nav.shop", area: "home" },
    ],
  },
];
