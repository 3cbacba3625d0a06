// Development SMS provider: writes each message to the SmsMessage table (listed at /dev/sms).
// Only the masked number and the lookup hash are stored, never the number itself.
import type { PrismaClient } from "@/server/db";
import type { SmsMessageInput, SmsProvider } from "./index";

export class DevOutboxSmsProvider implements SmsProvider {
  readonly name = "outbox";
  constructor(private readonly db: PrismaClient) {}

  async send(msg: SmsMessageInput): Promise<void> {
    await this.db.smsMessage.create({
      data: { phoneHash: msg.phoneHash, phoneMasked: msg.phoneMasked, body: msg.body, createdAt: new Date() },
    });
  }
}

export async function listOutbox(db: PrismaClient, limit = 50) {
  return db.smsMessage.findMany({ orderBy: { id: "desc" }, take: limit });
}
