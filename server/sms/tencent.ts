// Tencent Cloud SMS (短信 API 2021-01-11, SendSms) through the official tencentcloud-sdk-nodejs-sms:
// the SDK signs each request with TC3-HMAC-SHA256. Messages go out as approved templates (China
// requires a registered signature and template); each code template takes [code, minutes].
import type { Agent } from "node:http";
import { sms } from "tencentcloud-sdk-nodejs-sms";
import type { SmsMessageInput, SmsProvider, SmsTemplateKind } from "./index";
import { SmsSendError } from "./errors";
import type { Env } from "../env";

export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  /** Template ids by message kind; a kind without its own id goes out as the sign-in code template. */
  templates: { otp: string } & Partial<Record<SmsTemplateKind, string>>;
  region?: string;
  /** Tests: where the API is reached (protocol "http://", an agent that resolves to a local server). */
  endpoint?: string;
  protocol?: string;
  agent?: Agent;
}

/**
 * Codes that refuse this number, as SendStatus or API error codes (短信 API 3.0 错误码): invalid, on the operator's
 * or the unsubscribed blacklist, or past the account's limits per number (30 s, 1 h, day, same content per day).
 */
const PHONE_CODES = /^(InvalidParameterValue\.IncorrectPhoneNumber|FailedOperation\.PhoneNumberInBlacklist|LimitExceeded\.PhoneNumber(ThirtySecond|OneHour|Daily|SameContentDaily)Limit)$/;

/** A refusal by its code alone: the vendor's message, and the SDK's for a failed request, may name the number. */
function refusal(what: string, code: string | undefined): SmsSendError {
  // No code (timeout, reset, an HTTP error status) or InternalError.* (the vendor's own failure, e.g. InternalError.Timeout): maybe sent.
  const mayHaveSent = code === undefined || code.startsWith("InternalError");
  return new SmsSendError(code && PHONE_CODES.test(code) ? "phone" : "unavailable", code ?? "no code", `Tencent Cloud SMS ${what}: ${code ?? "no code"}`, mayHaveSent);
}

export class TencentSmsProvider implements SmsProvider {
  readonly name = "tencent";
  private readonly client: InstanceType<typeof sms.v20210111.Client>;

  constructor(private readonly cfg: TencentSmsConfig) {
    this.client = new sms.v20210111.Client({
      credential: { secretId: cfg.secretId, secretKey: cfg.secretKey },
      region: cfg.region ?? "ap-guangzhou",
      profile: { httpProfile: { reqTimeout: 10, ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}), ...(cfg.protocol ? { protocol: cfg.protocol } : {}), ...(cfg.agent ? { agent: cfg.agent } : {}) } },
    });
  }

  async send(msg: SmsMessageInput): Promise<void> {
    if (!msg.template) throw new Error("Tencent Cloud SMS sends templates only");
    const res = await this.client
      .SendSms({
        SmsSdkAppId: this.cfg.sdkAppId,
        SignName: this.cfg.signName,
        TemplateId: this.cfg.templates[msg.template.kind] || this.cfg.templates.otp,
        TemplateParamSet: msg.template.params,
        PhoneNumberSet: [msg.phone.startsWith("+") ? msg.phone : `+86${msg.phone}`],
      })
      .catch((err: unknown) => {
        // TencentCloudSDKHttpException: an API error has its Code, a failed connection none.
        const code = (err as { code?: unknown } | null)?.code;
        throw refusal("request failed", typeof code === "string" && code ? code : undefined);
      });
    const status = res.SendStatusSet?.[0];
    if (status?.Code !== "Ok") throw refusal("refused the message", status?.Code);
  }
}

export function tencentSmsConfigFromEnv(env: Env): TencentSmsConfig {
  return {
    secretId: env.TENCENTCLOUD_SECRET_ID ?? "",
    secretKey: env.TENCENTCLOUD_SECRET_KEY ?? "",
    sdkAppId: env.TENCENT_SMS_SDK_APP_ID ?? "",
    signName: env.TENCENT_SMS_SIGN_NAME ?? "",
    templates: { otp: env.TENCENT_SMS_TEMPLATE_OTP ?? "", deletion: env.TENCENT_SMS_TEMPLATE_DELETION, payee: env.TENCENT_SMS_TEMPLATE_PAYEE },
    region: env.TENCENT_SMS_REGION || undefined,
  };
}
