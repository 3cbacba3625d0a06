"use client";

// 批量发货: the merchant picks a CSV (UTF-8, or GB18030 as Excel/WPS save it on Chinese Windows); the server checks
// every row and ships all of them or none, answering with each wrong row's line and reason.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { carrierHelp, shipmentProblem } from "./ship-problems";
import { decodeCsvBytes } from "@/server/orders/shipping-csv";

type Result = RouterOutputs["merchantOrder"]["bulkShip"];
/** The template as a download: the header row in the console's language, UTF-8 with a BOM so Excel reads it. */
const templateHref = (header: string) => `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${header}\n`)}`;

export function BulkShipDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = useMutation(
    trpc.merchantOrder.bulkShip.mutationOptions({
      onSuccess: async (r) => {
        setResult(r);
        if (r.ok) await queryClient.invalidateQueries({ queryKey: trpc.merchantOrder.pathKey() });
      },
      onError: (e) => setError(errorText(t, e)),
    }),
  );
  const submit = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    upload.mutate({ csv: decodeCsvBytes(await file.arrayBuffer()) });
  };
  return (
    <ConfirmDialog open title={t("mo.bulk.title")} confirmLabel={result?.ok ? t("mo.bulk.close") : t("mo.bulk.submit")} pending={upload.isPending || (!file && !result?.ok)} onConfirm={() => (result?.ok ? onClose() : void submit())} onCancel={onClose}>
      <div className="mt-3 space-y-3 text-sm">
        <p className="text-xs text-neutral-500">{t("mo.bulk.help")}</p>
        <p className="text-xs text-neutral-500" data-testid="bulk-ship-carriers">{carrierHelp(t)}</p>
        <p className="text-xs text-neutral-500">{t("mo.bulk.help.excel")}</p>
        <a href={templateHref(t("mo.bulk.templateHeader"))} download="shipments.csv" data-testid="bulk-ship-template" className="text-xs text-sky-700 underline">
          {t("mo.bulk.template")}
        </a>
        <label className="block">
          {t("mo.bulk.file")}
          <input
            type="file"
            accept=".csv,text/csv"
            className="mt-1 block w-full text-xs"
            aria-invalid={result && !result.ok ? true : undefined}
            aria-describedby={result && !result.ok ? "bulk-ship-errors" : undefined}
            onChange={(e) => (setFile(e.target.files?.[0] ?? null), setResult(null))}
          />
        </label>
        {error ? (
          <p role="alert" className="text-xs text-rose-600">
            {error}
          </p>
        ) : null}
        {result?.ok ? (
          <p role="status" className="rounded bg-emerald-50 px-3 py-2 text-emerald-700" data-testid="bulk-ship-done">
            {t("mo.bulk.done", { n: result.shipped })}
          </p>
        ) : null}
        {result && !result.ok ? (
          <div id="bulk-ship-errors" role="alert" className="rounded bg-rose-50 px-3 py-2 text-rose-700" data-testid="bulk-ship-errors">
            <p>{t("mo.bulk.failed", { n: new Set(result.errors.map((e) => e.line)).size })}</p>
            <ul className="mt-1 max-h-48 space-y-0.5 overflow-y-auto text-xs">
              {result.errors.map((row) => (
                <li key={`${row.line}-${row.message}`} data-testid="bulk-ship-error">
                  {t("mo.bulk.line", { line: row.line })}
                  {row.orderNo ? ` ${row.orderNo}` : ""}
                  {t("input.colon")}
                  {shipmentProblem(t, row.message)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}
