// Referral codes: short, unambiguous (no 0/O, 1/I/L), unique by construction. The member id is
// mapped through an affine permutation of the 31^6 code space, so codes never collide and are not
// sequential-looking.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const LEN = 6;
const SPACE = ALPHABET.length ** LEN; // 887 503 681
const MUL = 387_420_489n; // 3^18, coprime with 31^6
const ADD = 123_456_789n;

export function referralCodeFor(memberId: number): string {
  if (!Number.isSafeInteger(memberId) || memberId <= 0) throw new Error("member id must be a positive integer");
  let v = Number((BigInt(memberId) * MUL + ADD) % BigInt(SPACE));
  let out = "";
  for (let i = 0; i < LEN; i++) {
    out = ALPHABET[v % ALPHABET.length] + out;
    v = Math.floor(v / ALPHABET.length);
  }
  return out;
}

/** Normalises user input (trim, upper case). Null when it cannot be a code. */
export function normaliseCode(input: string | null | undefined): string | null {
  if (!input) return null;
  const s = input.trim().toUpperCase();
  if (s.length !== LEN) return null;
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return s;
}
