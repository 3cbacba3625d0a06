import Link from "next/link";
import { getT } from "@/lib/i18n/server";
import { api } from "@/trpc/server";
import { formatYuanGrouped } from "@/components/money";
import { canAccess, roleAllowed } from "@/server/staff/roles";
import { SETUP_ROLES } from "@/server/setup/checklist";
import { PageHeader, staffGate } from "./_components/staff";
import { FailedJobsNotice } from "./_components/FailedJobsNotice";
import { SetupChecklist } from "./_components/SetupChecklist";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.home") };
}

export default async function MerchantHome() {
  const staff = await staffGate("/merchant", "home");
  const t = await getT();
  const [f, setup, stuckRefunds] = await Promise.all([
    api.merchantHome.figures(),
    roleAllowed(staff.role, SETUP_ROLES) ? api.merchantHome.setup() : null,
    // Only for the roles that may open the orders list it links to.
    canAccess(staff.role, "ordersRead") ? api.merchantOrder.stuckRefundCount() : 0,
  ]);
  // The API answers null for what the role may not see: only the rest is shown.
  const todo: { key: string; label: string; value: number | null; href: string | null }[] = [
    { key: "toShip", label: t("m.home.toShip"), value: f.todo.toShip, href: "/merchant/orders?status=PAID" },
    { key: "refunds", label: t("m.home.refunds"), value: f.todo.refundRequests, href: "/merchant/after-sales" },
    { key: "withdrawals", label: t("m.home.withdrawals"), value: f.todo.withdrawalsToApprove, href: "/merchant/withdrawals" },
    // Failed payouts wait for finance's decision (重新打款, or the member fixes their payee account first): the list shows exactly those.
    { key: "payoutsFailed", label: t("m.home.payoutsFailed"), value: f.todo.payoutsFailed, href: "/merchant/withdrawals?status=FAILED&payout=failedAwaiting" },
    { key: "risk", label: t("m.home.riskCases"), value: f.todo.riskCases, href: "/merchant/risk" },
    { key: "failedJobs", label: t("m.home.failedJobs"), value: f.todo.failedJobs, href: null },
  ].filter((x) => x.value !== null);
  const figures = [
    { key: "paidOrders", label: t("m.home.paidOrders"), value: f.today.paidOrders === null ? null : String(f.today.paidOrders) },
    { key: "gmv", label: t("m.home.gmv"), value: f.today.gmvFen === null ? null : formatYuanGrouped(f.today.gmvFen) },
    { key: "refunds", label: t("m.home.refunded", { n: f.today.refundedOrders ?? 0 }), value: f.today.refundedFen === null ? null : formatYuanGrouped(f.today.refundedFen) },
    { key: "newMembers", label: t("m.home.newMembers"), value: String(f.today.newMembers) },
  ].filter((x) => x.value !== null);
  return (
    <div>
      <PageHeader title={t("m.home.welcome", { name: staff.displayName })} />
      {setup && <SetupChecklist setup={setup} role={staff.role} t={t} />}
      {stuckRefunds > 0 && (
        <Link href="/merchant/orders?status=REFUND_STUCK" className="mb-6 block rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-rose-700 hover:border-rose-400" data-testid="notice-stuckRefunds">
          <span className="font-semibold">{t("m.home.stuckRefunds", { n: stuckRefunds })}</span>
          <span className="ml-2 text-sm">{t("m.home.stuckRefundsHint")}</span>
        </Link>
      )}
      {f.todo.payoutsBlocked ? (
        // Approved but skipped by the payout: the member is frozen or under risk review; the list shows exactly those.
        <Link href="/merchant/withdrawals?status=APPROVED&payout=blocked" className="mb-6 block rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-rose-700 hover:border-rose-400" data-testid="notice-payoutsBlocked">
          <span className="font-semibold">{t("mw.home.payoutBlocked", { n: f.todo.payoutsBlocked })}</span>
          <span className="ml-2 text-sm">{t("mw.home.payoutBlockedHint")}</span>
        </Link>
      ) : null}
      <section className="mb-6">
        <h2 className="mb-2 text-sm font-medium text-neutral-500">{t("m.home.today")}</h2>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {figures.map((x) => (
            <div key={x.key} className="rounded-lg border border-neutral-200 bg-white p-4" data-testid={`figure-${x.key}`}>
              <div className="text-xs text-neutral-500">{x.label}</div>
              <div className="mt-1 text-2xl font-semibold tabular-nums">{x.value}</div>
            </div>
          ))}
        </div>
      </section>
      <section>
        <h2 className="mb-2 text-sm font-medium text-neutral-500">{t("m.home.todo")}</h2>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
          {todo.map((x) => {
            const body = (
              <>
                <div className="text-xs text-neutral-500">{x.label}</div>
                <div className={`mt-1 text-2xl font-semibold tabular-nums ${x.value ? "text-rose-600" : "text-neutral-400"}`}>{x.value ?? "—"}</div>
              </>
            );
            return x.href ? (
              <Link key={x.key} href={x.href} className="rounded-lg border border-neutral-200 bg-white p-4 hover:border-neutral-400" data-testid={`todo-${x.key}`}>
                {body}
              </Link>
            ) : (
              <div key={x.key} className="rounded-lg border border-neutral-200 bg-white p-4" data-testid={`todo-${x.key}`}>
                {body}
              </div>
            );
          })}
        </div>
      </section>
      {canAccess(staff.role, "jobs") && (
        <div className="mt-4 overflow-hidden rounded-lg">
          <FailedJobsNotice />
        </div>
      )}
    </div>
  );
}
