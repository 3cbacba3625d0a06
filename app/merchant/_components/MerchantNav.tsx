"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/merchant/orders", label: "订单" },
  { href: "/merchant/products", label: "商品" },
  { href: "/merchant/withdrawals", label: "提现审核" },
  { href: "/merchant/risk", label: "风控审核" },
] as const;

export function MerchantNav() {
  const pathname = usePathname() ?? "";
  return (
    <nav className="flex border-b border-neutral-200 bg-white text-sm" aria-label="商家后台">
      {TABS.map((t) => {
        const active = pathname === t.href || pathname.startsWith(`${t.href}/`);
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={`flex-1 border-b-2 py-2 text-center ${active ? "border-neutral-900 font-medium text-neutral-900" : "border-transparent text-neutral-500"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
