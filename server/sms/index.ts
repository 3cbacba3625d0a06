// SMS sending behind one interface. Only the development outbox exists today; a real provider
// (Aliyun / Tencent Cloud SMS) implements SmsProvider and is selected by SMS_PROVIDER.
import type { PrismaClient } from "@/server/db";
import { DevOutboxSmsProvider } from "./dev-outbox";

export interface SmsMessageInput {
  /** Normalised phone number: the provider needs it; never log it. */
  phone: string;
  phoneHash: string;
  phoneMasked: string;
  body: string;
}

export interface SmsProvider {
  readonly name: string;
  send(msg: SmsMessageInput): Promise<void>;
}

/**
 * The dev outbox is on outside production, and in production only with DEV_OUTBOX=1 (end-to-end
 * tests, demos): it stores messages in the database, where anyone with /dev/sms can read them.
 */
export function devOutboxEnabled(): boolean {
  return process.env.NODE_ENV !== "production" || process.env.DEV_OUTBOX === "1";
}

export function getSmsProvider(db: PrismaClient): SmsProvider {
  const name = process.env.SMS_PROVIDER ?? "outbox";
  if (name === "outbox") {
    if (!devOutboxEnabled()) throw new Error("短信服务未配置（生产环境请设置 SMS_PROVIDER）");
    return new DevOutboxSmsProvider(db);
  }
  throw new Error(`未知的短信服务 SMS_PROVIDER=${name}`);
}
