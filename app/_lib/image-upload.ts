// Reading one picture from a multipart upload (field "file") for the upload routes: the size is
// refused before the body is read, and every refusal is a JSON 4xx the page can show.
import { NextResponse } from "next/server";
import { DomainError } from "@/server/context";
import { DECODES_BUSY, MAX_UPLOAD_BYTES } from "@/server/storage/images";

const tooLarge = () => NextResponse.json({ error: `图片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` }, { status: 413 });

/** The uploaded file's bytes, or the response refusing the request. */
export async function readImageUpload(req: Request): Promise<Buffer | NextResponse> {
  // Multipart adds a little around the file.
  if (Number(req.headers.get("content-length") ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) return tooLarge();
  let file: FormDataEntryValue | null;
  try {
    file = (await req.formData()).get("file");
  } catch {
    return NextResponse.json({ error: "请求格式无效" }, { status: 400 });
  }
  if (!(file instanceof Blob)) return NextResponse.json({ error: "缺少文件" }, { status: 400 });
  if (file.size > MAX_UPLOAD_BYTES) return tooLarge();
  return Buffer.from(await file.arrayBuffer());
}

/** A refused or failed upload as a response: domain refusals are 4xx, anything else a generic 500. */
export function uploadFailure(e: unknown): NextResponse {
  // The decoders are all taken (nothing was decoded or stored): a moment later the same upload goes through.
  if (e instanceof DomainError && e.code === DECODES_BUSY) return NextResponse.json({ error: e.message, code: e.code }, { status: 503, headers: { "retry-after": "5" } });
  if (e instanceof DomainError) {
    const status = e.code === "FILE_TOO_LARGE" ? 413 : e.code === "TOO_MANY_UPLOADS" ? 429 : 415;
    return NextResponse.json({ error: e.message, code: e.code }, { status });
  }
  console.error("upload failed", e instanceof Error ? e.message : "unknown");
  return NextResponse.json({ error: "上传失败，请重试" }, { status: 500 });
}
