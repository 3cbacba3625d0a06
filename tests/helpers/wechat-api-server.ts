// A local stand-in for WeChat's Official Account endpoints, with WeChat's answer shapes and errcodes:
// - open.weixin.qq.com/connect/oauth2/authorize: the consent step of 网页授权 (silent for snsapi_base,
//   an "允许" page for snsapi_userinfo), redirecting to redirect_uri with a one-time code and the state;
//   the WeChat user is the browser's `wx_openid` cookie on this server (each browser, its own user);
// - api.weixin.qq.com: stable_token, jsapi getticket, /sns/oauth2/access_token (40029 invalid code,
//   40163 code been used), /sns/userinfo (48001 without snsapi_userinfo).
// Counts how often each is asked.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";

export interface WechatUser {
  openid: string;
  nickname: string;
  headimgurl: string;
  unionid?: string;
}

interface IssuedCode {
  openid: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

export class WechatApiTestServer {
  readonly appId: string;
  readonly appSecret: string;
  readonly calls = { token: 0, ticket: 0, authorize: 0, oauthToken: 0, userinfo: 0 };
  /** Seconds each credential lives (WeChat: 7200). */
  expiresIn = 7200;
  /** Answer getticket with this errcode (e.g. 40001 invalid credential) instead of a ticket. */
  ticketErrcode = 0;
  /** Milliseconds getticket takes, to make concurrent callers overlap. */
  ticketDelayMs = 0;
  /** The raw query strings authorize was called with (the parameter order matters to WeChat). */
  readonly authorizeQueries: string[] = [];
  /** WeChat users by openid; an unknown openid is created on first consent. */
  readonly users = new Map<string, WechatUser>();
  /** The WeChat user of a browser without a wx_openid cookie (in-process tests). */
  defaultOpenid = "oLocalDefaultUser00000000000";
  /** Openids opened in 朋友圈 snapshot mode (is_snapshotuser=1). */
  readonly snapshotUsers = new Set<string>();
  /** Subscription notifications WeChat accepted (/cgi-bin/message/subscribe/bizsend). */
  readonly messages: { touser: string; template_id: string; page?: string; data: Record<string, { value: string }> }[] = [];
  /** Errcodes the next bizsend calls answer with, in order (e.g. -1 system busy), before accepting again. */
  readonly bizsendFailures: number[] = [];
  /** Template ids the account has (40037 for any other). */
  readonly templates = new Set<string>();
  /** Openids that subscribed; any other gets 43101 (user refused to accept the message). */
  readonly subscribers = new Set<string>();
  private tokens = new Set<string>();
  private codes = new Map<string, IssuedCode>();
  private oauthTokens = new Map<string, { openid: string; scope: string }>();
  private server: Server | null = null;
  baseUrl = "";

  constructor(opts: { appId?: string; appSecret?: string } = {}) {
    this.appId = opts.appId ?? "wx1234567890abcdef";
    this.appSecret = opts.appSecret ?? randomBytes(16).toString("hex");
  }

  user(openid: string): WechatUser {
    let u = this.users.get(openid);
    if (!u) {
      u = { openid, nickname: `微信用户${openid.slice(-4)}`, headimgurl: `https://thirdwx.qlogo.cn/mmopen/vi_32/${openid}/132` };
      this.users.set(openid, u);
    }
    return u;
  }

  /** Extra routes (the WeChat Pay e2e stand-in mounts its own); return true when handled. */
  extra?: (req: IncomingMessage, res: ServerResponse, body: string) => Promise<boolean> | boolean;

