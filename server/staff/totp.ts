// TOTP second factor (RFC 6238, 30 s steps, 6 digits) through otplib. Secrets are stored encrypted;
// the last accepted time step is kept so a code is never accepted twice.
import { generateSecret, generateURI, verify } from "otplib";
import { decryptField, encryptField } from "../auth/crypto";

export const TOTP_ISSUER = "Fission Mall 商家后台";

export function newTotpSecret(): { secret: string; secretEnc: string } {
  const secret = generateSecret();
  return { secret, secretEnc: encryptField(secret) };
}

export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret });
}

export function decryptTotpSecret(secretEnc: string): string {
  return decryptField(secretEnc);
}

/** The matched time step when `code` is valid at `now` (±1 step) and newer than `lastStep`; else null. */
export async function checkTotp(secret: string, code: string, now: Date, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
