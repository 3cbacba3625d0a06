"use client";

// One editor per document and language: the text in force (the app's default until the first save) as Markdown; each
// save, in either language, is a new version, which shoppers accept at their next sign-in. A 店铺资料 change regenerates
// a default text as a version too.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useLocale, useT } from "@/lib/i18n/client";
import { LOCALES, type Locale } from "@/lib/i18n/core";
import { errorText } from "@/lib/i18n/labels";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { SubmitRow } from "@/components/merchant/SubmitRow";

type LegalDoc = RouterOutputs["merchantLegal"]["overview"][number];

export function LegalEditor() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.merchantLegal.overview.queryOptions());
  if (!overview.data) return null;
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {overview.data.map((doc) => (
        <DocumentEditor key={doc.kind} doc={doc} />
      ))}
    </div>
  );
}

function DocumentEditor({ doc }: { doc: LegalDoc }) {
  const t = useT();
  const timeZone = useTimeZone();
  const [locale, setLocale] = useState<Locale>(useLocale());
  const name = t(`m.legal.kind.${doc.kind}`);
  return (
    <section className="rounded-lg border border-neutral-200 bg-white p-4 text-sm" data-testid={`legal-editor-${doc.kind}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-medium">
          {name} · {t("m.legal.version", { version: doc.version })}
        </h2>
        <Link href={`/legal/${doc.kind}`} target="_blank" className="text-xs text-rose-700 underline">
          {t("m.legal.view")}
        </Link>
      </div>
      <div className="mt-3 inline-flex rounded-full border border-neutral-200 p-0.5 text-xs" role="group" aria-label={t("m.legal.languages")}>
        {LOCALES.map((l) => (
          <button
            key={l}
            type="button"
            aria-pressed={l === locale}
            onClick={() => setLocale(l)}
            className={`rounded-full px-3 py-1 ${l === locale ? "bg-rose-50 text-rose-700" : "text-neutral-600"}`}
            data-testid={`legal-lang-${doc.kind}-${l}`}
          >
            {t(`m.legal.lang.${l}`)}
            {l === "en" && doc.enOutdatedAt ? <span className="ml-1 text-amber-700">· {t("m.legal.outdated")}</span> : null}
          </button>
        ))}
      </div>
      {LOCALES.map((l) => (
        <LanguageEditor key={l} doc={doc} locale={l} hidden={l !== locale} />
      ))}
      <h3 className="mt-4 text-xs font-medium text-neutral-600">{t("m.legal.history")}</h3>
      <ul className="mt-1 divide-y divide-neutral-100 text-xs text-neutral-700">
        {doc.history.map((h) => (
          <li key={h.version} className="flex flex-wrap justify-between gap-2 py-1.5">
            <span>{t("m.legal.version", { version: h.version })}</span>
            <span className="text-neutral-600">
              {h.createdAt ? `${h.author ?? t("m.legal.system")} · ${formatDateTime(h.createdAt, { timeZone })}` : t("m.legal.appDefault")}
              {h.source === "regenerated" ? ` · ${t("m.legal.regenerated")}` : h.source === "upgraded" ? ` · ${t("m.legal.upgraded")}` : null}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The document's text in one language; kept mounted while the other language is shown, so an edit survives. */
function LanguageEditor({ doc, locale, hidden }: { doc: LegalDoc; locale: Locale; hidden: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const text = doc.texts[locale];
  // Until the English is saved again after a change of the Chinese (binding) text.
  const outdatedAt = locale === "en" ? doc.enOutdatedAt : null;
  const [body, setBody] = useState(text ?? "");
  const [message, setMessage] = useState<string | null>(null);
  const name = t(`m.legal.kind.${doc.kind}`);
  const save = useMutation(
    trpc.merchantLegal.save.mutationOptions({
      onSuccess: async (r) => {
        setMessage(t("m.legal.saved", { version: r.version }));
        await queryClient.invalidateQueries({ queryKey: trpc.merchantLegal.overview.queryKey() });
      },
      onError: (e) => setMessage(errorText(t, e)),
    }),
  );
  const fieldId = `legal-${doc.kind}-${locale}`;
  const badge = text === null ? t("m.legal.chineseApplies") : outdatedAt ? t("m.legal.outdated") : doc.custom[locale] ? t("m.legal.custom") : t("m.legal.default");
  return (
    <form
      method="post"
      hidden={hidden}
      className="mt-3 space-y-3"
      data-testid={`legal-form-${doc.kind}-${locale}`}
      onSubmit={(e) => {
        e.preventDefault();
        setMessage(null);
        save.mutate({ kind: doc.kind, locale, body, baseVersion: doc.version });
      }}
    >
      <p className="text-xs text-neutral-600">
        <span className={`mr-2 rounded px-1.5 py-0.5 ${outdatedAt ? "bg-amber-50 text-amber-800" : "bg-neutral-100"}`}>{badge}</span>
        {locale === "zh-CN" ? t("m.legal.zhBinding") : text === null ? t("m.legal.enNone") : t("m.legal.enOwn")}
      </p>
      {outdatedAt ? (
        <p className="rounded bg-amber-50 px-2 py-1.5 text-xs text-amber-800" data-testid={`legal-outdated-${doc.kind}`}>
          {t("m.legal.enOutdated", { date: formatDateTime(outdatedAt, { timeZone }) })}
        </p>
      ) : null}
      <label htmlFor={fieldId} className="block text-xs text-neutral-600">
        {t("m.legal.body", { name })} ({t(`m.legal.lang.${locale}`)}) · {t("m.legal.markdown")}
      </label>
      <textarea id={fieldId} lang={locale} value={body} onChange={(e) => setBody(e.target.value)} rows={18} className="block w-full rounded border border-neutral-300 px-2 py-1.5 font-mono text-xs leading-5" />
      <SubmitRow label={t("m.legal.save")} pending={save.isPending} message={message} testId={`legal-saved-${doc.kind}-${locale}`} />
    </form>
  );
}