  async start(port = 0): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://local");
      const json = (data: object) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(data));
      };
      if (this.extra && (await this.extra(req, res, raw))) return;
      if (req.method === "GET" && url.pathname === "/connect/oauth2/authorize") return this.authorize(req.url ?? "", url, req.headers.cookie ?? "", res);
      if (req.method === "GET" && url.pathname === "/sns/oauth2/access_token") return json(this.oauthToken(url.searchParams));
      if (req.method === "GET" && url.pathname === "/sns/userinfo") return json(this.userinfo(url.searchParams));
      if (req.method === "POST" && url.pathname === "/cgi-bin/stable_token") {
        this.calls.token++;
        const b = JSON.parse(raw) as { grant_type?: string; appid?: string; secret?: string };
        if (b.grant_type !== "client_credential" || b.appid !== this.appId || b.secret !== this.appSecret) return json({ errcode: 40125, errmsg: "invalid appsecret" });
        const token = `TOKEN_${randomBytes(8).toString("hex")}`;
        this.tokens.add(token);
        return json({ access_token: token, expires_in: this.expiresIn });
      }
      if (req.method === "POST" && url.pathname === "/cgi-bin/message/subscribe/bizsend") {
        if (!this.tokens.has(url.searchParams.get("access_token") ?? "")) return json({ errcode: 40001, errmsg: "invalid credential" });
        const failure = this.bizsendFailures.shift();
        if (failure !== undefined) return json({ errcode: failure, errmsg: "system error" });
        const b = JSON.parse(raw) as { touser?: string; template_id?: string; page?: string; data?: Record<string, { value: string }> };
        if (!b.template_id || !this.templates.has(b.template_id)) return json({ errcode: 40037, errmsg: "invalid template_id" });
        if (!b.touser || !this.subscribers.has(b.touser)) return json({ errcode: 43101, errmsg: "user refuse to accept the msg" });
        // thing.DATA: at most 20 characters; time.DATA: a date-time.
        const data = b.data ?? {};
        for (const [k, v] of Object.entries(data)) {
          if (typeof v?.value !== "string" || (k.startsWith("thing") && Array.from(v.value).length > 20) || (k.startsWith("time") && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(v.value))) {
            return json({ errcode: 47003, errmsg: `argument invalid! data.${k}.value invalid` });
          }
        }
        this.messages.push({ touser: b.touser, template_id: b.template_id, page: b.page, data });
        return json({ errcode: 0, errmsg: "ok", msgid: this.messages.length });
      }
      if (req.method === "GET" && url.pathname === "/cgi-bin/ticket/getticket") {
        this.calls.ticket++;
        if (this.ticketDelayMs) await new Promise((r) => setTimeout(r, this.ticketDelayMs));
        if (!this.tokens.has(url.searchParams.get("access_token") ?? "")) return json({ errcode: 40001, errmsg: "invalid credential" });
        if (this.ticketErrcode) return json({ errcode: this.ticketErrcode, errmsg: "error" });
        if (url.searchParams.get("type") !== "jsapi") return json({ errcode: 40097, errmsg: "invalid args" });
        return json({ errcode: 0, errmsg: "ok", ticket: `TICKET_${this.calls.ticket}_${randomBytes(6).toString("hex")}`, expires_in: this.expiresIn });
      }
      res.writeHead(404).end();
    });
    // Longer than any client's idle keep-alive: a slow machine's client must not reuse a socket the server is closing (ECONNRESET).
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Whether an access_token from stable_token is one this server issued. */
  validToken(token: string): boolean {
    return this.tokens.has(token);
  }

  private authorize(rawUrl: string, url: URL, cookie: string, res: ServerResponse) {
    this.calls.authorize++;
    this.authorizeQueries.push(rawUrl.slice(rawUrl.indexOf("?") + 1));
    const q = url.searchParams;
    const page = (status: number, html: string) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><meta charset="utf-8"><title>微信网页授权</title><body>${html}</body>`);
    };
    // WeChat shows an error page (no redirect) for a wrong appid, scope or order of parameters.
    const keys = [...q.keys()].filter((k) => k !== "confirm");
    if (keys.join(",") !== "appid,redirect_uri,response_type,scope,state") return page(400, "<p>参数错误</p>");
    if (q.get("appid") !== this.appId) return page(400, "<p>appid 参数错误</p>");
    if (q.get("response_type") !== "code") return page(400, "<p>response_type 参数错误</p>");
    const scope = q.get("scope") ?? "";
    if (scope !== "snsapi_base" && scope !== "snsapi_userinfo") return page(400, "<p>scope 参数错误或没有 scope 权限</p>");
    const redirect = q.get("redirect_uri") ?? "";
    if (!/^https?:\/\//.test(redirect)) return page(400, "<p>redirect_uri 参数错误</p>");
    const openid = /(?:^|;\s*)wx_openid=([^;]+)/.exec(cookie)?.[1] ?? this.defaultOpenid;
    const u = this.user(decodeURIComponent(openid));
    if (scope === "snsapi_userinfo" && q.get("confirm") !== "1") {
      const allow = `/connect/oauth2/authorize?${rawUrl.slice(rawUrl.indexOf("?") + 1).split("#")[0]}&confirm=1`;
      return page(200, `<p>申请获得你的昵称、头像</p><p>${u.nickname}</p><a id="allow" href="${allow.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}">允许</a>`);
    }
    const code = randomBytes(16).toString("hex");
    this.codes.set(code, { openid: u.openid, scope, expiresAt: Date.now() + 5 * 60_000, used: false });
    const target = new URL(redirect);
    target.searchParams.set("code", code);
    target.searchParams.set("state", q.get("state") ?? "");
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private oauthToken(q: URLSearchParams): object {
    this.calls.oauthToken++;
    if (q.get("appid") !== this.appId || q.get("secret") !== this.appSecret) return { errcode: 40125, errmsg: "invalid appsecret" };
    if (q.get("grant_type") !== "authorization_code") return { errcode: 40002, errmsg: "invalid grant_type" };
    const c = this.codes.get(q.get("code") ?? "");
    if (!c || c.expiresAt < Date.now()) return { errcode: 40029, errmsg: "invalid code" };
    if (c.used) return { errcode: 40163, errmsg: "code been used" };
    c.used = true;
    const token = `OAUTH_${randomBytes(12).toString("hex")}`;
    this.oauthTokens.set(token, { openid: c.openid, scope: c.scope });
    const u = this.user(c.openid);
    return {
      access_token: token, expires_in: 7200, refresh_token: `REFRESH_${randomBytes(8).toString("hex")}`, openid: c.openid, scope: c.scope,
      ...(this.snapshotUsers.has(c.openid) ? { is_snapshotuser: 1 } : {}), ...(u.unionid ? { unionid: u.unionid } : {}),
    };
  }

  private userinfo(q: URLSearchParams): object {
    this.calls.userinfo++;
    const t = this.oauthTokens.get(q.get("access_token") ?? "");
    if (!t) return { errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" };
    if (q.get("openid") !== t.openid) return { errcode: 40003, errmsg: "invalid openid" };
    if (t.scope !== "snsapi_userinfo") return { errcode: 48001, errmsg: "api unauthorized" };
    const u = this.user(t.openid);
    return { openid: u.openid, nickname: u.nickname, sex: 0, province: "", city: "", country: "", headimgurl: u.headimgurl, privilege: [], ...(u.unionid ? { unionid: u.unionid } : {}) };
  }
}
