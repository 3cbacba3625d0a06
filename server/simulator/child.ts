// A simulator run's child process (server/simulator/run.ts): replays one rule set, reporting progress
// and then its figures to the parent, and exits.
import { simulateRuleSet, type ChildMessage, type ChildRequest } from "./run";

// The parent gone (the server stopped), the replay has no one to report to.
process.once("disconnect", () => process.exit());

const send = (m: ChildMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

process.once("message", async ({ pop, config }: ChildRequest) => {
  try {
    const { events, result } = await simulateRuleSet(pop, config, (done, total) => send({ type: "progress", done, total }));
    await send({ type: "result", events, result });
  } catch (e) {
    await send({ type: "error", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
  process.disconnect();
});
