// WeChat JS-SDK (公众号 网页开发): the wx.config signature for a page URL, and the jsapi_ticket behind
// it, fetched with the stable access_token and cached in the database until shortly before it
// expires, so every app instance shares one ticket (WeChat limits how often it may be fetched).
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db";
import type { Env } from "../env";

/** Appendix 1 of the JS-SDK documentation: sha1 of the four fields in this order; the URL without its #fragment. */
export function jsapiSignature(p: { ticket: string; nonceStr: string; timestamp: number | string; url: string }): string {
  const url = p.url.split("#")[0];
  return createHash("sha1").update(`jsapi_ticket=${p.ticket}&noncestr=${p.nonceStr}&timestamp=${p.timestamp}&url=${url}`).digest("hex");
}

export interface WechatMpConfig {
  appId: string;
  appSecret: string;
  /** WeChat's API origin; a local server in tests. */
  apiBase?: string;
}

export function wechatMpConfigFromEnv(env: Env = process.env): WechatMpConfig | null {
  if (!env.WECHAT_APPID || !env.WECHAT_APP_SECRET) return null;
  return { appId: env.WECHAT_APPID, appSecret: env.WECHAT_APP_SECRET, apiBase: env.WECHAT_API_BASE || undefined };
}

/** Refreshed this long before WeChat's expiry, so a page never signs with a ticket about to lapse. */
const MARGIN_MS = 5 * 60_000;

async function wechatGet(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`WeChat API answered HTTP ${res.status}`);
  const body = (await res.json()) as Record<string, unknown>;
  // The errcode only: WeChat's errmsg can echo the request.
  if (body.errcode && body.errcode !== 0) throw new Error(`WeChat API errcode ${String(body.errcode)}`);
  return body;
}

/**
 * A cached credential, or a fresh one fetched under the row's lock: concurrent callers (any instance)
 * wait for the first, then read what it stored.
 */
async function storedCredential(db: Db, key: string, now: Date): Promise<string | null> {
  const hit = await db.wechatCredential.findUnique({ where: { key } });
  return hit && hit.expiresAt.getTime() - MARGIN_MS > now.getTime() ? hit.value : null;
}

async function cachedCredential(db: Db, key: string, now: Date, fetchFresh: () => Promise<{ value: string; expiresInS: number }>): Promise<string> {
  const hit = await storedCredential(db, key, now);
  if (hit) return hit;
  return db.$transaction(
    async (tx) => {
      await tx.wechatCredential.createMany({ data: [{ key, value: "", expiresAt: new Date(0) }], skipDuplicates: true });
      await tx.$queryRaw`SELECT key FROM "WechatCredential" WHERE key = ${key} FOR UPDATE`;
      const row = await tx.wechatCredential.findUniqueOrThrow({ where: { key } });
      if (row.expiresAt.getTime() - MARGIN_MS > now.getTime()) return row.value;
      const fresh = await fetchFresh();
      await tx.wechatCredential.update({ where: { key }, data: { value: fresh.value, expiresAt: new Date(now.getTime() + fresh.expiresInS * 1000) } });
      return fresh.value;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

/** The Official Account's access_token through /cgi-bin/stable_token (does not revoke other holders' tokens). */
export function accessToken(db: Db, cfg: WechatMpConfig, now = new Date()): Promise<string> {
  const base = cfg.apiBase ?? "https://api.weixin.qq.com";
  return cachedCredential(db, `access_token:${cfg.appId}`, now, async () => {
    const body = await wechatGet(`${base}/cgi-bin/stable_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credential", appid: cfg.appId, secret: cfg.appSecret, force_refresh: false }),
    });
    if (typeof body.access_token !== "string" || typeof body.expires_in !== "number") throw new Error("WeChat stable_token answer without a token");
    return { value: body.access_token, expiresInS: body.expires_in };
  });
}

export async function jsapiTicket(db: Db, cfg: WechatMpConfig, now = new Date()): Promise<string> {
  const base = cfg.apiBase ?? "https://api.weixin.qq.com";
  const key = `jsapi_ticket:${cfg.appId}`;
  const hit = await storedCredential(db, key, now);
  if (hit) return hit;
  // The token first, in its own transaction: the ticket's lock is held only around the ticket fetch.
  const token = await accessToken(db, cfg, now);
  return cachedCredential(db, key, now, async () => {
    const body = await wechatGet(`${base}/cgi-bin/ticket/getticket?access_token=${encodeURIComponent(token)}&type=jsapi`);
    if (typeof body.ticket !== "string" || typeof body.expires_in !== "number") throw new Error("WeChat getticket answer without a ticket");
    return { value: body.ticket, expiresInS: body.expires_in };
  });
}

/**
 * wx.config for one page of our own site (WeChat signs only pages on the account's JS 安全域名; we
 * refuse to sign anyone else's). Null when the URL is not ours.
 */
export async function wxConfigFor(db: Db, cfg: WechatMpConfig, pageUrl: string, siteOrigin: string, now = new Date()) {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return null;
  }
  if (url.origin !== new URL(siteOrigin).origin) return null;
  const ticket = await jsapiTicket(db, cfg, now);
  const nonceStr = randomBytes(8).toString("hex");
  const timestamp = Math.floor(now.getTime() / 1000);
  return { appId: cfg.appId, timestamp, nonceStr, signature: jsapiSignature({ ticket, nonceStr, timestamp, url: pageUrl }) };
}
