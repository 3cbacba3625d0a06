// The simulator form's own display rule (the category mix it starts from: server/simulator/defaults.ts).

/** The "queued" notice is for a run still waiting to start: gone once it runs, finishes or fails. */
export function showQueuedNotice(queuedId: number | null, runs: readonly { id: number; status: string }[] | undefined): boolean {
  if (queuedId === null) return false;
  const run = runs?.find((r) => r.id === queuedId);
  // Not in the list yet: it was queued a moment ago.
  return !run || run.status === "QUEUED";
}
