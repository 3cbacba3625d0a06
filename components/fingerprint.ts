// Device fingerprint for sign-up risk rules (SPEC §8 shared_device, which refuses the binding): a random id kept on
// the device, so two friends with the same phone model are two devices; the client signals (model, browser, screen)
// only where the browser keeps nothing, since they collide across every phone of one model.

/** 64-bit-ish string hash (cyrb53), twice with different seeds → 32 hex chars. */
function cyrb53(str: string, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

export function fingerprintSignals(): string {
  const nav = window.navigator;
  const scr = window.screen;
  return JSON.stringify([
    nav.userAgent,
    nav.language,
    [...(nav.languages ?? [])].join(","),
    `${scr.width}x${scr.height}x${scr.colorDepth}`,
    window.devicePixelRatio,
    Intl.DateTimeFormat().resolvedOptions().timeZone,
    nav.platform,
    nav.hardwareConcurrency ?? 0,
    nav.maxTouchPoints ?? 0,
  ]);
}

/** Where the device's id is kept; signing out leaves it, as the device stays the same. */
export const DEVICE_ID_KEY = "fm.device";

/** The device's random id, made on first use; null when the browser keeps nothing (storage blocked or full). */
function deviceId(): string | null {
  try {
    const kept = window.localStorage.getItem(DEVICE_ID_KEY);
    if (kept) return kept;
    // getRandomValues, not randomUUID: the latter exists only on https and localhost.
    const id = Array.from(window.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    window.localStorage.setItem(DEVICE_ID_KEY, id);
    return window.localStorage.getItem(DEVICE_ID_KEY);
  } catch {
    return null;
  }
}

export function deviceFingerprint(): string {
  const s = deviceId() ?? fingerprintSignals();
  return cyrb53(s, 1) + cyrb53(s, 2);
}
