// Alibaba Cloud SMS through the official SDK against a local Dysmsapi endpoint that checks the ACS3-HMAC-SHA256
// signature (V3) as Alibaba Cloud publishes it: a code goes out as its kind's approved template with
// {code, minutes}; a refused number, a wrong secret or AccessKey surface as errors naming only the vendor's
// code, and neither the phone, the code nor the secret reaches a thrown message or a log line.
import { createServer, type Server } from "node:http";
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { AliyunSmsProvider, aliyunSmsConfigFromEnv, type AliyunSmsConfig } from "../../server/sms/aliyun";
import type * as SmsModule from "../../server/sms";
import { productionEnvProblems } from "../../server/env";
import { describeError } from "../../server/api/internal-errors";
import { freshDatabase } from "../helpers/db";

const holder = vi.hoisted(() => ({ provider: null as unknown }));
vi.mock("@/server/sms", async (importOriginal) => ({ ...(await importOriginal<object>()), getSmsProvider: () => holder.provider }));
const { sendOtpCode, sendSignInCode, verifySignInCode } = await import("../../server/auth/otp");
const { getSmsProvider: realGetSmsProvider } = await vi.importActual<typeof SmsModule>("../../server/sms");

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
/** RFC 3986 percent-encoding, as the V3 canonical query string takes it (space %20, `*` %2A, `~` kept). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface SentSms {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
}

/**
 * A local Dysmsapi (2017-05-25) endpoint. It checks each request's Authorization exactly as Alibaba Cloud's
 * "V3 request structure and signature" describes: canonical request (method, path, sorted RFC 3986 query,
 * the signed headers, SHA-256 of the body received), string to sign "ACS3-HMAC-SHA256\n" + its SHA-256, and
 * HMAC-SHA256 with the AccessKey secret. A refused request gets Alibaba Cloud's error shape; a business
 * refusal is HTTP 200 with a Code other than "OK", as SendSms answers.
 */
