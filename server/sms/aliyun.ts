// Alibaba Cloud SMS (Dysmsapi 2017-05-25, SendSms) through the official @alicloud/dysmsapi20170525: the
// SDK signs each request with ACS3-HMAC-SHA256 (signature V3). Messages go out as approved templates (China
// requires a registered signature and template); each code template has the variables ${code} and ${minutes}.
import * as dysmsapi from "@alicloud/dysmsapi20170525";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import type { SmsMessageInput, SmsProvider, SmsTemplateKind } from "./index";
import { SmsSendError } from "./errors";
import type { Env } from "../env";

// CommonJS with exports.default: a bundler hands over the class, Node's own ESM loader (tsx) the module around it.
const Dysmsapi = (dysmsapi.default as unknown as { default?: typeof dysmsapi.default }).default ?? dysmsapi.default;

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Template codes by message kind; a kind without its own code goes out as the sign-in code template. */
  templates: { otp: string } & Partial<Record<SmsTemplateKind, string>>;
  /** The API's origin (default https://dysmsapi.aliyuncs.com; tests: http://127.0.0.1:<port>). */
  endpoint?: string;
}

/** Codes of a request refused for its AccessKey or signature: the settings are wrong, not the message. */
const CREDENTIAL_CODES = /^(SignatureDoesNotMatch|IncompleteSignature|InvalidAccessKeyId\.|Forbidden\.)/;
/** Codes that refuse this number (API 错误码): not a valid number, or past the vendor's limits per number (业务限流). */
const PHONE_CODES = /^isv\.(MOBILE_NUMBER_ILLEGAL|BUSINESS_LIMIT_CONTROL)$/;

export class AliyunSmsProvider implements SmsProvider {
  readonly name = "aliyun";
  private readonly client: InstanceType<typeof Dysmsapi>;

  constructor(private readonly cfg: AliyunSmsConfig) {
    const url = new URL(cfg.endpoint || "https://dysmsapi.aliyuncs.com");
    this.client = new Dysmsapi(
      new $OpenApiUtil.Config({
        accessKeyId: cfg.accessKeyId,
        accessKeySecret: cfg.accessKeySecret,
        endpoint: url.host,
        protocol: url.protocol.replace(/:$/, ""),
        connectTimeout: 5_000,
        readTimeout: 10_000,
      }),
    );
  }

  async send(msg: SmsMessageInput): Promise<void> {
    if (!msg.template) throw new Error("Alibaba Cloud SMS sends templates only");
    const [code, minutes] = msg.template.params;
    const request = new dysmsapi.SendSmsRequest({
      // The normalised phone is the 11-digit mainland number, which SendSms takes without a prefix.
      phoneNumbers: msg.phone,
      signName: this.cfg.signName,
      templateCode: this.cfg.templates[msg.template.kind] || this.cfg.templates.otp,
      templateParam: JSON.stringify({ code, minutes }),
    });
    const res = await this.client.sendSms(request).catch((err: unknown) => {
      throw requestFailure(err);
    });
    // The response code only: the message may name the phone number.
    const status = res.body?.code;
    // An answer without a code is no refusal: the message may have gone out.
    if (status !== "OK") throw new SmsSendError(status && PHONE_CODES.test(status) ? "phone" : "unavailable", status || "no status", `Alibaba Cloud SMS refused the message: ${status || "no status"}`, !status);
  }
}

/** A failed call as its error code alone: the SDK's message carries the vendor's, which echoes the signed request (phone number and code). */
function requestFailure(err: unknown): SmsSendError {
  const { code, statusCode } = (err ?? {}) as { code?: unknown; statusCode?: unknown };
  const name = typeof code === "string" ? code : "no code";
  // Only a 4xx answer refuses the request; a timeout, a reset or the vendor's 5xx may follow a message that went out.
  const mayHaveSent = !(typeof statusCode === "number" && statusCode >= 400 && statusCode < 500);
  if (CREDENTIAL_CODES.test(name)) {
    return new SmsSendError("unavailable", name, `Alibaba Cloud SMS refused the AccessKey (${name}): check ALIYUN_SMS_ACCESS_KEY_ID and ALIYUN_SMS_ACCESS_KEY_SECRET`, mayHaveSent);
  }
  return new SmsSendError(PHONE_CODES.test(name) ? "phone" : "unavailable", name, `Alibaba Cloud SMS request failed: ${name}`, mayHaveSent);
}

export function aliyunSmsConfigFromEnv(env: Env): AliyunSmsConfig {
  return {
    accessKeyId: env.ALIYUN_SMS_ACCESS_KEY_ID ?? "",
    accessKeySecret: env.ALIYUN_SMS_ACCESS_KEY_SECRET ?? "",
    signName: env.ALIYUN_SMS_SIGN_NAME ?? "",
    templates: { otp: env.ALIYUN_SMS_TEMPLATE_OTP ?? "", deletion: env.ALIYUN_SMS_TEMPLATE_DELETION, payee: env.ALIYUN_SMS_TEMPLATE_PAYEE },
    endpoint: env.ALIYUN_SMS_ENDPOINT || undefined,
  };
}
