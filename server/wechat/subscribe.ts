// WeChat Official Account subscription notifications (订阅通知, /cgi-bin/message/subscribe/bizsend):
// the WeChat channel beside in-app notifications (server/notifications/channels.ts).
import type { Db } from "../db";
import type { Env } from "../env";
import { accessToken, type WechatMpConfig } from "./jssdk";

/** The notification kinds sent to WeChat, and the setting naming each one's template (chosen in the MP console). */
export const WECHAT_TEMPLATE_SETTINGS = {
  payment: "WECHAT_TEMPLATE_PAYMENT",
  shipment: "WECHAT_TEMPLATE_SHIPMENT",
  commission: "WECHAT_TEMPLATE_COMMISSION",
  rebate_paid: "WECHAT_TEMPLATE_CASHBACK",
} as const;

export type WechatTemplates = Partial<Record<keyof typeof WECHAT_TEMPLATE_SETTINGS, string>>;

export function wechatTemplatesFromEnv(env: Env = process.env): WechatTemplates {
  const out: WechatTemplates = {};
  for (const [kind, name] of Object.entries(WECHAT_TEMPLATE_SETTINGS)) {
    if (env[name]) out[kind as keyof WechatTemplates] = env[name];
  }
  return out;
}

/** thing.DATA holds at most 20 characters. */
const thing = (s: string) => (Array.from(s).length > 20 ? `${Array.from(s).slice(0, 19).join("")}…` : s);

/** "2026-12-01 14:30" in the merchant's time zone `timeZone` (time.DATA). */
function localTime(d: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * The message for one notification. Every template we use has the same three keywords — thing1 (标题),
 * thing2 (内容), time3 (时间, in the rules' `timeZone`) — so the merchant picks templates with that layout for each kind.
 */
export function subscribePayload(templateId: string, n: { title: string; body: string; createdAt: Date }, pageUrl: string, timeZone: string) {
  return {
    template_id: templateId,
    page: pageUrl,
    data: { thing1: { value: thing(n.title) }, thing2: { value: thing(n.body) }, time3: { value: localTime(n.createdAt, timeZone) } },
  };
}

/** A refusal that asking again will not change (the member did not subscribe, bad openid, bad template). */
export class PermanentMessageError extends Error {
  readonly permanent = true;
}

/** 43101 user refused/not subscribed, 40003 invalid openid, 40037 invalid template_id, 47003 bad data. */
const PERMANENT_ERRCODES = new Set([43101, 40003, 40037, 47003]);
/** The access_token was revoked or expired before our cached expiry: fetched afresh on the next attempt. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

export class WechatSubscribeChannel {
  readonly name = "wechat";
  constructor(
    private readonly db: Db,
    private readonly cfg: WechatMpConfig,
  ) {}

  async send(m: { recipient: string; payload: unknown }): Promise<void> {
    const base = this.cfg.apiBase ?? "https://api.weixin.qq.com";
    const token = await accessToken(this.db, this.cfg);
    const res = await fetch(`${base}/cgi-bin/message/subscribe/bizsend?access_token=${encodeURIComponent(token)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ touser: m.recipient, ...(m.payload as object) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`WeChat answered HTTP ${res.status}`);
    const body = (await res.json()) as { errcode?: number };
    const code = body.errcode ?? 0;
    if (code === 0) return;
    if (TOKEN_ERRCODES.has(code)) await this.db.wechatCredential.deleteMany({ where: { key: `access_token:${this.cfg.appId}` } });
    // The errcode only: errmsg may echo the openid.
    if (PERMANENT_ERRCODES.has(code)) throw new PermanentMessageError(`WeChat errcode ${code}`);
    throw new Error(`WeChat errcode ${code}`);
  }
}
