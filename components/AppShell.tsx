import Link from "next/link";
import { getT } from "@/lib/i18n/server";
import { TabBar } from "./TabBar";

/** Page frame for the shopper H5: optional top bar, content, and the bottom tab bar. */
export async function AppShell({ title, back, children, tabs = true }: { title?: string; back?: string; children: React.ReactNode; tabs?: boolean }) {
  const t = await getT();
  return (
    <>
      {title ? (
        <header className="sticky top-0 z-10 flex h-11 items-center justify-center border-b border-neutral-100 bg-white/95 backdrop-blur">
          {back ? (
            <Link href={back} className="absolute left-2 px-2 text-2xl leading-none text-neutral-600" aria-label={t("common.back")}>
              ‹
            </Link>
          ) : null}
          <h1 className="text-base font-medium">{title}</h1>
        </header>
      ) : null}
      <main className={tabs ? "pb-20" : "pb-6"}>{children}</main>
      {tabs ? <TabBar /> : null}
    </>
  );
}
