// Staff passwords: argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane) through @node-rs/argon2.
import { hash, verify } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";

// algorithm 2 = Argon2id (the package's const enum cannot be imported under isolatedModules).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_MIN_DISTINCT } from "./password-rules";

export { PASSWORD_MAX, PASSWORD_MIN };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // malformed hash: never a match
  }
}

// Verified against when the username is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}

/** The reason a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 位`;
  if (password.length > PASSWORD_MAX) return `密码最多 ${PASSWORD_MAX} 位`;
  if (password.toLowerCase().includes(username.toLowerCase())) return "密码不能包含用户名";
  if (new Set(password).size < PASSWORD_MIN_DISTINCT) return "密码过于简单";
  return null;
}

/** A one-time initial password for an invited account (shown once to the owner). */
export function generateInitialPassword(): string {
  // No look-alike characters (0/O, 1/l/I): it is read off a screen and typed.
  const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(16);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}
