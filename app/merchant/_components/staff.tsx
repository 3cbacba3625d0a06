import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerAuthSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { MerchantNav } from "./MerchantNav";

/**
 * Staff gate for merchant pages: signs the visitor in first, then re-reads the role from the
 * database (as staffProcedure does, so a revoked role counts at once). Returns the 403 page for
 * anyone who is not STAFF/ADMIN, or null when the visitor may proceed.
 */
export async function staffGate(callbackPath: string): Promise<React.ReactElement | null> {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  const member = await (await getDb()).member.findUnique({ where: { id: session.user.id }, select: { role: true, frozen: true } });
  if (!member || member.frozen || (member.role !== "STAFF" && member.role !== "ADMIN")) return <Forbidden />;
  return null;
}

export function Forbidden() {
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

/** The dark back-office header with its title and the 订单 / 提现审核 / 风控审核 tabs. */
export function MerchantHeader({ title }: { title: string }) {
  return (
    <div className="sticky top-0 z-10">
      <header className="flex h-11 items-center justify-between border-b border-neutral-200 bg-neutral-900 px-4 text-white">
        <h1 className="text-base font-medium">商家后台 · {title}</h1>
        <Link href="/" className="text-xs text-white/70">
          返回商城
        </Link>
      </header>
      <MerchantNav />
    </div>
  );
}
