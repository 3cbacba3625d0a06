// The shop's own name (店铺资料, server/shop/profile.ts) for every page, share card and picture shoppers see:
// the root metadata, the home header, the landing page, its banner and share card all ask in one request.
import "server-only";
import { cache } from "react";
import { getDb } from "@/server/db";
import { getShopProfile, shopContactOf, shopDisplayName, type ShopContact } from "@/server/shop/profile";
import { getT } from "@/lib/i18n/server";

/** The 店铺资料, read once per request (React cache) however many places ask. */
export const requestShopProfile = cache(async () => getShopProfile(await getDb()));

/** The shop's name in the page's language. */
export async function getShopName(): Promise<string> {
  // The language first: it reads the cookie, so a build's prerender stops there before touching the database.
  const t = await getT();
  return shopDisplayName(await requestShopProfile(), t.locale);
}

/** 联系客服 on 我的, from this request's read. */
export async function requestShopContact(): Promise<ShopContact | null> {
  return shopContactOf(await requestShopProfile());
}

/** When 店铺资料 was last saved (ms), null while it has its defaults: the version of pictures that draw the name. */
export async function shopVersion(): Promise<number | null> {
  return (await requestShopProfile()).updatedAt?.getTime() ?? null;
}

/** The mark drawn before the name on the poster and the Open Graph picture: its first character. */
export function shopInitial(name: string): string {
  return Array.from(name)[0] ?? "";
}
