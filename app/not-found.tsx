import Link from "next/link";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata() {
  return { title: (await getT())("notFound.pageTitle") };
}

export default async function NotFound() {
  const t = await getT();
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-white px-8 text-center">
      <div className="text-5xl font-bold text-rose-200">404</div>
      <h1 className="text-lg font-semibold">{t("notFound.title")}</h1>
      <Link href="/" className="rounded-full bg-rose-600 px-6 py-2 text-sm text-white">
        {t("notFound.home")}
      </Link>
    </main>
  );
}
