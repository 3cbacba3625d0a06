import type { Metadata, Viewport } from "next";
import "./globals.css";
import { I18nProvider } from "@/lib/i18n/client";
import { getLocale, getMessages, getT } from "@/lib/i18n/server";
import { getShopName } from "@/app/_lib/shop";
import { requestTimeZone } from "@/app/_lib/time-zone";
import { TimeZoneProvider } from "@/lib/time-zone";
import { siteDescription } from "@/lib/i18n/rebate-offer";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";

export async function generateMetadata(): Promise<Metadata> {
  const [t, shop] = await Promise.all([getT(), getShopName()]);
  // The rules in force, not a fixed promise: a cached page (server/page-cache.ts) is dropped on a rules change.
  const { rebate } = await loadConfig(await getDb());
  return {
    // Next fills the template's every %s with the page's title: one in the shop's name must stay as typed.
    title: { default: shop, template: t("app.titleTemplate", { shop: shop.replaceAll("%s", "%\u200bs") }) },
    description: siteDescription(t, rebate),
    applicationName: shop,
    openGraph: { siteName: shop },
    formatDetection: { telephone: false },
  };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  viewportFit: "cover",
  themeColor: "#e11d48",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The language first: it reads the cookie, so a build's prerender stops there before touching the database.
  const locale = await getLocale();
  const [messages, timeZone] = await Promise.all([getMessages("core"), requestTimeZone()]);
  return (
    <html lang={locale}>
      <body>
        <I18nProvider locale={locale} messages={messages}>
          <TimeZoneProvider timeZone={timeZone}>
            {/* The shop is a phone-width column; the back office (data-merchant-shell) takes the whole window. */}
            <div className="relative mx-auto min-h-dvh max-w-md bg-neutral-50 shadow-sm has-[[data-merchant-shell]]:max-w-none has-[[data-merchant-shell]]:shadow-none">{children}</div>
          </TimeZoneProvider>
        </I18nProvider>
      </body>
    </html>
  );
}
