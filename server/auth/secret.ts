// The application secret (NEXTAUTH_SECRET). A fixed fallback exists only outside production so a
// fresh checkout runs with no setup; production refuses to start a request without a real secret.
import { isProduction } from "../env";

const DEV_FALLBACK = "fission-mall-dev-only-secret-do-not-use-in-production";

export { isProduction };

export function getAuthSecret(): string {
  const secret = process.env.NEXTAUTH_SECRET;
  if (secret && secret.length >= 16) return secret;
  if (secret) throw new Error("NEXTAUTH_SECRET must be at least 16 characters");
  if (isProduction()) throw new Error("NEXTAUTH_SECRET is required in production");
  return DEV_FALLBACK;
}
