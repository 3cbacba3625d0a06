// 批量发货's file rules shared by the dialog (which reads the file) and server/orders/shipping.ts (which checks its rows):
// client-safe, no server imports.

/**
 * A CSV file's bytes as text: UTF-8 (our template, Excel's "CSV UTF-8") when they are valid UTF-8, else GB18030 —
 * what Excel and WPS on Chinese Windows write for plain "CSV (逗号分隔)". A UTF-8 BOM is dropped by the decoder.
 */
export function decodeCsvBytes(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

/** A long number Excel showed in General format and saved as displayed ("7.83123E+13"). */
export const EXCEL_SCIENTIFIC_RE = /^\d+(\.\d+)?E\+\d+$/i;
