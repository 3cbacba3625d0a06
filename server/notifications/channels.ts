// Outside channels beside in-app notifications (issue 13): a notification of a subscribed kind (payment,
// shipment, commission settled, cashback paid) to a member with a WeChat openid is also queued as a
// ChannelMessage in the same transaction, then sent after commit by the scheduler and retried with
// backoff. A failing message API never loses a notification; it dead-letters after MAX attempts.
import type { Db, Prisma, Tx } from "../db";
import { serverOrigin } from "../env";
import { backoffMs } from "../scheduler/backoff";
import { wechatMpConfigFromEnv } from "../wechat/jssdk";
import { subscribePayload, wechatTemplatesFromEnv, WechatSubscribeChannel, type WechatTemplates } from "../wechat/subscribe";

export interface MessageChannel {
  readonly name: string;
  /** Throws on failure; an error with `permanent: true` is not retried. */
  send(m: { recipient: string; payload: unknown }): Promise<void>;
}

export const CHANNEL_MAX_ATTEMPTS = 8;

/** Queues the outside messages of one in-app notification (inside its transaction). */
export async function enqueueChannelMessages(
  tx: Tx,
  n: { id: number; memberId: number; kind: string; title: string; body: string; createdAt: Date },
  /** The merchant's time zone of the rules the notification was written under: the message's time reads in it. */
  timeZone: string,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const mp = wechatMpConfigFromEnv(env);
  const templateId = mp ? (wechatTemplatesFromEnv(env) as Record<string, string | undefined>)[n.kind as keyof WechatTemplates] : undefined;
  if (!mp || !templateId) return;
  const account = await tx.externalAccount.findUnique({ where: { memberId_platform_appId: { memberId: n.memberId, platform: "wechat", appId: mp.appId } } });
  if (!account) return;
  await tx.channelMessage.create({
    data: {
      notificationId: n.id,
      memberId: n.memberId,
      channel: "wechat",
      kind: n.kind,
      recipient: account.subject,
      payload: subscribePayload(templateId, n, `${serverOrigin(env)}/notifications`, timeZone),
      nextAttemptAt: n.createdAt,
      createdAt: n.createdAt,
    },
  });
}

/** The channels this deployment sends on. */
export function configuredChannels(db: Db): MessageChannel[] {
  const mp = wechatMpConfigFromEnv();
  return mp ? [new WechatSubscribeChannel(db, mp)] : [];
}

export type MessageOutcome = "SENT" | "RETRY" | "SKIPPED" | "DEAD" | "BUSY" | "GONE";

/** How long a claimed message is held: a sweeper that dies mid-send releases it when this runs out. */
const CLAIM_MS = 2 * 60_000;

/**
 * Sends one queued message. Claimed by a conditional update (a lease, not a transaction held over the
 * HTTP call), so two sweepers never send it at once; a crash mid-send leaves it to the next sweep.
 */
export async function sendChannelMessage(db: Db, id: number, channels: MessageChannel[], now: Date): Promise<MessageOutcome> {
  const claimed = await db.channelMessage.updateMany({ where: { id, status: "PENDING", nextAttemptAt: { lte: now } }, data: { nextAttemptAt: new Date(now.getTime() + CLAIM_MS) } });
  if (claimed.count === 0) return "BUSY";
  // Erased since the claim (注销账号 deletes a member's messages): nothing to send or record.
  const m = await db.channelMessage.findUnique({ where: { id } });
  if (!m) return "GONE";
  const attempts = m.attempts + 1;
  // By updateMany: a message erased while it was being sent leaves nothing to record, not an error in the sweep.
  const record = (data: Prisma.ChannelMessageUpdateManyMutationInput) => db.channelMessage.updateMany({ where: { id }, data });
  const channel = channels.find((c) => c.name === m.channel);
  try {
    if (!channel) throw new Error(`channel ${m.channel} is not configured`);
    await channel.send({ recipient: m.recipient, payload: m.payload });
  } catch (e) {
    const message = (e instanceof Error ? e.message : "error").slice(0, 200);
    if ((e as { permanent?: boolean }).permanent) {
      await record({ status: "SKIPPED", attempts, lastError: message });
      return "SKIPPED";
    }
    if (attempts >= CHANNEL_MAX_ATTEMPTS) {
      await record({ status: "DEAD", attempts, lastError: message });
      console.error(`[alert] channel message ${id} (${m.channel}) dead after ${attempts} attempts`);
      return "DEAD";
    }
    await record({ attempts, lastError: message, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) });
    return "RETRY";
  }
  await record({ status: "SENT", sentAt: now, attempts, lastError: null });
  return "SENT";
}

/** Every queued message that is due (the scheduler's and Inngest's sweep). Returns how many went out. */
export async function sendDueChannelMessages(db: Db, now = new Date(), channels = configuredChannels(db)): Promise<number> {
  const due = await db.channelMessage.findMany({ where: { status: "PENDING", nextAttemptAt: { lte: now } }, orderBy: { id: "asc" }, take: 100, select: { id: true } });
  let sent = 0;
  for (const { id } of due) if ((await sendChannelMessage(db, id, channels, now)) === "SENT") sent++;
  return sent;
}
