import { I18nProvider } from "@/lib/i18n/client";
import { getLocale, getMessages } from "@/lib/i18n/server";

/**
 * The layout of the shop's route segments other than the home page (`export { default } from …`): it sends their
 * client components the shop's messages. The root layout sends only the home page's (the tab bar's), which kept
 * the home page's HTML within the first round trip.
 */
export default async function ShopLayout({ children }: { children: React.ReactNode }) {
  const [locale, messages] = await Promise.all([getLocale(), getMessages("shop")]);
  return (
    <I18nProvider locale={locale} messages={messages}>
      {children}
    </I18nProvider>
  );
}
