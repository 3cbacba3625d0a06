import Link from "next/link";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { formatFen } from "@/components/money";
import { getServerAuthSession } from "@/server/auth";
import { api } from "@/trpc/server";
import { SignOutButton } from "./SignOutButton";

export const dynamic = "force-dynamic";
export const metadata = { title: "我的" };

const ORDER_TABS = [
  { status: "PENDING_PAYMENT", label: "待付款", tab: "unpaid" },
  { status: "PAID", label: "待发货", tab: "unshipped" },
  { status: "SHIPPED", label: "待收货", tab: "shipped" },
  { status: "DELIVERED", label: "待完成", tab: "done" },
  { status: "COMPLETED", label: "已完成", tab: "done" },
];

export default async function MePage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fme");
  const me = await api.member.me();
  return (
    <AppShell>
      <header className="relative bg-gradient-to-br from-rose-600 to-orange-500 px-4 pb-16 pt-8 text-white">
        <Link href="/notifications" aria-label={`消息中心${me.unreadNotifications ? `，${me.unreadNotifications} 条未读` : ""}`} className="absolute right-4 top-4 p-1" data-testid="bell">
          <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
            <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
          {me.unreadNotifications ? (
            <span className="absolute -right-1 -top-1 min-w-4 rounded-full bg-white px-1 text-center text-[10px] font-bold leading-4 text-rose-600" data-testid="bell-badge">
              {me.unreadNotifications > 99 ? "99+" : me.unreadNotifications}
            </span>
          ) : null}
        </Link>
        <div className="flex items-center gap-3">
          <span className="flex h-14 w-14 items-center justify-center rounded-full bg-white/25 text-2xl font-bold">{Array.from(me.nickname ?? "会")[0]}</span>
          <div>
            <div className="text-lg font-semibold" data-testid="me-nickname">
              {me.nickname ?? "会员"}
            </div>
            <div className="mt-0.5 flex items-center gap-2 text-xs text-white/85">
              <span>{me.phoneMasked}</span>
              <span className="rounded-full bg-white/25 px-2 py-0.5">{me.tierLabel}</span>
            </div>
          </div>
        </div>
      </header>
      <section className="-mt-10 mx-3 grid grid-cols-3 rounded-2xl bg-white py-4 text-center shadow-sm">
        <div>
          <div className="text-lg font-semibold tabular-nums">{formatFen(me.wallet.available)}</div>
          <div className="text-xs text-neutral-500">可提现(元)</div>
        </div>
        <div>
          <div className="text-lg font-semibold tabular-nums">{formatFen(me.wallet.pending)}</div>
          <div className="text-xs text-neutral-500">待结算(元)</div>
        </div>
        <div>
          <div className="text-lg font-semibold tabular-nums">{formatFen(me.wallet.credit)}</div>
          <div className="text-xs text-neutral-500">购物金(元)</div>
        </div>
      </section>
      <section className="mx-3 mt-3 rounded-2xl bg-white p-4">
        <Link href="/orders" className="flex justify-between">
          <h2 className="text-sm font-semibold">我的订单</h2>
          <span className="text-xs text-neutral-400">全部订单 ›</span>
        </Link>
        <div className="mt-3 grid grid-cols-5 text-center text-xs text-neutral-600">
          {ORDER_TABS.map((t) => (
            <Link key={t.status} href={`/orders?tab=${t.tab}`} className="flex flex-col items-center gap-1">
              <span className="text-base font-semibold tabular-nums text-neutral-900">{me.orderCounts[t.status] ?? 0}</span>
              {t.label}
            </Link>
          ))}
        </div>
      </section>
      <section className="mx-3 mt-3 divide-y divide-neutral-100 rounded-2xl bg-white text-sm">
        <Link href="/wallet" className="flex justify-between p-4">
          <span>我的钱包</span>
          <span className="text-neutral-400">可提现 ¥{formatFen(me.wallet.available)} ›</span>
        </Link>
        <Link href="/promote" className="flex justify-between p-4">
          <span>我的推广</span>
          <span className="text-neutral-400">直推 {me.qualifiedDirects} · 团队 {me.teamSize} ›</span>
        </Link>
        <div className="flex justify-between p-4">
          <span>我的邀请码</span>
          <span className="font-mono tracking-widest text-rose-600">{me.referralCode}</span>
        </div>
        <div className="flex justify-between p-4">
          <span>推荐人</span>
          <span className="text-neutral-400" data-testid="sponsor">
            {me.sponsor?.nickname ?? "无"}
          </span>
        </div>
        <Link href="/notifications" className="flex justify-between p-4" data-testid="me-notifications">
          <span>消息通知</span>
          <span className="text-neutral-400">{me.unreadNotifications ? `${me.unreadNotifications} 条未读` : "暂无新消息"} ›</span>
        </Link>
        {me.role === "STAFF" || me.role === "ADMIN" ? (
          <Link href="/merchant/orders" className="flex justify-between p-4">
            <span>商家后台</span>
            <span className="text-neutral-400">订单管理 ›</span>
          </Link>
        ) : null}
      </section>
      <div className="mx-3 mt-4">
        <SignOutButton />
      </div>
    </AppShell>
  );
}
