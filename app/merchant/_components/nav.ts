// The back office's sidebar: every route of issue 9, grouped. `built: false` shows the entry greyed
// ("coming soon") until its page exists; set it to true in the change that adds the page.
import type { MessageKey } from "@/lib/i18n/core";
import type { Area } from "@/server/staff/roles";

export interface NavItem {
  href: string;
  label: MessageKey;
  area: Area;
  built: boolean;
}

export const NAV: { group: MessageKey | null; items: NavItem[] }[] = [
  { group: null, items: [{ href: "/merchant", label: "m.nav.home", area: "home", built: true }] },
  {
    group: "m.nav.group.trade",
    items: [
      { href: "/merchant/products", label: "m.nav.products", area: "products", built: true },
      { href: "/merchant/orders", label: "m.nav.orders", area: "ordersRead", built: true },
      { href: "/merchant/after-sales", label: "m.nav.afterSales", area: "ordersRead", built: true },
    ],
  },
  { group: "m.nav.group.members", items: [{ href: "/merchant/members", label: "m.nav.members", area: "membersRead", built: true }] },
  {
    group: "m.nav.group.money",
    items: [
      { href: "/merchant/withdrawals", label: "m.nav.withdrawals", area: "withdrawals", built: true },
      { href: "/merchant/adjustments", label: "m.nav.adjustments", area: "adjustments", built: true },
      { href: "/merchant/reconciliation", label: "m.nav.reconciliation", area: "reconciliation", built: true },
      { href: "/merchant/risk", label: "m.nav.risk", area: "risk", built: true },
    ],
  },
  {
    group: "m.nav.group.growth",
    items: [
      { href: "/merchant/kpi", label: "m.nav.kpi", area: "kpi", built: true },
      { href: "/merchant/rules", label: "m.nav.rules", area: "rulesRead", built: true },
      { href: "/merchant/simulator", label: "m.nav.simulator", area: "rulesRead", built: true },
      { href: "/merchant/experiments", label: "m.nav.experiments", area: "rulesRead", built: true },
    ],
  },
  {
    group: "m.nav.group.system",
    items: [
      { href: "/merchant/audit", label: "m.nav.audit", area: "audit", built: true },
      { href: "/merchant/exports", label: "m.nav.exports", area: "home", built: true },
      { href: "/merchant/staff", label: "m.nav.staff", area: "staff", built: true },
    ],
  },
];