class DysmsapiTestServer {
  readonly accessKeyId = `LTAI${randomBytes(10).toString("hex")}`;
  readonly accessKeySecret = randomBytes(15).toString("base64url");
  readonly sent: SentSms[] = [];
  readonly rejected: string[] = [];
  /** Numbers over the vendor's flow control (isv.BUSINESS_LIMIT_CONTROL). */
  readonly limited = new Set<string>();
  /** The approved templates and their variables. */
  readonly templates = new Map([
    ["SMS_123456789", ["code", "minutes"]],
    ["SMS_987654321", ["code", "minutes"]],
    ["SMS_555000111", ["code", "minutes"]],
  ]);
  private readonly nonces = new Set<string>();
  private server: Server | null = null;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const answer = (status: number, body: object) => {
        res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
        res.end(JSON.stringify({ RequestId: randomUUID(), ...body }));
      };
      const refusal = this.authProblem(req.method ?? "", req.url ?? "/", req.headers as Record<string, string>, Buffer.concat(chunks));
      if (refusal) {
        this.rejected.push(refusal.Code);
        return answer(refusal.status, { Code: refusal.Code, Message: refusal.Message, HostId: "dysmsapi.aliyuncs.com", Recommend: `https://api.aliyun.com/troubleshoot?q=${refusal.Code}&product=Dysmsapi` });
      }
      if (req.headers["x-acs-action"] !== "SendSms" || req.headers["x-acs-version"] !== "2017-05-25") return answer(404, { Code: "InvalidAction.NotFound", Message: "Specified api is not found." });
      const q = new URL(req.url ?? "/", "http://local").searchParams;
      const phone = q.get("PhoneNumbers") ?? "";
      const refuse = (Code: string, Message: string) => answer(200, { Code, Message });
      if (!/^1\d{10}$/.test(phone)) return refuse("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
      if (q.get("SignName") !== "裂变商城") return refuse("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名");
      const variables = this.templates.get(q.get("TemplateCode") ?? "");
      if (!variables) return refuse("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板");
      let params: Record<string, string>;
      try {
        params = JSON.parse(q.get("TemplateParam") ?? "") as Record<string, string>;
      } catch {
        return refuse("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值");
      }
      if (variables.some((v) => typeof params[v] !== "string")) return refuse("isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值");
      if (this.limited.has(phone)) return refuse("isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5");
      this.sent.push({ phone, signName: q.get("SignName")!, templateCode: q.get("TemplateCode")!, params });
      return answer(200, { Code: "OK", Message: "OK", BizId: `${Date.now()}^0` });
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

  /** Signature V3 as documented; null when the request is genuine. */
  private authProblem(method: string, url: string, headers: Record<string, string>, body: Buffer): { status: number; Code: string; Message: string } | null {
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? "");
    const signed = m ? m[2].split(";") : [];
    const required = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"];
    if (!m || required.some((h) => !signed.includes(h)) || signed.join(";") !== [...signed].sort().join(";")) {
      return { status: 400, Code: "IncompleteSignature", Message: "The request signature does not conform to Aliyun standards." };
    }
    const [, accessKeyId, signedHeaders, signature] = m;
    if (accessKeyId !== this.accessKeyId) return { status: 404, Code: "InvalidAccessKeyId.NotFound", Message: "Specified access key is not found." };
    const date = Date.parse(headers["x-acs-date"] ?? "");
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(headers["x-acs-date"] ?? "") || Math.abs(Date.now() - date) > 15 * 60_000) {
      return { status: 400, Code: "InvalidTimeStamp.Expired", Message: "Specified time stamp or date value is expired." };
    }
    const u = new URL(url, "http://local");
    const query = [...u.searchParams].map(([k, v]) => [rfc3986(k), rfc3986(v)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonical = [
      method,
      u.pathname,
      query.map(([k, v]) => `${k}=${v}`).join("&"),
      signed.map((h) => `${h}:${String(headers[h] ?? "").trim()}\n`).join(""),
      signedHeaders,
      sha256(body),
    ].join("\n");
    const stringToSign = `ACS3-HMAC-SHA256\n${sha256(canonical)}`;
    if (createHmac("sha256", this.accessKeySecret).update(stringToSign).digest("hex") !== signature) {
      // Alibaba Cloud echoes what it signed, every parameter included: the adapter must not pass this on.
      return { status: 400, Code: "SignatureDoesNotMatch", Message: `Specified signature does not match our calculation. server string to sign is:${stringToSign} canonical request:${canonical}` };
    }
    const nonce = headers["x-acs-signature-nonce"];
    if (this.nonces.has(nonce)) return { status: 400, Code: "SignatureNonceUsed", Message: "Specified signature nonce was used already." };
    this.nonces.add(nonce);
    return null;
  }

  /** The settings as the deployment gives them, pointed at this server. */
  env(over: Record<string, string> = {}): Record<string, string> {
    return {
      ALIYUN_SMS_ACCESS_KEY_ID: this.accessKeyId,
      ALIYUN_SMS_ACCESS_KEY_SECRET: this.accessKeySecret,
      ALIYUN_SMS_SIGN_NAME: "裂变商城",
      ALIYUN_SMS_TEMPLATE_OTP: "SMS_123456789",
      ALIYUN_SMS_ENDPOINT: `http://127.0.0.1:${this.port}`,
      ...over,
    };
  }

  config(over: Record<string, string> = {}): AliyunSmsConfig {
    return aliyunSmsConfigFromEnv(this.env(over));
  }
}

let database: Database;
let ali: DysmsapiTestServer;
/** Everything the code under test wrote to the console. */
const logged: string[] = [];

beforeAll(async () => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
  ali = await new DysmsapiTestServer().start();
  holder.provider = new AliyunSmsProvider(ali.config());
  database = await freshDatabase();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await ali.stop();
  await database.close();
});

const msg = (phone: string) => ({ phone, phoneHash: "h", phoneMasked: "m", body: "x", template: { kind: "otp" as const, params: ["246810", "5"] } });

