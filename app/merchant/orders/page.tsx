import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerAuthSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { MerchantOrders } from "./MerchantOrders";

export const dynamic = "force-dynamic";
export const metadata = { title: "订单管理" };

export default async function MerchantOrdersPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fmerchant%2Forders");
  // The role is re-read from the database (as staffProcedure does): a revoked role counts at once.
  const member = await (await getDb()).member.findUnique({ where: { id: session.user.id }, select: { role: true, frozen: true } });
  if (!member || member.frozen || (member.role !== "STAFF" && member.role !== "ADMIN")) {
    return (
      <main className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-white px-8 text-center" data-testid="forbidden">
        <div className="text-5xl font-bold text-rose-200">403</div>
        <h1 className="text-lg font-semibold">无权访问</h1>
        <p className="text-sm text-neutral-500">该页面仅对商家员工开放</p>
        <Link href="/" className="rounded-full bg-rose-600 px-6 py-2 text-sm text-white">
          返回首页
        </Link>
      </main>
    );
  }
  prefetch(trpc.merchantOrder.list.queryOptions({}));
  return (
    <div className="min-h-dvh bg-neutral-50">
      <header className="sticky top-0 z-10 flex h-11 items-center justify-between border-b border-neutral-200 bg-neutral-900 px-4 text-white">
        <h1 className="text-base font-medium">商家后台 · 订单管理</h1>
        <Link href="/" className="text-xs text-white/70">
          返回商城
        </Link>
      </header>
      <HydrateClient>
        <MerchantOrders />
      </HydrateClient>
    </div>
  );
}
