// SPEC §8 shared_device refuses a sign-up's binding when its device is the sponsor's. The device is a random id kept
// in the browser (components/fingerprint.ts), so friends with the same phone model are not one device; only a
// browser that keeps nothing falls back to the model's signals.
import { webcrypto } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEVICE_ID_KEY, deviceFingerprint } from "@/components/fingerprint";

/** A phone: the same model signals every time, and its own storage (or one that refuses to keep anything). */
function phone(storage: "keeps" | "blocked" = "keeps") {
  const kept = new Map<string, string>();
  return {
    kept,
    window: {
      navigator: { userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 7)", language: "zh-CN", languages: ["zh-CN"], platform: "Linux armv81", hardwareConcurrency: 8, maxTouchPoints: 5 },
      screen: { width: 412, height: 915, colorDepth: 24 },
      devicePixelRatio: 2.625,
      crypto: webcrypto,
      localStorage: {
        getItem: (k: string) => {
          if (storage === "blocked") throw new Error("SecurityError");
          return kept.get(k) ?? null;
        },
        setItem: (k: string, v: string) => {
          if (storage === "blocked") throw new Error("SecurityError");
          kept.set(k, v);
        },
      },
    },
  };
}

function fingerprintOn(p: ReturnType<typeof phone>) {
  vi.stubGlobal("window", p.window);
  return deviceFingerprint();
}

afterEach(() => vi.unstubAllGlobals());

describe("the sign-up device", () => {
  it("is the same on one phone each time, and kept there", () => {
    const mine = phone();
    const first = fingerprintOn(mine);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(mine.kept.get(DEVICE_ID_KEY)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOn(mine)).toBe(first);
  });

  it("differs between two phones of the same model (a friend's sign-up is not refused as a shared device)", () => {
    expect(fingerprintOn(phone())).not.toBe(fingerprintOn(phone()));
  });

  it("falls back to the model's signals where the browser keeps nothing", () => {
    expect(fingerprintOn(phone("blocked"))).toBe(fingerprintOn(phone("blocked")));
    expect(fingerprintOn(phone("blocked"))).not.toBe(fingerprintOn(phone()));
  });
});
