// Tencent Cloud SMS (短信 API 2021-01-11, SendSms) through the official tencentcloud-sdk-nodejs-sms:
// the SDK signs each request with TC3-HMAC-SHA256. Messages go out as approved templates (China
// requires a registered signature and template); each code template takes [code, minutes].
import type { Agent } from "node:http";
import { sms } from "tencentcloud-sdk-nodejs-sms";
import type { SmsMessageInput, SmsProvider, SmsTemplateKind } from "./index";
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
    const res = await this.client.SendSms({
      SmsSdkAppId: this.cfg.sdkAppId,
      SignName: this.cfg.signName,
      TemplateId: this.cfg.templates[msg.template.kind] || this.cfg.templates.otp,
      TemplateParamSet: msg.template.params,
      PhoneNumberSet: [msg.phone.startsWith("+") ? msg.phone : `+86${msg.phone}`],
    });
    const status = res.SendStatusSet?.[0];
    // The status code only: the message names the phone number.
    if (status?.Code !== "Ok") throw new Error(`Tencent Cloud SMS refused the message: ${status?.Code ?? "no status"}`);
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
