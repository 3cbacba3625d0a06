import Link from "next/link";
import { AppShell } from "@/components/AppShell";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata() {
  return { title: (await getT())("account.delete.done.title") };
}

/** Where a deleted account lands once signed out: the notice, and the way back to the home page. */
export default async function AccountDeletedPage() {
  const t = await getT();
  return (
    <AppShell title={t("account.delete.done.title")} tabs={false}>
      <section className="m-3 rounded-2xl bg-white p-6 text-center text-sm" role="status" data-testid="account-deleted">
        <p className="leading-6 text-neutral-700">{t("account.delete.done.body")}</p>
        <Link href="/" className="mt-4 inline-flex h-10 items-center rounded-full bg-rose-600 px-6 text-white">
          {t("account.delete.done.home")}
        </Link>
      </section>
    </AppShell>
  );
}
