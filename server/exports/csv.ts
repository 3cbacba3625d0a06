// CSV exports (issue 9): UTF-8 with a BOM so Excel opens Chinese correctly, streamed row by row
// (rows come from an async iterable that pages through the database), money in 元 with two decimals,
// and no cell a spreadsheet would run as a formula (csvCell).
import { stringify } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";
import { fenToYuanString } from "../money";
import { createT, DEFAULT_LOCALE, type Locale, type Translator } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

/** Fen → "123.45" for a money column (no currency sign: spreadsheets read it as a number). */
export function yuanCell(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? "" : fenToYuanString(fen);
}

/** The translator an export's file is written with: the requester's language (zh-CN when none is known). */
export function exportTranslator(locale: Locale = DEFAULT_LOCALE): Translator {
  return createT(locale, MESSAGES[locale]);
}

/** A date cell, "2026-12-06 21:54:14" in the shop's time zone for every language: one unambiguous form spreadsheets parse as a date. */
export function csvTimeFormat(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  return (at) => {
    const p = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
}

const BOM = "\uFEFF";

/** What a spreadsheet (Excel, WPS, LibreOffice) may read as the start of a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain signed number ("-12.34", "+5") is data, not a formula: it stays a number to the spreadsheet. */
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;

/**
 * One cell as written to a CSV file. Text a shopper wrote (refund descriptions, WeChat nicknames…) must
 * never run as a formula when the file is opened: a string starting with = + - @, a tab or a carriage
 * return gets a leading single quote, so `=HYPERLINK(…)` shows as text; plain numbers stay as they are.
 */
export function csvCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return value;
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** A whole small CSV file at once (BOM, header row, rows), every cell through csvCell. */
export function csvText(header: string[], rows: (string | number | null | undefined)[][]): string {
  return `${BOM}${stringifySync([header, ...rows].map((r) => r.map(csvCell)))}`;
}

/** A byte stream of the CSV: BOM, header row, then one line per row as the source yields it. */
export function csvStream<T>(columns: CsvColumn<T>[], rows: AsyncIterable<T>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const stringifier = stringify({ header: true, columns: columns.map((c, i) => ({ key: String(i), header: String(csvCell(c.header)) })), bom: false });
  let iterator: AsyncIterator<T> | null = null;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(BOM));
      stringifier.on("data", (chunk: Buffer | string) => controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : new Uint8Array(chunk)));
      iterator = rows[Symbol.asyncIterator]();
    },
    async pull(controller) {
      const next = await iterator!.next();
      if (next.done) {
        await new Promise<void>((resolve) => {
          stringifier.once("end", resolve);
          stringifier.end();
        });
        controller.close();
        return;
      }
      const record: Record<string, string | number> = {};
      // Every cell of every export (downloads and background jobs alike) goes through csvCell.
      columns.forEach((c, i) => {
        record[String(i)] = csvCell(c.value(next.value));
      });
      stringifier.write(record);
    },
    async cancel() {
      stringifier.destroy();
      await iterator?.return?.();
    },
  });
}

/**
 * Pages through a source by keyset: each page is fetched after the previous page's last row (null for the
 * first), so the database seeks to it instead of reading past every row before it as an offset does.
 */
export async function* afterLast<T>(fetch: (after: T | null, take: number) => Promise<T[]>, take = 500): AsyncGenerator<T> {
  let after: T | null = null;
  for (;;) {
    const page = await fetch(after, take);
    for (const row of page) yield row;
    if (page.length < take) return;
    after = page[page.length - 1]!;
  }
}

/** Pages through a source in batches (keyset by id) so a large export never sits in memory at once. */
export function inBatches<T extends { id: number }>(fetch: (afterId: number | null, take: number) => Promise<T[]>, take = 500): AsyncGenerator<T> {
  return afterLast((after, n) => fetch(after?.id ?? null, n), take);
}

/** Content-Disposition for a download with a Chinese file name (RFC 5987). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
