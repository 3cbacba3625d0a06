// Development SMS provider: writes each message to the SmsMessage table (listed at /dev/sms).
// Only the masked number and the lookup hash are stored, never the number itself.
import type { PrismaClient } from "@/server/db";
import { getShopProfile } from "@/server/shop/profile";
import type { SmsMessageInput, SmsProvider } from "./index";

export class DevOutboxSmsProvider implements SmsProvider {
  readonly name = "outbox";
  constructor(private readonly db: PrismaClient) {}

  async send(msg: SmsMessageInput): Promise<void> {
    // A vendor puts its registered signature (SignName) before the text; the outbox signs with the shop's name (店铺资料).
    const { name } = await getShopProfile(this.db);
    await this.db.smsMessage.create({
      data: { phoneHash: msg.phoneHash, phoneMasked: msg.phoneMasked, body: `【${name}】${msg.body}`, createdAt: new Date() },
    });
  }
}

export async function listOutbox(db: PrismaClient, limit = 50) {
  return db.smsMessage.findMany({ orderBy: { id: "desc" }, take: limit });
}
