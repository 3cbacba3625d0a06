import { notFound, redirect } from "next/navigation";
import { getServerAuthSession } from "@/server/auth";
import { formatFen } from "@/components/money";
import { getDb } from "@/server/db";
import { cashierView } from "@/server/payments";
import { getT } from "@/lib/i18n/server";
import { getShopName } from "@/app/_lib/shop";
import { WechatPayButton } from "./WechatPayButton";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("cashier.title") };
}

/** WeChat Pay JSAPI: opens WeChat's own payment sheet with the prepay parameters signed by the server. */
export default async function WechatCashier({ params }: { params: Promise<{ reference: string }> }) {
  // Next has already decoded the route param: a second decode would throw on a "%".
  const reference = (await params).reference;
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(`/pay/wechatpay/${encodeURIComponent(reference)}`)}`);
  const view = await cashierView(await getDb(), { reference, memberId: session.user.id, provider: "wechatpay" });
  if (!view) notFound();
  const [t, shop] = await Promise.all([getT(), getShopName()]);
  return (
    <main className="flex min-h-dvh flex-col items-center bg-[#ededed] px-4 pt-16">
      <div className="text-sm text-neutral-600">{shop}</div>
      <div className="mt-2 text-4xl font-semibold tabular-nums" data-testid="cashier-amount">
        ¥{formatFen(view.amountFen)}
      </div>
      <div className="mt-1 font-mono text-xs text-neutral-500">{view.orderNo}</div>
      <div className="mt-10 w-full max-w-sm">
        {view.payable && view.params ? (
          <WechatPayButton params={view.params} resultUrl={`/orders/${view.orderId}/result`} />
        ) : (
          <a href={`/orders/${view.orderId}`} className="block h-12 rounded-lg bg-white text-center text-base leading-[3rem] text-neutral-700">
            {t("order.view")}
          </a>
        )}
      </div>
    </main>
  );
}
