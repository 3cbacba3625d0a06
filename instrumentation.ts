// Next.js start-up hook. Embedded default: an in-process scheduler performs due transitions and
// handles domain events. With Inngest configured: a relay sends the outbox to Inngest instead.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.FM_SCHEDULER === "off") return;
  const { inngestConfigured, startInProcessScheduler } = await import("./server/scheduler/in-process");
  const { getDb } = await import("./server/db");
  const interval = Number(process.env.FM_SCHEDULER_INTERVAL_MS ?? 15_000);
  if (!inngestConfigured()) {
    startInProcessScheduler(getDb, interval);
    return;
  }
  const { inngest } = await import("./inngest/client");
  const { relayOutbox } = await import("./server/events/relay");
  const timer = setInterval(async () => {
    try {
      const db = await getDb();
      await relayOutbox(db, async (events) => {
        await inngest.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data })));
      });
    } catch (e) {
      console.error(`[outbox] relay to Inngest failed: ${(e as Error).message}`);
    }
  }, 2_000);
  timer.unref?.();
}
