// Device fingerprint for sign-up risk rules (SPEC §8 shared_device): a stable hash of a few client
// signals. It is a heuristic, not an identity: the same phone model/browser may collide.

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

export function deviceFingerprint(): string {
  const s = fingerprintSignals();
  return cyrb53(s, 1) + cyrb53(s, 2);
}
