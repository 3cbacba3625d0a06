// Exponential backoff shared by the due-transition sweep and the provider-call outbox.
import { HOUR } from "../clock/time";

const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 6 * HOUR;

/** Wait before the next attempt after `attempts` failures: 30 s, 1 min, 2 min, … capped at 6 h. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}
