// The app's clock. Normally real time. With FM_TEST_CLOCK=1 (end-to-end tests only) an offset can be
// added so tests can jump days ahead; without that flag every attempt is refused.
import { DomainError } from "../context";

const g = globalThis as unknown as { __fmClockOffsetMs?: number };

export function testClockEnabled(): boolean {
  return process.env.FM_TEST_CLOCK === "1";
}

export function appNow(): Date {
  return new Date(Date.now() + (testClockEnabled() ? (g.__fmClockOffsetMs ?? 0) : 0));
}

export function advanceTestClock(ms: number): Date {
  if (!testClockEnabled()) throw new DomainError("TEST_CLOCK_DISABLED", "the test clock is disabled (set FM_TEST_CLOCK=1 in test runs only)");
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 3650 * 86_400_000) throw new DomainError("INVALID_ADVANCE", "advance must be 0..10 years in ms");
  g.__fmClockOffsetMs = (g.__fmClockOffsetMs ?? 0) + ms;
  return appNow();
}
