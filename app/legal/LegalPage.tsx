import { AppShell } from "@/components/AppShell";
import { Markdown } from "@/components/Markdown";
import { getDb } from "@/server/db";
import { requestShopProfile } from "@/app/_lib/shop";
import { requestTimeZone } from "@/app/_lib/time-zone";
import { getLocale, getT } from "@/lib/i18n/server";
import { formatDate } from "@/lib/format-date";
import { legalDocument, type LegalKind } from "@/server/legal/documents";

/**
 * 用户协议 / 隐私政策 as shoppers read them: the merchant's text in their language when saved, else the app's default in
 * it; the merchant's Chinese text with no version in theirs, with a note that it applies; the merchant's English text
 * older than a change of the Chinese, with a note that the Chinese applies and when it changed.
 */
export async function LegalPage({ kind }: { kind: LegalKind }) {
  const [t, locale, timeZone] = await Promise.all([getT(), getLocale(), requestTimeZone()]);
  // The default text names the shop from this request's read of the 店铺资料 (the root metadata's too): one read a page.
  const doc = await legalDocument(await getDb(), kind, locale, requestShopProfile);
  return (
    <AppShell title={t(`legal.${kind}.title`)} back="/" tabs={false}>
      <article className="m-3 rounded-2xl bg-white p-4 text-sm leading-6 text-neutral-700 [overflow-wrap:anywhere]" data-testid="legal-document" data-version={doc.version}>
        <p className="text-xs text-neutral-600">
          {t("legal.version", { version: doc.version })}
          {doc.savedAt ? ` · ${t("legal.updated", { date: formatDate(doc.savedAt, { timeZone }) })}` : null}
        </p>
        {doc.chineseApplies ? (
          <p className="mt-2 rounded bg-amber-50 px-2 py-1.5 text-xs text-amber-800" data-testid="legal-chinese-applies">
            {t("legal.chineseApplies")}
          </p>
        ) : null}
        {doc.chineseUpdatedAt ? (
          <p className="mt-2 rounded bg-amber-50 px-2 py-1.5 text-xs text-amber-800" data-testid="legal-en-outdated">
            {t("legal.enOutdated", { date: formatDate(doc.chineseUpdatedAt, { timeZone }) })}
          </p>
        ) : null}
        <div lang={doc.chineseApplies ? "zh-CN" : undefined}>
          <Markdown text={doc.body} />
        </div>
      </article>
    </AppShell>
  );
}
