import Link from "next/link";
import { getT } from "@/lib/i18n/server";
import { TabBar } from "./TabBar";

/**
 * Page frame for the shopper H5: optional top bar, content, and the bottom tab bar. Each page has one h1:
 * the bar's title, unless `titleIsHeading` is false (the page has its own); `heading` is a screen-reader
 * h1 for pages without a bar or a visible heading.
 */
export async function AppShell({
  title,
  back,
  children,
  tabs = true,
  titleIsHeading = true,
  heading,
}: {
  title?: string;
  back?: string;
  children: React.ReactNode;
  tabs?: boolean;
  titleIsHeading?: boolean;
  heading?: string;
}) {
  const Title = titleIsHeading ? "h1" : "div";
  const t = await getT();
  return (
    <>
      {title ? (
        <header className="sticky top-0 z-10 flex h-11 items-center justify-center border-b border-neutral-100 bg-white/95 backdrop-blur">
          {back ? (
            <Link prefetch={false} href={back} className="absolute left-0 top-0 flex h-11 min-w-12 items-center pl-4 text-2xl leading-none text-neutral-600" aria-label={t("common.back")}>
              ‹
            </Link>
          ) : null}
          <Title className="text-base font-medium">{title}</Title>
        </header>
      ) : null}
      {/* Clear of the tab bar, whose height grows by the phone's bottom safe area. */}
      <main className={tabs ? "pb-[calc(5rem+env(safe-area-inset-bottom))]" : "pb-6"}>
        {heading ? <h1 className="sr-only">{heading}</h1> : null}
        {children}
      </main>
      {tabs ? <TabBar /> : null}
    </>
  );
}
