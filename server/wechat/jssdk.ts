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

/** How long a failed fetch keeps pages from asking WeChat again: every page view in WeChat asks, and WeChat's daily quota is small. */
export const FAILURE_BACKOFF_MS = 60_000;

/** WeChat's API failed (unreachable, an HTTP error, an errcode, an answer without what was asked): not our database. */
export class WechatApiError extends Error {
  override name = "WechatApiError";
}

/** Refused without asking WeChat: it failed moments ago (see ticketForPages). */
export class WechatUnavailable extends Error {
  override name = "WechatUnavailable";
  constructor(readonly retryAfterS: number) {
    super("WeChat failed moments ago; not asked again yet");
  }
}

async function wechatGet(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  let body: Record<string, unknown>;
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new WechatApiError(`WeChat API answered HTTP ${res.status}`);
    body = (await res.json()) as Record<string, unknown>;
  } catch (e) {
    throw e instanceof WechatApiError ? e : new WechatApiError(`WeChat API call failed (${e instanceof Error ? e.name : "unknown error"})`);
  }
  // The errcode only: WeChat's errmsg can echo the request.
  if (body.errcode && body.errcode !== 0) throw new WechatApiError(`WeChat API errcode ${String(body.errcode)}`);
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

/** Until when WeChat is not asked again for pages of this account, shared by every instance (see ticketForPages). */
const failureKey = (appId: string) => `jsapi_failure:${appId}`;

/**
 * A cached credential, or a fresh one fetched under the row's lock: concurrent callers (any instance)
 * wait for the first, then read what it stored. With `failureKey`, a WeChat failure is stored under that key
 * in the same transaction, and a caller that finds it standing gets WechatUnavailable without asking WeChat.
 */
async function cachedCredential(db: Db, key: string, now: Date, fetchFresh: () => Promise<{ value: string; expiresInS: number }>, failureKey?: string): Promise<string> {
  const hit = await storedCredential(db, key, now);
  if (hit) return hit;
  const got = await db.$transaction(
    async (tx): Promise<{ value: string } | { failed: WechatApiError } | { until: Date }> => {
      await tx.wechatCredential.createMany({ data: [{ key, value: "", expiresAt: new Date(0) }], skipDuplicates: true });
      await tx.$queryRaw`SELECT key FROM "WechatCredential" WHERE key = ${key} FOR UPDATE`;
      const row = await tx.wechatCredential.findUniqueOrThrow({ where: { key } });
      if (row.expiresAt.getTime() - MARGIN_MS > now.getTime()) return { value: row.value };
      if (failureKey) {
        const mark = await tx.wechatCredential.findUnique({ where: { key: failureKey } });
        if (mark && mark.expiresAt > now) return { until: mark.expiresAt };
      }
      let fresh: { value: string; expiresInS: number };
      try {
        fresh = await fetchFresh();
      } catch (e) {
        if (!failureKey || !(e instanceof WechatApiError)) throw e;
        // Committed with this transaction (not rolled back by the throw): an instance waiting on the lock sees it next.
        const until = new Date(now.getTime() + FAILURE_BACKOFF_MS);
        await tx.wechatCredential.upsert({ where: { key: failureKey }, create: { key: failureKey, value: "", expiresAt: until }, update: { expiresAt: until } });
        return { failed: e };
      }
      await tx.wechatCredential.update({ where: { key }, data: { value: fresh.value, expiresAt: new Date(now.getTime() + fresh.expiresInS * 1000) } });
      return { value: fresh.value };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  if ("failed" in got) throw got.failed;
  if ("until" in got) throw new WechatUnavailable(Math.ceil((got.until.getTime() - now.getTime()) / 1000));
  return got.value;
}

/** The Official Account's access_token through /cgi-bin/stable_token (does not revoke other holders' tokens). */
export function accessToken(db: Db, cfg: WechatMpConfig, now = new Date(), failure?: string): Promise<string> {
  const base = cfg.apiBase ?? "https://api.weixin.qq.com";
  return cachedCredential(db, `access_token:${cfg.appId}`, now, async () => {
    const body = await wechatGet(`${base}/cgi-bin/stable_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credential", appid: cfg.appId, secret: cfg.appSecret, force_refresh: false }),
    });
    if (typeof body.access_token !== "string" || typeof body.expires_in !== "number") throw new WechatApiError("WeChat stable_token answer without a token");
    return { value: body.access_token, expiresInS: body.expires_in };
  }, failure);
}

export async function jsapiTicket(db: Db, cfg: WechatMpConfig, now = new Date(), failure?: string): Promise<string> {
  const base = cfg.apiBase ?? "https://api.weixin.qq.com";
  const key = `jsapi_ticket:${cfg.appId}`;
  const hit = await storedCredential(db, key, now);
  if (hit) return hit;
  // The token first, in its own transaction: the ticket's lock is held only around the ticket fetch.
  const token = await accessToken(db, cfg, now, failure);
  return cachedCredential(db, key, now, async () => {
    const body = await wechatGet(`${base}/cgi-bin/ticket/getticket?access_token=${encodeURIComponent(token)}&type=jsapi`);
    if (typeof body.ticket !== "string" || typeof body.expires_in !== "number") throw new WechatApiError("WeChat getticket answer without a ticket");
    return { value: body.ticket, expiresInS: body.expires_in };
  }, failure);
}

// Per process and appId: the one fetch in flight (concurrent page views wait for it), and until when a failure
// stands here (the database's failure mark is read only when a ticket would be fetched).
const inFlight = new Map<string, Promise<string>>();
const failedUntil = new Map<string, number>();

/**
 * The jsapi_ticket for signing pages: the stored one while it is good; else one fetch shared by the
 * process's concurrent callers. A WeChat failure stands for FAILURE_BACKOFF_MS on every instance (marked in the
 * database): meanwhile callers get WechatUnavailable without WeChat being asked (a ticket another instance
 * stored meanwhile is still used).
 */
async function ticketForPages(db: Db, cfg: WechatMpConfig, now: Date): Promise<string> {
  const until = failedUntil.get(cfg.appId);
  if (until !== undefined && until > now.getTime()) {
    const stored = await storedCredential(db, `jsapi_ticket:${cfg.appId}`, now);
    if (stored) return stored;
    throw new WechatUnavailable(Math.ceil((until - now.getTime()) / 1000));
  }
  let flight = inFlight.get(cfg.appId);
  if (!flight) {
    flight = jsapiTicket(db, cfg, now, failureKey(cfg.appId))
      .then(
        (ticket) => {
          failedUntil.delete(cfg.appId);
          return ticket;
        },
        (e: unknown) => {
          if (e instanceof WechatApiError) {
            failedUntil.set(cfg.appId, now.getTime() + FAILURE_BACKOFF_MS);
            console.error(`[wechat] jsapi_ticket unavailable (${e.message}); WeChat is not asked again for ${FAILURE_BACKOFF_MS / 1000} s`);
          } else if (e instanceof WechatUnavailable) {
            failedUntil.set(cfg.appId, now.getTime() + e.retryAfterS * 1000);
          }
          throw e;
        },
      )
      .finally(() => inFlight.delete(cfg.appId));
    inFlight.set(cfg.appId, flight);
  }
  return flight;
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
  const ticket = await ticketForPages(db, cfg, now);
  const nonceStr = randomBytes(8).toString("hex");
  const timestamp = Math.floor(now.getTime() / 1000);
  return { appId: cfg.appId, timestamp, nonceStr, signature: jsapiSignature({ ticket, nonceStr, timestamp, url: pageUrl }) };
}
