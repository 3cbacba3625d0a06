// Referral codes: short, unambiguous (no 0/O, 1/I/L), unique by construction. A member's code is
// stored at sign-up (Member.referralCode, which every lookup reads); it is the member id through a
// secret-keyed permutation of the code space, so nobody can list the codes of members who never shared.
import { createCipheriv } from "node:crypto";
import { lookupHash } from "../auth/crypto";

const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const LEN = 6;
const SPACE = ALPHABET.length ** LEN; // 887 503 681
// Codes given out before the keyed scheme (stored, still valid) were this public affine map of the member id.
const MUL = 387_420_489n; // 3^18, coprime with 31^6
const ADD = 123_456_789n;
// New codes are the affine map's images of FIRST_NEW and up: never an id below 10^8, so never an older code.
const FIRST_NEW = 100_000_000;
const NEW_CODES = SPACE - FIRST_NEW;
// A balanced Feistel network on 30 bits (2^30 > NEW_CODES), cycle-walked into [0, NEW_CODES).
const HALF = 15;
const MASK = (1 << HALF) - 1;
const ROUNDS = 10;

let rounds: { key: string; table: Uint16Array } | null = null;

/** The round functions as random tables, from a key under FIELD_ENCRYPTION_KEY (which never changes, server/auth/key-check.ts). */
function roundTable(): Uint16Array {
  const key = lookupHash("fm:referral-code:v1");
  if (rounds?.key !== key) {
    const stream = createCipheriv("aes-256-ctr", Buffer.from(key, "hex"), Buffer.alloc(16)).update(Buffer.alloc(ROUNDS << (HALF + 1)));
    rounds = { key, table: Uint16Array.from({ length: ROUNDS << HALF }, (_, i) => stream.readUInt16LE(2 * i) & MASK) };
  }
  return rounds.table;
}

function feistel(x: number, table: Uint16Array): number {
  let l = x >>> HALF;
  let r = x & MASK;
  for (let i = 0; i < ROUNDS; i++) {
    const next = l ^ table[(i << HALF) | r]!;
    l = r;
    r = next;
  }
  return (l << HALF) | r;
}

export function referralCodeFor(memberId: number): string {
  return codeOf(memberId, roundTable());
}

/** The codes of many members (the bulk seed): the key is derived once. */
export function referralCodesFor(memberIds: readonly number[]): string[] {
  const table = roundTable();
  return memberIds.map((id) => codeOf(id, table));
}

function codeOf(memberId: number, table: Uint16Array): string {
  if (!Number.isSafeInteger(memberId) || memberId <= 0) throw new Error("member id must be a positive integer");
  if (memberId > NEW_CODES) throw new Error("member id beyond the referral code space");
  let x = memberId - 1;
  do x = feistel(x, table);
  while (x >= NEW_CODES);
  let v = Number((BigInt(FIRST_NEW + x) * MUL + ADD) % BigInt(SPACE));
  let out = "";
  for (let i = 0; i < LEN; i++) {
    out = ALPHABET[v % ALPHABET.length] + out;
    v = Math.floor(v / ALPHABET.length);
  }
  return out;
}

/**
 * The code of a share link's path as a chat app may hand it over: punctuation or spaces the auto-linker took from the
 * message (/r/VDZ757）, /r/VDZ757。) dropped from its end. Null when no code is left.
 */
export function codeInLink(segment: string): string | null {
  return normaliseCode(segment) ?? normaliseCode(segment.replace(/[\p{P}\p{S}\p{Z}\s]+$/u, ""));
}

/** Normalises user input (trim, upper case). Null when it cannot be a code. */
export function normaliseCode(input: string | null | undefined): string | null {
  if (!input) return null;
  const s = input.trim().toUpperCase();
  if (s.length !== LEN) return null;
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return s;
}
