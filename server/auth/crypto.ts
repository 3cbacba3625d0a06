// Field encryption for personal data (phone numbers; the engine may reuse it for ID numbers).
// - enc:    AES-256-GCM, random 96-bit IV, "v1." + base64url(iv | tag | ciphertext)
// - hash:   HMAC-SHA256 lookup key (stable, so a phone finds its member without decrypting)
// - masked: 138****5678 for display
// Keys are derived with HKDF from FIELD_ENCRYPTION_KEY (required in production; development falls
// back to the auth secret). Changing the root key makes existing hashes unfindable and ciphertexts
// unreadable: server/auth/key-check.ts records a fingerprint and refuses to start under another key.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { isProduction } from "../env";
import { getAuthSecret } from "./secret";

export const PHONE_RE = /^1[3-9]\d{9}$/;

type KeyPurpose = "field-enc" | "lookup-hash" | "otp-hash";
const keyCache = new Map<string, Buffer>();

function rootKey(): string {
  const key = process.env.FIELD_ENCRYPTION_KEY;
  if (key) return key;
  if (isProduction()) throw new Error("FIELD_ENCRYPTION_KEY is required in production");
  return getAuthSecret();
}

function deriveKey(purpose: KeyPurpose): Buffer {
  const root = rootKey();
  const cacheKey = `${purpose}:${root}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", root, "fission-mall", `fm:${purpose}:v1`, 32));
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** Normalises a mainland mobile number ("+86 138-0013-8000" → "13800138000"); null if invalid. */
export function normalisePhone(input: string): string | null {
  let s = input.replace(/[\s-]/g, "");
  if (s.startsWith("+86")) s = s.slice(3);
  else if (s.startsWith("0086")) s = s.slice(4);
  return PHONE_RE.test(s) ? s : null;
}

export function encryptField(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey("field-enc"), iv);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
}

export function decryptField(enc: string): string {
  if (!enc.startsWith("v1.")) throw new Error("unknown ciphertext version");
  const raw = Buffer.from(enc.slice(3), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", deriveKey("field-enc"), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** Deterministic lookup hash (hex) of a normalised value, e.g. a phone number. */
export function lookupHash(value: string): string {
  return createHmac("sha256", deriveKey("lookup-hash")).update(value).digest("hex");
}

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

export interface PhoneFields {
  hash: string;
  enc: string;
  masked: string;
}

/** The three stored forms of a (normalised) phone number. */
export function phoneFields(phone: string): PhoneFields {
  return { hash: lookupHash(phone), enc: encryptField(phone), masked: maskPhone(phone) };
}

/** Hash of a one-time code, bound to the phone so a code row is useless for another number. */
export function otpHash(phoneHash: string, code: string): string {
  return createHmac("sha256", deriveKey("otp-hash")).update(`${phoneHash}:${code}`).digest("hex");
}

/** A fingerprint of the field key (a hash of a fixed label under the lookup key): safe to store. */
export function fieldKeyFingerprint(): string {
  return createHmac("sha256", deriveKey("lookup-hash")).update("fm:key-fingerprint:v1").digest("hex").slice(0, 32);
}

export function safeEqualHex(a: string, b: string): boolean {
  const ba = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
