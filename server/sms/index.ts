// SMS sending behind one interface, selected by SMS_PROVIDER: "tencent" (Tencent Cloud SMS), "aliyun"
// (Alibaba Cloud SMS), or the development outbox.
import type { PrismaClient } from "@/server/db";
import { AliyunSmsProvider, aliyunSmsConfigFromEnv } from "./aliyun";
import { DevOutboxSmsProvider } from "./dev-outbox";
import { TencentSmsProvider, tencentSmsConfigFromEnv } from "./tencent";
import { isProduction, testToken, type Env } from "../env";
import { testDoorFlag } from "../test-doors";

/**
 * The approved templates a message can go out as: the sign-in code, the 注销账号 confirmation code, the code that
 * binds or changes the Alipay login withdrawals are paid to.
 */
export type SmsTemplateKind = "otp" | "deletion" | "payee";

export interface SmsMessageInput {
  /** Normalised phone number: the provider needs it; never log it. */
  phone: string;
  phoneHash: string;
  phoneMasked: string;
  /** The text without a signature: a vendor puts its registered one before it, the outbox the shop's name. */
  body: string;
  /** The same message as an approved template and its parameters (real providers send only these). */
  template?: { kind: SmsTemplateKind; params: string[] };
}

export interface SmsProvider {
  readonly name: string;
  send(msg: SmsMessageInput): Promise<void>;
}

/**
 * The dev outbox is on outside production, and in production only for a test run (DEV_OUTBOX=1 and
 * a per-run FM_TEST_TOKEN): it stores codes in the database, readable at /dev/sms (server/test-doors.ts).
 */
export function devOutboxEnabled(env: Env = process.env): boolean {
  return testDoorFlag("outbox", env) && (!isProduction(env) || testToken(env) !== null);
}

/** Who sends SMS here (SMS_PROVIDER; the dev outbox when unset). */
export function smsProviderName(): string {
  return process.env.SMS_PROVIDER ?? "outbox";
}

export function getSmsProvider(db: PrismaClient): SmsProvider {
  const name = smsProviderName();
  if (name === "outbox") {
    if (!devOutboxEnabled()) throw new Error("短信服务未配置（生产环境请设置 SMS_PROVIDER）");
    return new DevOutboxSmsProvider(db);
  }
  if (name === "tencent") return new TencentSmsProvider(tencentSmsConfigFromEnv(process.env));
  if (name === "aliyun") return new AliyunSmsProvider(aliyunSmsConfigFromEnv(process.env));
  throw new Error(`未知的短信服务 SMS_PROVIDER=${name}`);
}
