import Link from "next/link";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata() {
  return { title: (await getT())("notFound.pageTitle") };
}

/**
 * /orders/<id> (and its pay result) when the page calls notFound(): no order with the id and another member's order
 * alike, so the words never tell which (the shop's own not-found page talks about a product taken off the shelf).
 */
export default async function OrderNotFound() {
  const t = await getT();
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-white px-8 text-center">
      <div className="text-5xl font-bold text-rose-200">404</div>
      <h1 className="text-lg font-semibold" data-testid="order-not-found">
        {t("order.notFoundPage.title")}
      </h1>
      <Link prefetch={false} href="/orders" className="rounded-full bg-rose-600 px-6 py-2 text-sm text-white">
        {t("order.notFoundPage.orders")}
      </Link>
      <Link prefetch={false} href="/" className="py-2 text-sm text-neutral-600">
        {t("notFound.home")}
      </Link>
    </main>
  );
}