/** The error a send threw, and everything of it a log line could show, checked free of the phone, the code and the keys. */
async function failure(send: Promise<void>, phone: string): Promise<Error> {
  const err = await send.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  const shown = [describeError(err), String(err), JSON.stringify(err), String((err as Error).cause ?? "")].join("\n");
  for (const secret of [phone, "246810", ali.accessKeySecret, "0".repeat(30)]) expect(shown).not.toContain(secret);
  return err as Error;
}

describe("Alibaba Cloud SMS", () => {
  it("a sign-in code goes out as ALIYUN_SMS_TEMPLATE_OTP with {code, minutes}, signed with ACS3-HMAC-SHA256, and the code then signs in", async () => {
    await sendSignInCode(database.prisma, "13800138000", "203.0.113.9");
    expect(ali.rejected).toEqual([]);
    expect(ali.sent).toHaveLength(1);
    const sent = ali.sent[0];
    expect(sent).toMatchObject({ phone: "13800138000", signName: "裂变商城", templateCode: "SMS_123456789" });
    expect(sent.params).toEqual({ code: expect.stringMatching(/^\d{6}$/), minutes: "5" });
    expect(await verifySignInCode(database.prisma, "13800138000", sent.params.code)).toMatchObject({ phone: "13800138000" });
  });

  it("a 注销账号 code goes out as ALIYUN_SMS_TEMPLATE_DELETION's template, or as the sign-in template when it is unset", async () => {
    const sendAs = async (p: AliyunSmsProvider, purpose: "sign_in" | "deletion", phone: string) => {
      holder.provider = p;
      await sendOtpCode(database.prisma, purpose, phone, "203.0.113.10");
      return ali.sent.at(-1)!;
    };
    const own = new AliyunSmsProvider(ali.config({ ALIYUN_SMS_TEMPLATE_DELETION: "SMS_987654321" }));
    const deletion = await sendAs(own, "deletion", "13800138010");
    expect(deletion).toMatchObject({ phone: "13800138010", templateCode: "SMS_987654321" });
    expect(deletion.params).toEqual({ code: expect.stringMatching(/^\d{6}$/), minutes: "5" });
    expect((await sendAs(own, "sign_in", "13800138011")).templateCode).toBe("SMS_123456789");
    expect((await sendAs(new AliyunSmsProvider(ali.config()), "deletion", "13800138012")).templateCode).toBe("SMS_123456789");
    expect(ali.rejected).toEqual([]);
  });

  it("a code that binds or changes the payout Alipay login goes out as ALIYUN_SMS_TEMPLATE_PAYEE's template, or as the sign-in template when it is unset", async () => {
    const sendAs = async (p: AliyunSmsProvider, purpose: "sign_in" | "deletion" | "payee", phone: string) => {
      holder.provider = p;
      await sendOtpCode(database.prisma, purpose, phone, "203.0.113.11");
      return ali.sent.at(-1)!;
    };
    const own = new AliyunSmsProvider(ali.config({ ALIYUN_SMS_TEMPLATE_DELETION: "SMS_987654321", ALIYUN_SMS_TEMPLATE_PAYEE: "SMS_555000111" }));
    const payee = await sendAs(own, "payee", "13800138020");
    expect(payee).toMatchObject({ phone: "13800138020", templateCode: "SMS_555000111" });
    expect(payee.params).toEqual({ code: expect.stringMatching(/^\d{6}$/), minutes: "5" });
    // Each purpose keeps its own template: the payee one goes out for nothing else.
    expect((await sendAs(own, "sign_in", "13800138021")).templateCode).toBe("SMS_123456789");
    expect((await sendAs(own, "deletion", "13800138022")).templateCode).toBe("SMS_987654321");
    // Unset (or empty), the payee code goes out as the sign-in template, even when a deletion template is set.
    const deletionOnly = new AliyunSmsProvider(ali.config({ ALIYUN_SMS_TEMPLATE_DELETION: "SMS_987654321" }));
    expect((await sendAs(deletionOnly, "payee", "13800138023")).templateCode).toBe("SMS_123456789");
    expect((await sendAs(new AliyunSmsProvider(ali.config({ ALIYUN_SMS_TEMPLATE_PAYEE: "" })), "payee", "13800138024")).templateCode).toBe("SMS_123456789");
    expect(ali.rejected).toEqual([]);
  });

  it("a refusal of the vendor (flow control, an illegal number) is an error naming its code, not a silent success", async () => {
    ali.limited.add("13800138002");
    const provider = new AliyunSmsProvider(ali.config());
    const limited = await failure(provider.send(msg("13800138002")), "13800138002");
    expect(limited.message).toBe("Alibaba Cloud SMS refused the message: isv.BUSINESS_LIMIT_CONTROL");
    const illegal = await failure(provider.send(msg("1380013800")), "1380013800");
    expect(illegal.message).toBe("Alibaba Cloud SMS refused the message: isv.MOBILE_NUMBER_ILLEGAL");
    expect(ali.sent.map((s) => s.phone)).not.toContain("13800138002");
    // Both refuse this number (the shopper is told so, server/auth/otp.ts); a template the account lacks is the vendor unavailable.
    expect([limited, illegal]).toMatchObject([{ refusal: "phone", code: "isv.BUSINESS_LIMIT_CONTROL" }, { refusal: "phone", code: "isv.MOBILE_NUMBER_ILLEGAL" }]);
    const noTemplate = new AliyunSmsProvider({ ...ali.config(), templates: { otp: "SMS_000000000" } });
    expect(await failure(noTemplate.send(msg("13800138004")), "13800138004")).toMatchObject({ refusal: "unavailable", code: "isv.SMS_TEMPLATE_ILLEGAL" });
  });

  it("a wrong AccessKey secret fails the endpoint's signature check and surfaces as a settings error", async () => {
    const forged = new AliyunSmsProvider(ali.config({ ALIYUN_SMS_ACCESS_KEY_SECRET: "0".repeat(30) }));
    const err = await failure(forged.send(msg("13800138001")), "13800138001");
    expect(ali.rejected).toContain("SignatureDoesNotMatch");
    expect(err.message).toBe("Alibaba Cloud SMS refused the AccessKey (SignatureDoesNotMatch): check ALIYUN_SMS_ACCESS_KEY_ID and ALIYUN_SMS_ACCESS_KEY_SECRET");
    expect(ali.sent.map((s) => s.phone)).not.toContain("13800138001");

    const unknownKey = new AliyunSmsProvider(ali.config({ ALIYUN_SMS_ACCESS_KEY_ID: "LTAI0000000000000000" }));
    expect((await failure(unknownKey.send(msg("13800138003")), "13800138003")).message).toMatch(/^Alibaba Cloud SMS refused the AccessKey \(InvalidAccessKeyId\.NotFound\)/);
  });

  it("nothing was logged that names a phone number, a code or the secret", () => {
    const text = logged.join("\n");
    for (const secret of ["138001380", "246810", ali.accessKeySecret, ...ali.sent.map((s) => s.params.code)]) expect(text).not.toContain(secret);
  });

  it("SMS_PROVIDER=aliyun selects it; production names its missing settings", () => {
    vi.stubEnv("SMS_PROVIDER", "aliyun");
    expect(realGetSmsProvider(database.prisma).name).toBe("aliyun");
    vi.unstubAllEnvs();
    const names = productionEnvProblems({ NODE_ENV: "production", SMS_PROVIDER: "aliyun" }).map((p) => p.split(":")[0]);
    expect(names).toEqual(expect.arrayContaining(["ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME", "ALIYUN_SMS_TEMPLATE_OTP"]));
    expect(names).not.toContain("SMS_PROVIDER");
    expect(names).not.toContain("ALIYUN_SMS_TEMPLATE_DELETION");
    expect(names).not.toContain("ALIYUN_SMS_TEMPLATE_PAYEE");
  });
});
