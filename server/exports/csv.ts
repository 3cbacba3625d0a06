// CSV exports (issue 9): UTF-8 with a BOM so Excel opens Chinese correctly, streamed row by row
// (rows come from an async iterable that pages through the database), money in 元 with two decimals.
import { stringify } from "csv-stringify";
import { fenToYuanString } from "../money";

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

/** Fen → "123.45" for a money column (no currency sign: spreadsheets read it as a number). */
export function yuanCell(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? "" : fenToYuanString(fen);
}

const BOM = "\uFEFF";

/** A byte stream of the CSV: BOM, header row, then one line per row as the source yields it. */
export function csvStream<T>(columns: CsvColumn<T>[], rows: AsyncIterable<T>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const stringifier = stringify({ header: true, columns: columns.map((c, i) => ({ key: String(i), header: c.header })), bom: false });
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
      columns.forEach((c, i) => {
        const v = c.value(next.value);
        record[String(i)] = v === null || v === undefined ? "" : v;
      });
      stringifier.write(record);
    },
    async cancel() {
      stringifier.destroy();
      await iterator?.return?.();
    },
  });
}

/** Pages through a source in batches (keyset by id) so a large export never sits in memory at once. */
export async function* inBatches<T extends { id: number }>(fetch: (afterId: number | null, take: number) => Promise<T[]>, take = 500): AsyncGenerator<T> {
  let after: number | null = null;
  for (;;) {
    const batch = await fetch(after, take);
    for (const row of batch) yield row;
    if (batch.length < take) return;
    after = batch[batch.length - 1]!.id;
  }
}

/** Pages through a source by offset (for lists sorted by other columns than id, with id as tie-break). */
export async function* inPages<T>(fetch: (skip: number, take: number) => Promise<T[]>, take = 500): AsyncGenerator<T> {
  for (let skip = 0; ; skip += take) {
    const page = await fetch(skip, take);
    for (const row of page) yield row;
    if (page.length < take) return;
  }
}

/** Content-Disposition for a download with a Chinese file name (RFC 5987). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
