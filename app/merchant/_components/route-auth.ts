// The staff check for back-office route handlers (CSV exports): the same session row and area
// table as the pages and procedures. Returns the identity, or the 401/403 response to send, worded in
// the staff's language (the fm_lang cookie, as the pages are): JSON for a script, a short page with a link
// for a browser opening the link itself (a download link followed by someone whose role may not have it).
import { cookies, headers } from "next/headers";
import { getDb } from "@/server/db";
import { getT } from "@/lib/i18n/server";
import { STAFF_COOKIE, validateStaffSession, type StaffIdentity } from "@/server/staff/sessions";
import { canAccess, type Area } from "@/server/staff/roles";

type RouteStaff = { staff: StaffIdentity; refused: null } | { staff: null; refused: Response };

/** Whether the request is a browser opening the URL as a page (typed, or a link followed), not a script's fetch. */
async function isPageNavigation(): Promise<boolean> {
  try {
    const h = await headers();
    return h.get("sec-fetch-mode") === "navigate" || h.get("sec-fetch-dest") === "document" || /\btext\/html\b/.test(h.get("accept") ?? "");
  } catch {
    return false;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The refusal as a page: its status, what it means in the staff's language, and the way on (sign-in, or back to the dashboard). */
export function refusalPage(o: { status: 401 | 403; lang: string; title: string; body: string | null; link: { href: string; text: string } }): Response {
  const html = `<!doctype html>
<html lang="${escapeHtml(o.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(o.title)}</title></head>
<body style="font-family:system-ui,sans-serif;text-align:center;padding:6rem 1rem;color:#171717;background:#f5f5f5">
<div style="font-size:3rem;font-weight:700;color:#e11d48">${o.status}</div>
<h1 style="font-size:1.125rem">${escapeHtml(o.title)}</h1>
${o.body ? `<p style="color:#525252;font-size:.875rem">${escapeHtml(o.body)}</p>\n` : ""}<p><a href="${escapeHtml(o.link.href)}" style="display:inline-block;background:#171717;color:#fff;padding:.5rem 1.25rem;border-radius:.375rem;text-decoration:none;font-size:.875rem">${escapeHtml(o.link.text)}</a></p>
</body></html>
`;
  return new Response(html, { status: o.status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

async function refusal(status: 401 | 403, role?: StaffIdentity["role"]): Promise<{ staff: null; refused: Response }> {
  const t = await getT();
  const title = status === 401 ? t("m.route.signIn") : t("m.forbidden.title");
  if (!(await isPageNavigation())) return { staff: null, refused: Response.json({ error: title }, { status }) };
  const body = status === 403 && role ? t("m.forbidden.body", { role: t(`m.role.${role}`) }) : null;
  const link = status === 401 ? { href: "/merchant/login", text: t("m.route.signInLink") } : { href: "/merchant", text: t("m.forbidden.home") };
  return { staff: null, refused: refusalPage({ status, lang: t.locale, title, body, link }) };
}

export async function staffForRoute(area: Area): Promise<RouteStaff> {
  const staff = await validateStaffSession(await getDb(), (await cookies()).get(STAFF_COOKIE)?.value ?? null, new Date());
  if (!staff) return refusal(401);
  if (!staff.ready || !canAccess(staff.role, area)) return refusal(403, staff.role);
  return { staff, refused: null };
}

/** Any signed-in, set-up member of staff (the route checks the rest itself). */
export async function currentStaffForRoute(): Promise<RouteStaff> {
  const staff = await validateStaffSession(await getDb(), (await cookies()).get(STAFF_COOKIE)?.value ?? null, new Date());
  if (!staff) return refusal(401);
  if (!staff.ready) return refusal(403);
  return { staff, refused: null };
}
