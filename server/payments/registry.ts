// Payment providers by name: the sandbox built in, the real adapters (WeChat Pay, Alipay) built from
// their settings on first use, or registered explicitly (tests point them at local protocol servers).
import { refuse } from "../context";
import { serverOrigin, type Env } from "../env";
import type { PaymentProvider } from "./provider";
import { SandboxProvider, sandboxAllowed } from "./sandbox";
import { WechatPayProvider, wechatPayConfigFromEnv } from "./providers/wechatpay";
import { AlipayProvider, alipayConfigFromEnv } from "./providers/alipay";

const providers = new Map<string, PaymentProvider>([["sandbox", new SandboxProvider()]]);

function fromEnv(name: string, env: Env = process.env): PaymentProvider | null {
  if (name === "wechatpay") {
    const cfg = wechatPayConfigFromEnv(env, serverOrigin(env));
    return cfg && new WechatPayProvider(cfg);
  }
  if (name === "alipay") {
    const cfg = alipayConfigFromEnv(env, serverOrigin(env));
    return cfg && new AlipayProvider(cfg);
  }
  return null;
}

function lookup(name: string): PaymentProvider | undefined {
  let p = providers.get(name);
  if (!p) {
    p = fromEnv(name) ?? undefined;
    if (p) providers.set(name, p);
  }
  return p;
}

export function getProvider(name: string): PaymentProvider {
  const p = lookup(name);
  if (!p) refuse("NO_PROVIDER", `unknown payment provider ${name}`);
  // No real money behind it: in production only when the deployment enabled it (PAYMENTS_SANDBOX=1).
  if (p.name === "sandbox" && !sandboxAllowed()) refuse("NO_PROVIDER", "the sandbox payment provider is disabled in production");
  return p;
}

/** Whether payments can go to this provider here (registered, or configured by its settings). */
export function providerAvailable(name: string): boolean {
  const p = lookup(name);
  return Boolean(p) && (name !== "sandbox" || sandboxAllowed());
}

/** The provider new payments go to (PAYMENT_PROVIDER; the sandbox in development). */
export function defaultProviderName(): string {
  return process.env.PAYMENT_PROVIDER || "sandbox";
}

/** The provider withdrawals are paid out through (PAYOUT_PROVIDER, else the payment provider). */
export function payoutProviderName(): string {
  return process.env.PAYOUT_PROVIDER || defaultProviderName();
}

const WECHAT_UA = /MicroMessenger/i;

/**
 * The cashier's choice: inside the WeChat browser WeChat Pay JSAPI when it is configured (WeChat
 * blocks other wallets there); elsewhere the merchant's provider, WeChat Pay through its H5 page.
 */
export function choosePaymentProvider(userAgent: string | null | undefined): { name: string; channel: "jsapi" | "h5" } {
  if (userAgent && WECHAT_UA.test(userAgent) && providerAvailable("wechatpay")) return { name: "wechatpay", channel: "jsapi" };
  return { name: defaultProviderName(), channel: "h5" };
}

/** Registers a provider adapter under its name (replacing one of the same name). */
export function registerProvider(p: PaymentProvider) {
  providers.set(p.name, p);
}

/** The real providers configured here: their bills are reconciled daily. */
export function configuredRealProviders(): PaymentProvider[] {
  return ["wechatpay", "alipay"].filter((n) => providerAvailable(n)).map((n) => getProvider(n));
}
