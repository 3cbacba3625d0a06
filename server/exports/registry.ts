// Every list that can be exported as a background job (issue 9): its filter, who may download it,
// how to count and page it, and its columns. The synchronous route and the job share the definition,
// so a file made in the background has exactly the columns of a direct download.
import type { Db } from "../db";
import type { Area } from "../staff/roles";
import type { MessageKey, Translator } from "@/lib/i18n/core";
import type { CsvColumn } from "./csv";
import { withdrawalExport } from "./withdrawals";
import { adjustmentExport } from "./adjustments";
import { orderExport } from "./orders";
import { riskExport } from "./risk";
import { memberExport } from "./members";
import { auditExport } from "./audit";
import { afterSalesExport } from "./aftersales";
import { categoryExport, lowStockExport, productExport, stockHistoryExport } from "./catalog";
import { staffExport } from "./staff";

export interface ExportDefinition<F, T> {
  kind: string;
  /** The back-office area whose roles may make and download this export. */
  area: Area;
  /** The file's name stem, in the requester's language (the date is appended). */
  title: MessageKey;
  fromSearch(params: URLSearchParams): F | null;
  /** Re-validates the stored filter of a job. */
  parse(stored: unknown): F;
  count(db: Db, filter: F, timeZone: string): Promise<number>;
  /** Every row of the list, fetched from the database a batch at a time (by offset or by keyset). */
  rows(db: Db, filter: F, timeZone: string): AsyncIterable<T>;
  /** The columns in the requester's language (`t`; zh-CN when none is given), dates in the shop's time zone. */
  columns(timeZone: string, t?: Translator): CsvColumn<T>[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous registry; each entry is typed where it is defined
const EXPORTS: Record<string, ExportDefinition<any, any>> = {
  [withdrawalExport.kind]: withdrawalExport,
  [adjustmentExport.kind]: adjustmentExport,
  [orderExport.kind]: orderExport,
  [riskExport.kind]: riskExport,
  [memberExport.kind]: memberExport,
  [auditExport.kind]: auditExport,
  [afterSalesExport.kind]: afterSalesExport,
  [productExport.kind]: productExport,
  [lowStockExport.kind]: lowStockExport,
  [stockHistoryExport.kind]: stockHistoryExport,
  [categoryExport.kind]: categoryExport,
  [staffExport.kind]: staffExport,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see EXPORTS
export function exportDefinition(kind: string): ExportDefinition<any, any> | null {
  return Object.hasOwn(EXPORTS, kind) ? EXPORTS[kind]! : null;
}
