// Test doors: /dev/sms (the SMS outbox) and /api/test/* (clock, order seeding). A development or
// test build opens them with their flag alone; a production build only when the flag is set AND
// the request carries the per-run FM_TEST_TOKEN, so one stray variable cannot open them.
// Kernel module: imports no domain.
import { timingSafeEqual } from "node:crypto";
import { isProduction, testToken, type Env } from "./env";

export const TEST_TOKEN_HEADER = "x-fm-test-token";

export type TestDoor = "outbox" | "clock";

/** The door's flag: the outbox is on by default outside production; the clock never is. */
export function testDoorFlag(door: TestDoor, env: Env = process.env): boolean {
  if (door === "clock") return env.FM_TEST_CLOCK === "1";
  // Only while the outbox is the configured sender (server/sms): beside a real SMS vendor it must not exist.
  if ((env.SMS_PROVIDER ?? "outbox") !== "outbox") return false;
  return !isProduction(env) || env.DEV_OUTBOX === "1";
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether this request may use the door. */
export function testDoorOpen(door: TestDoor, headers: Pick<Headers, "get">, env: Env = process.env): boolean {
  if (!testDoorFlag(door, env)) return false;
  if (!isProduction(env)) return true;
  const expected = testToken(env);
  const given = headers.get(TEST_TOKEN_HEADER);
  return Boolean(expected && given && sameToken(given, expected));
}
