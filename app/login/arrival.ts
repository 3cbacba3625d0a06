// Where a visitor on the login page came from: the page "‹ 先逛逛" takes them back to.
import type { Db } from "@/server/db";
import { localPath } from "@/lib/security/local-path";

/** Pages anyone may browse: going back to one behind sign-in (cart, 我的, 推广) would only bring the visitor here again. */
const BROWSABLE = [/^\/$/, /^\/product\/[1-9]\d{0,8}$/, /^\/r\/[A-Za-z0-9]{1,32}$/, /^\/category(\/[^/?#]{1,100})?$/, /^\/search$/];

/**
 * What "‹ 先逛逛" leads back to, from the sign-in's callbackUrl: a browsable page on this site (without ?joined=1,
 * the sign-up's welcome), or the SKU a visitor's 立即购买 named (its product page, looked up by backLink), else "/".
 */
export function backTarget(callbackUrl: string | string[] | undefined): { path: string } | { sku: string } {
  const local = localPath(callbackUrl);
  const u = new URL(local, "http://local.invalid");
  if (u.pathname === "/checkout") {
    const sku = u.searchParams.get("sku");
    return sku ? { sku } : { path: "/" };
  }
  if (!BROWSABLE.some((re) => re.test(u.pathname))) return { path: "/" };
  u.searchParams.delete("joined");
  return { path: u.pathname + u.search };
}

/** backTarget with the SKU's product page when it is on sale, else the home page. */
export async function backLink(db: Db, callbackUrl: string | string[] | undefined): Promise<string> {
  const target = backTarget(callbackUrl);
  if ("path" in target) return target.path;
  const sku = await db.sku.findUnique({ where: { code: target.sku }, select: { active: true, product: { select: { id: true, active: true } } } });
  return sku?.active && sku.product.active ? `/product/${sku.product.id}` : "/";
}
