// Picture upload for the merchant catalogue (multipart field "file"). Staff only; the picture is
// checked and re-encoded by server/storage/images (type by content, size limit, thumbnail).
import { NextResponse } from "next/server";
import { cookies } from "next/headers";
import { STAFF_COOKIE } from "@/server/staff/sessions";
import { getDb } from "@/server/db";
import { DomainError } from "@/server/context";
import { getStorage } from "@/server/storage";
import { MAX_UPLOAD_BYTES, storeImage } from "@/server/storage/images";
import { canEditCatalog } from "@/server/catalog/access";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  const token = (await cookies()).get(STAFF_COOKIE)?.value ?? null;
  if (!token) return NextResponse.json({ error: "请先登录商家后台" }, { status: 401 });
  if (!(await canEditCatalog(await getDb(), token, new Date()))) return NextResponse.json({ error: "无权访问" }, { status: 403 });
  const length = Number(req.headers.get("content-length") ?? 0);
  // Refuse an oversized body before reading it (multipart adds a little around the file).
  if (length > MAX_UPLOAD_BYTES + 64 * 1024) return NextResponse.json({ error: `图片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` }, { status: 413 });
  let file: FormDataEntryValue | null;
  try {
    file = (await req.formData()).get("file");
  } catch {
    return NextResponse.json({ error: "请求格式无效" }, { status: 400 });
  }
  if (!(file instanceof Blob)) return NextResponse.json({ error: "缺少文件" }, { status: 400 });
  if (file.size > MAX_UPLOAD_BYTES) return NextResponse.json({ error: `图片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` }, { status: 413 });
  try {
    const stored = await storeImage(getStorage(), Buffer.from(await file.arrayBuffer()));
    return NextResponse.json(stored, { status: 201 });
  } catch (e) {
    if (e instanceof DomainError) return NextResponse.json({ error: e.message, code: e.code }, { status: e.code === "FILE_TOO_LARGE" ? 413 : 415 });
    console.error("upload failed", e instanceof Error ? e.message : "unknown");
    return NextResponse.json({ error: "上传失败，请重试" }, { status: 500 });
  }
}
