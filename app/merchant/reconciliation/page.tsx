import { getT } from "@/lib/i18n/server";
import { getDb } from "@/server/db";
import { listReconciliationRuns } from "@/server/payments/reconcile";
import { formatYuanGrouped } from "@/components/money";
import { providerLabel } from "@/components/merchant/provider";
import { PageHeader, staffGate } from "../_components/staff";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.nav.reconciliation") };
}

const TONE: Record<string, string> = { MATCHED: "bg-emerald-50 text-emerald-700", DIFFERENCES: "bg-amber-50 text-amber-700", FAILED: "bg-rose-50 text-rose-700" };

/** Finance and owner: each provider's daily bill against our payments and refunds, with every difference. */
export default async function MerchantReconciliationPage() {
  await staffGate("/merchant/reconciliation", "reconciliation");
  const [t, runs] = await Promise.all([getT(), getDb().then((db) => listReconciliationRuns(db))]);
  return (
    <div>
      <PageHeader title={t("m.nav.reconciliation")} />
      <p className="mb-3 text-sm text-neutral-500">{t("m.recon.hint")}</p>
      {runs.length === 0 ? (
        <p className="rounded-lg bg-white p-6 text-center text-sm text-neutral-400" data-testid="recon-empty">
          {t("m.recon.empty")}
        </p>
      ) : (
        <table className="w-full rounded-lg bg-white text-sm">
          <thead className="text-left text-neutral-500">
            <tr>
              <th className="px-3 py-2">{t("m.recon.date")}</th>
              <th className="px-3 py-2">{t("m.recon.provider")}</th>
              <th className="px-3 py-2">{t("m.recon.status")}</th>
              <th className="px-3 py-2 text-right">{t("m.recon.bill")}</th>
              <th className="px-3 py-2 text-right">{t("m.recon.ours")}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} className="border-t border-neutral-100 align-top" data-testid="recon-run">
                <td className="px-3 py-2 font-mono">{r.billDate}</td>
                <td className="px-3 py-2">{providerLabel(t, r.provider)}</td>
                <td className="px-3 py-2">
                  <span className={`rounded px-1.5 py-0.5 text-xs ${TONE[r.status] ?? ""}`}>{t(`m.recon.status.${r.status as "MATCHED" | "DIFFERENCES" | "FAILED"}`)}</span>
                  {r.error ? <div className="mt-1 text-xs text-rose-600">{r.error}</div> : null}
                  {r.differences.length ? (
                    <ul className="mt-2 space-y-1 text-xs text-neutral-600">
                      {r.differences.map((d, i) => (
                        <li key={i} data-testid="recon-difference">
                          {t(`m.recon.kind.${d.kind}`)} · {t(`m.recon.issue.${d.issue}`)} · <span className="font-mono">{d.refundNo ?? d.reference ?? d.providerTxnId}</span>
                          {d.providerFen !== null ? ` · ${formatYuanGrouped(d.providerFen)}` : ""}
                          {d.ourFen !== null ? ` / ${formatYuanGrouped(d.ourFen)}` : ""}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {r.billCount} / {formatYuanGrouped(r.billTotalFen)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {r.ourCount} / {formatYuanGrouped(r.ourTotalFen)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
