// The pay button's rule and the server's refusal are one function (lib/payment-window.ts): a provider payment starts
// only while the provider's expiry (2 minutes before our cancel deadline) is at least a minute away.
import { describe, expect, it } from "vitest";
import { paymentCanStart } from "@/lib/payment-window";

describe("paymentCanStart", () => {
  it("needs 3 minutes left for a provider payment", () => {
    expect(paymentCanStart(3 * 60_000, 100)).toBe(true);
    expect(paymentCanStart(3 * 60_000 - 1, 100)).toBe(false);
    expect(paymentCanStart(30 * 60_000, 1)).toBe(true);
  });
  it("lets store credit alone pay until the deadline itself", () => {
    expect(paymentCanStart(1, 0)).toBe(true);
    expect(paymentCanStart(0, 0)).toBe(false);
  });
});
