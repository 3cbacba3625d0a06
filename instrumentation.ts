// Next.js start-up hook. First the start-up checks (server/startup.ts): a production server with
// missing settings, or any server whose field-encryption key does not match its database, exits
// with one message before serving anything. Then the default legal texts are brought to this release's wording
// (server/legal/documents.ts syncDefaultLegalTexts). Then the jobs: embedded default, an in-process
// scheduler performs due transitions and handles domain events; with Inngest configured, a relay
// sends the outbox to Inngest instead. On SIGTERM or SIGINT the jobs stop, the queued share-link visits
// are written and the database is closed before the process exits (server/scheduler/in-process.ts shutDown).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDb } = await import("./server/db");
  const { checkBeforeServingOrExit } = await import("./server/startup");
  await checkBeforeServingOrExit(getDb);
  // The default 用户协议 / 隐私政策 in this release's wording: a reworded default is a new version shoppers accept again.
  const { syncDefaultLegalTexts } = await import("./server/legal/documents");
  try {
    const created = await syncDefaultLegalTexts(await getDb());
    for (const v of created) console.log(`[legal] the app's default ${v.kind} text: version ${v.version} in force, shoppers accept it at their next sign-in`);
  } catch (e) {
    // The shop serves the texts as they were kept; the next start checks again.
    const { describeError } = await import("./server/api/internal-errors");
    console.error(`[alert] checking the default legal texts against this release failed, none changed: ${describeError(e)}`);
  }
  // next-auth builds its callback URLs from NEXTAUTH_URL: default it to SITE_URL, never the Host header.
  if (process.env.SITE_URL && !process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = new URL(process.env.SITE_URL).origin;

  const { inngestConfigured, onShutdownSignal, startInProcessScheduler } = await import("./server/scheduler/in-process");
  if (process.env.FM_SCHEDULER === "off") return onShutdownSignal(async () => {});
  const interval = schedulerIntervalMs(process.env.FM_SCHEDULER_INTERVAL_MS);
  if (!inngestConfigured()) return onShutdownSignal(startInProcessScheduler(getDb, interval).stop);
  const { inngest } = await import("./inngest/client");
  const { createInngestRelay } = await import("./server/events/inngest-relay");
  // Retries, dead-lettering and pauses while Inngest is down: server/events/inngest-relay.ts.
  const relay = createInngestRelay(getDb, (events) => inngest.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data }))));
  // A tick during a long pass returns at once: chained, so the shutdown waits for that pass too.
  let relaying: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => (relaying = Promise.all([relaying, relay.tick()])), 2_000);
  timer.unref?.();
  onShutdownSignal(async () => {
    clearInterval(timer);
    await relaying;
  });
}

const SCHEDULER_INTERVAL_DEFAULT_MS = 15_000;

/**
 * FM_SCHEDULER_INTERVAL_MS as the sweep's period: an integer from 100 ms to 1 h, else the default with one warning
 * (Number("15s") is NaN, and setInterval runs a NaN period about every millisecond).
 */
export function schedulerIntervalMs(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return SCHEDULER_INTERVAL_DEFAULT_MS;
  const ms = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (ms >= 100 && ms <= 3_600_000) return ms;
  console.warn(`[scheduler] FM_SCHEDULER_INTERVAL_MS must be a whole number of milliseconds from 100 to 3600000; using ${SCHEDULER_INTERVAL_DEFAULT_MS}`);
  return SCHEDULER_INTERVAL_DEFAULT_MS;
}
