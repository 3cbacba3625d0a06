// What must hold before the app serves a request: in production the settings (server/env.ts), and
// everywhere the field-encryption key matching the database. Called by scripts/prestart.ts and by
// instrumentation.ts, so `next start` run by hand cannot skip it.
import type { Db } from "./db";
import { EnvError, enforceProductionEnv, isProduction, productionWarnings, type Env } from "./env";
import { checkFieldKey, KeyMismatchError } from "./auth/key-check";

export { EnvError, KeyMismatchError };

/** Throws EnvError listing every missing production setting. Prints the loud warnings. */
export function checkSettings(env: Env = process.env, log: (line: string) => void = console.warn): void {
  if (!isProduction(env)) return;
  enforceProductionEnv(env);
  for (const w of productionWarnings(env)) log(`[startup] WARNING ${w}`);
}

/** Settings, then the key fingerprint. Throws EnvError or KeyMismatchError. */
export async function checkBeforeServing(getDb: () => Promise<Db>, env: Env = process.env): Promise<void> {
  checkSettings(env);
  await checkFieldKey(await getDb());
}

/** Prints a start-up refusal as one message (no stack: it is an operator's to-do list). */
export function describeStartupFailure(e: unknown): string | null {
  if (e instanceof EnvError || e instanceof KeyMismatchError) return e.message;
  return null;
}

/**
 * For instrumentation.ts: runs the checks and ends the process with the message when they fail
 * (Node.js only; kept out of instrumentation.ts, which is also compiled for the edge runtime).
 */
export async function checkBeforeServingOrExit(getDb: () => Promise<Db>): Promise<void> {
  try {
    await checkBeforeServing(getDb);
  } catch (e) {
    const message = describeStartupFailure(e);
    if (!message) throw e;
    console.error(`\n${message}\n`);
    process.exit(1);
  }
}
