// Reading one picture from a multipart upload (field "file") for the upload routes: the size is
// refused before the body is read, and every refusal is a JSON 4xx { error, code } in the caller's language.
import { NextResponse } from "next/server";
import { DomainError } from "@/server/context";
import { DECODES_BUSY, MAX_UPLOAD_BYTES } from "@/server/storage/images";
import { createT, localeFromCookieHeader, type Translator } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { errorText } from "@/lib/i18n/labels";

const MAX_UPLOAD_MB = MAX_UPLOAD_BYTES / 1024 / 1024;

/** The caller's language (the fm_lang cookie of the request), as the pages use it. */
function requestT(req: Request): Translator {
  const locale = localeFromCookieHeader(req.headers.get("cookie"));
  return createT(locale, MESSAGES[locale]);
}

/** A refusal as JSON { error, code }: zh-CN the Chinese message, another language by its code (error.<CODE>); the size names the limit. */
export function uploadRefusal(req: Request, status: number, e: DomainError, headers?: HeadersInit): NextResponse {
  const t = requestT(req);
  const error = e.code === "FILE_TOO_LARGE" ? t("upload.tooLarge", { mb: MAX_UPLOAD_MB }) : errorText(t, { message: e.message, data: { domainCode: e.code } });
  return NextResponse.json({ error, code: e.code }, { status, headers });
}

const tooLarge = (req: Request) => uploadRefusal(req, 413, new DomainError("FILE_TOO_LARGE", `图片不能超过 ${MAX_UPLOAD_MB} MB`));

/** The uploaded file's bytes, or the response refusing the request. */
export async function readImageUpload(req: Request): Promise<Buffer | NextResponse> {
  // Multipart adds a little around the file.
  if (Number(req.headers.get("content-length") ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) return tooLarge(req);
  let file: FormDataEntryValue | null;
  try {
    file = (await req.formData()).get("file");
  } catch {
    return uploadRefusal(req, 400, new DomainError("UPLOAD_MALFORMED", "请求格式无效"));
  }
  if (!(file instanceof Blob)) return uploadRefusal(req, 400, new DomainError("UPLOAD_NO_FILE", "缺少文件"));
  if (file.size > MAX_UPLOAD_BYTES) return tooLarge(req);
  return Buffer.from(await file.arrayBuffer());
}

/** A refused or failed upload as a response: domain refusals are 4xx, anything else a generic 500. */
export function uploadFailure(req: Request, e: unknown): NextResponse {
  // The decoders are all taken (nothing was decoded or stored): a moment later the same upload goes through.
  if (e instanceof DomainError && e.code === DECODES_BUSY) return uploadRefusal(req, 503, e, { "retry-after": "5" });
  if (e instanceof DomainError) return uploadRefusal(req, e.code === "FILE_TOO_LARGE" ? 413 : e.code === "TOO_MANY_UPLOADS" ? 429 : 415, e);
  console.error("upload failed", e instanceof Error ? e.message : "unknown");
  return NextResponse.json({ error: requestT(req)("upload.failed") }, { status: 500 });
}
