import type { Ctx } from "../../server/context";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two transactions that overlap: `first` runs and holds its transaction open, `second` starts meanwhile
 * (and waits on any lock `first` holds), then `first` commits. Returns what `second` returned.
 */
export async function overlapping<T>(run: <R>(fn: (ctx: Ctx) => Promise<R>) => Promise<R>, first: (ctx: Ctx) => Promise<unknown>, second: (ctx: Ctx) => Promise<T>): Promise<T> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const a = run(async (ctx) => {
    await first(ctx);
    await gate;
  });
  await sleep(400);
  const b = run(second);
  await sleep(600);
  release();
  const [, out] = await Promise.all([a, b]);
  return out;
}
