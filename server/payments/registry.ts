// Payment providers by name: the sandbox built in, real adapters (WeChat Pay, Alipay) registered.
import { refuse } from "../context";
import type { PaymentProvider } from "./provider";
import { SandboxProvider, sandboxAllowed } from "./sandbox";

const providers = new Map<string, PaymentProvider>([["sandbox", new SandboxProvider()]]);

export function getProvider(name: string): PaymentProvider {
  const p = providers.get(name);
  if (!p) refuse("NO_PROVIDER", `unknown payment provider ${name}`);
  // No real money behind it: in production only when the deployment enabled it (PAYMENTS_SANDBOX=1).
  if (p.name === "sandbox" && !sandboxAllowed()) refuse("NO_PROVIDER", "the sandbox payment provider is disabled in production");
  return p;
}

/** The provider new payments go to (PAYMENT_PROVIDER; the sandbox in development). */
export function defaultProviderName(): string {
  return process.env.PAYMENT_PROVIDER || "sandbox";
}

/** Registers a real provider adapter (WeChat Pay, Alipay) next to the sandbox. */
export function registerProvider(p: PaymentProvider) {
  providers.set(p.name, p);
}
