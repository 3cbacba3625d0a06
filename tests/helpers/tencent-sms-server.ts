// A local Tencent Cloud API endpoint for SMS (SendSms, version 2021-01-11) that checks the TC3-HMAC-SHA256
// signature exactly as Tencent Cloud does (canonical request, credential scope date/sms/tc3_request,
// derived signing key) and answers in Tencent Cloud's response shape. The SDK reaches it under the
// real host name through an agent that resolves every name to this loopback server.
import { createServer, Agent, type Server } from "node:http";
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { LookupFunction } from "node:net";
import type { TencentSmsConfig } from "../../server/sms/tencent";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const hmac = (key: Buffer | string, s: string) => createHmac("sha256", key).update(s).digest();

export interface SentSms {
  phone: string;
  signName: string;
  templateId: string;
  params: string[];
}

export class TencentSmsTestServer {
  readonly secretId = `AKID${randomBytes(16).toString("hex")}`;
  readonly secretKey = randomBytes(16).toString("hex");
  readonly sdkAppId = "1400006666";
  readonly sent: SentSms[] = [];
  readonly rejected: string[] = [];
  /** Numbers the operator refuses (SendStatus Code FailedOperation.PhoneNumberInBlacklist). */
  readonly blacklist = new Set<string>();
  private server: Server | null = null;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const payload = Buffer.concat(chunks).toString("utf8");
      const answer = (body: object) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ Response: { ...body, RequestId: randomUUID() } }));
      };
      const problem = this.signatureProblem(req.method ?? "", req.url ?? "/", req.headers as Record<string, string>, payload);
      if (problem) {
        this.rejected.push(problem);
        return answer({ Error: { Code: problem, Message: "The provided credentials could not be validated." } });
      }
      if (req.headers["x-tc-action"] !== "SendSms" || req.headers["x-tc-version"] !== "2021-01-11") return answer({ Error: { Code: "InvalidAction", Message: "action" } });
      const b = JSON.parse(payload) as { SmsSdkAppId: string; SignName: string; TemplateId: string; TemplateParamSet: string[]; PhoneNumberSet: string[] };
      if (b.SmsSdkAppId !== this.sdkAppId) return answer({ Error: { Code: "FailedOperation.SmsSdkAppIdVerifyFail", Message: "SdkAppId" } });
      const SendStatusSet = b.PhoneNumberSet.map((phone) => {
        if (!/^\+861\d{10}$/.test(phone)) return { SerialNo: "", PhoneNumber: phone, Fee: 0, SessionContext: "", Code: "InvalidParameterValue.IncorrectPhoneNumber", Message: "incorrect phone", IsoCode: "CN" };
        if (this.blacklist.has(phone)) return { SerialNo: "", PhoneNumber: phone, Fee: 0, SessionContext: "", Code: "FailedOperation.PhoneNumberInBlacklist", Message: "blacklist", IsoCode: "CN" };
        this.sent.push({ phone, signName: b.SignName, templateId: b.TemplateId, params: b.TemplateParamSet });
        return { SerialNo: randomUUID(), PhoneNumber: phone, Fee: 1, SessionContext: "", Code: "Ok", Message: "send success", IsoCode: "CN" };
      });
      return answer({ SendStatusSet });
    });
    // Longer than any client's idle keep-alive: a slow machine's client must not reuse a socket the server is closing (ECONNRESET).
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** TC3-HMAC-SHA256 as documented (签名方法 v3); null when the request is genuine. */
  private signatureProblem(method: string, url: string, headers: Record<string, string>, payload: string): string | null {
    const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? "");
    if (!m) return "AuthFailure.SignatureFailure";
    const [, secretId, date, service, signedHeaders, signature] = m;
    if (secretId !== this.secretId) return "AuthFailure.SecretIdNotFound";
    if (service !== "sms") return "AuthFailure.SignatureFailure";
    const timestamp = Number(headers["x-tc-timestamp"]);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return "AuthFailure.SignatureExpire";
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return "AuthFailure.SignatureFailure";
    const u = new URL(url, "http://local");
    const canonicalHeaders = signedHeaders
      .split(";")
      .map((h) => `${h}:${h === "host" ? String(headers.host).replace(/:\d+$/, "") : String(headers[h] ?? "").trim().toLowerCase()}\n`)
      .join("");
    const canonical = [method, u.pathname, u.search.slice(1), canonicalHeaders, signedHeaders, sha256(payload)].join("\n");
    const scope = `${date}/${service}/tc3_request`;
    const toSign = ["TC3-HMAC-SHA256", String(timestamp), scope, sha256(canonical)].join("\n");
    const key = hmac(hmac(hmac(`TC3${this.secretKey}`, date), service), "tc3_request");
    return createHmac("sha256", key).update(toSign).digest("hex") === signature ? null : "AuthFailure.SignatureFailure";
  }

  /** The adapter's settings, reaching this server under Tencent Cloud's real host name. */
  config(over: Partial<TencentSmsConfig> = {}): TencentSmsConfig {
    const lookup: LookupFunction = (_host, opts, cb) => {
      if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: "127.0.0.1", family: 4 }]);
      else cb(null, "127.0.0.1", 4);
    };
    return {
      secretId: this.secretId,
      secretKey: this.secretKey,
      sdkAppId: this.sdkAppId,
      signName: "裂变商城",
      templates: { otp: "1234567" },
      endpoint: `sms.tencentcloudapi.com:${this.port}`,
      protocol: "http://",
      agent: new Agent({ lookup } as ConstructorParameters<typeof Agent>[0]),
      ...over,
    };
  }
}
