// Payment providers by name: the sandbox built in, real adapters (WeChat Pay, Alipay) registered.
import { refuse } from "../context";
import type { PaymentProvider } from "./provider";
import { SandboxProvider } from "./sandbox";

const providers = new Map<string, PaymentProvider>([["sandbox", new SandboxProvider()]]);

export function getProvider(name: string): PaymentProvider {
  const p = providers.get(name);
  if (!p) refuse("NO_PROVIDER", `unknown payment provider ${name}`);
  return p;
}

/** Registers a real provider adapter (WeChat Pay, Alipay) next to the sandbox. */
export function registerProvider(p: PaymentProvider) {
  providers.set(p.name, p);
}
