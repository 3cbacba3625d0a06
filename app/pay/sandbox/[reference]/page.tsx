import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getServerAuthSession } from "@/server/auth";
import { formatFen } from "@/components/money";
import { getDb } from "@/server/db";
import { getT } from "@/lib/i18n/server";
import { getShopName } from "@/app/_lib/shop";
import { ConfirmButton } from "./ConfirmButton";
import { confirmSandboxPayment } from "./actions";
import { appNow } from "@/server/clock/app-clock";
import { sandboxTradeClosed } from "@/server/payments/sandbox";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("cashier.title") };
}

/** The sandbox provider's cashier: stands in for the WeChat Pay / Alipay payment sheet. */
export default async function SandboxCashier({ params }: { params: Promise<{ reference: string }> }) {
  // Next has already decoded the route param: a second decode would throw on a "%".
  const reference = (await params).reference;
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(`/pay/sandbox/${encodeURIComponent(reference)}`)}`);
  const db = await getDb();
  const intent = await db.paymentIntent.findUnique({ where: { reference } });
  if (!intent || intent.provider !== "sandbox") notFound();
  const order = await db.order.findUnique({ where: { id: intent.orderId }, select: { id: true, orderNo: true, status: true, memberId: true } });
  // Someone else's order: the cashier does not exist for them.
  if (!order || order.memberId !== session.user.id) notFound();
  const closed = order.status === "CANCELLED" || (order.status === "PENDING_PAYMENT" && sandboxTradeClosed(intent, appNow()));
  const payable = order.status === "PENDING_PAYMENT" && intent.status === "CREATED" && !closed;
  const [yuan, cents] = formatFen(intent.amountFen).split(".");
  const [t, merchant] = await Promise.all([getT(), getShopName()]);

  return (
    <div className="flex min-h-dvh flex-col bg-[#ededed]">
      <header className="relative flex h-11 items-center justify-center bg-[#ededed] text-[15px] font-medium text-neutral-800">
        <Link href={`/orders/${order.id}`} className="absolute left-3 text-sm text-neutral-600 after:absolute after:-inset-x-3 after:-inset-y-3">
          {t("common.cancel")}
        </Link>
        {t("cashier.title")}
        <span className="absolute right-3 rounded bg-amber-100 px-1.5 py-0.5 text-[10px] text-amber-700">{t("cashier.sandbox")}</span>
      </header>

      <main className="flex flex-1 flex-col px-4 pt-8">
        <div className="flex flex-col items-center text-center">
          <span className="flex h-12 w-12 items-center justify-center rounded-full bg-gradient-to-br from-orange-500 to-rose-600 text-lg font-bold text-white" aria-hidden>
            {t("cashier.logo")}
          </span>
          <div className="mt-3 text-sm text-neutral-600" data-testid="cashier-merchant">
            {merchant}
          </div>
          <div className="mt-2 font-semibold tabular-nums text-neutral-900" data-testid="cashier-amount">
            <span className="text-2xl">¥</span>
            <span className="text-5xl">{yuan}</span>
            <span className="text-2xl">.{cents}</span>
          </div>
        </div>

        <dl className="mt-8 divide-y divide-neutral-100 rounded-xl bg-white px-4 text-sm">
          <div className="flex justify-between py-3">
            <dt className="text-neutral-500">{t("cashier.payee")}</dt>
            <dd>{merchant}</dd>
          </div>
          <div className="flex justify-between py-3">
            <dt className="text-neutral-500">{t("order.number")}</dt>
            <dd className="font-mono text-xs leading-5 tabular-nums" data-testid="cashier-order-no">
              {order.orderNo}
            </dd>
          </div>
          <div className="flex justify-between py-3">
            <dt className="text-neutral-500">{t("cashier.method")}</dt>
            <dd className="flex items-center gap-1.5">
              <span className="inline-block h-4 w-4 rounded bg-emerald-500" aria-hidden />
              {t("cashier.sandboxBalance")}
            </dd>
          </div>
        </dl>

        <div className="mt-auto pb-[max(2rem,env(safe-area-inset-bottom))] pt-10">
          {payable ? (
            <form action={confirmSandboxPayment}>
              <input type="hidden" name="reference" value={reference} />
              <ConfirmButton />
            </form>
          ) : (
            <div className="space-y-3 text-center">
              <p className="text-sm text-neutral-500" role="status">
                {closed ? t("cashier.closed") : order.status === "PENDING_PAYMENT" ? t("cashier.submitted") : t("cashier.alreadyPaid")}
              </p>
              <Link href={`/orders/${order.id}`} className="block h-12 rounded-lg bg-white text-base leading-[3rem] text-neutral-700">
                {t("order.view")}
              </Link>
            </div>
          )}
          <p className="mt-4 text-center text-[11px] text-neutral-400">{t("cashier.note")}</p>
        </div>
      </main>
    </div>
  );
}
