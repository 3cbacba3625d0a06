// A shopper's picture upload (/api/uploads): refund photos and the avatar use the same request.

/** Uploads one picture; the stored URL, or the server's message (null: the caller's generic one). */
export async function uploadPicture(file: File): Promise<{ url: string } | { error: string | null }> {
  try {
    const body = new FormData();
    body.append("file", file);
    const res = await fetch("/api/uploads", { method: "POST", body });
    const json = (await res.json().catch(() => ({}))) as { url?: string; error?: string };
    return res.ok && json.url ? { url: json.url } : { error: json.error ?? null };
  } catch {
    return { error: null };
  }
}
