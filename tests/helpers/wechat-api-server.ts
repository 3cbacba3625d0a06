// A local stand-in for api.weixin.qq.com (公众号 server API): stable_token and jsapi getticket with
// WeChat's answer shapes and errcodes, counting how often each is asked.
import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";

export class WechatApiTestServer {
  readonly appId = "wx1234567890abcdef";
  readonly appSecret = randomBytes(16).toString("hex");
  readonly calls = { token: 0, ticket: 0 };
  /** Seconds each credential lives (WeChat: 7200). */
  expiresIn = 7200;
  /** Answer getticket with this errcode (e.g. 40001 invalid credential) instead of a ticket. */
  ticketErrcode = 0;
  /** Milliseconds getticket takes, to make concurrent callers overlap. */
  ticketDelayMs = 0;
  private tokens = new Set<string>();
  private server: Server | null = null;
  baseUrl = "";

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = new URL(req.url ?? "/", "http://local");
      const json = (data: object) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(data));
      };
      if (req.method === "POST" && url.pathname === "/cgi-bin/stable_token") {
        this.calls.token++;
        const b = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { grant_type?: string; appid?: string; secret?: string };
        if (b.grant_type !== "client_credential" || b.appid !== this.appId || b.secret !== this.appSecret) return json({ errcode: 40125, errmsg: "invalid appsecret" });
        const token = `TOKEN_${randomBytes(8).toString("hex")}`;
        this.tokens.add(token);
        return json({ access_token: token, expires_in: this.expiresIn });
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
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
