// Next.js start-up hook. First the start-up checks (server/startup.ts): a production server with
// missing settings, or any server whose field-encryption key does not match its database, exits
// with one message before serving anything. Then the default legal texts are brought to this release's wording
// (server/legal/documents.ts syncDefaultLegalTexts). Then the jobs: embedded default, an in-process
// scheduler performs due transitions and handles domain events; with Inngest configured, a relay
// sends the outbox to Inngest instead.
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

  if (process.env.FM_SCHEDULER === "off") return;
  const { inngestConfigured, startInProcessScheduler } = await import("./server/scheduler/in-process");
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
