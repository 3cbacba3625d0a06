// Every refusal the server can send has English words: an English page words a refusal by its domain code
// (lib/i18n/labels.ts errorText, `error.<CODE>`), so a code refused anywhere in server/ without an en key
// would reach an English page as "Something went wrong". The codes are read from the source: refuse("CODE", …)
// (a ternary's codes too), new DomainError("CODE", …) and the DomainError subclasses' super("CODE", …).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/messages/en";

const ROOT = join(import.meta.dirname, "..");

/** Codes that never reach a client's page, each with why. */
const NEVER_SHOWN: Record<string, string> = {
  OWNER_EXISTS: "only the command line's npm run staff:create refuses it (createOwnerAccount), never a request",
  TEST_CLOCK_DISABLED: "the test clock door (/api/test/clock, FM_TEST_CLOCK only): the e2e harness reads it, no page",
  INVALID_ADVANCE: "the test clock door's own input check (FM_TEST_CLOCK only): the e2e harness reads it, no page",
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The first argument of the call whose "(" is at `from`: up to the first "," or ")" outside a string. */
function firstArgument(source: string, from: number): string {
  let quote: string | null = null;
  let out = "";
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "," || c === ")") return out;
    out += c;
  }
  return out;
}

/** Code → the files refusing it. */
function refusalCodes(dir = join(ROOT, "server")): Map<string, Set<string>> {
  const codes = new Map<string, Set<string>>();
  for (const file of walk(dir)) {
    const source = readFileSync(file, "utf8");
    const subclass = /extends DomainError\b/.test(source);
    const calls = subclass ? /\b(?:refuse|new DomainError|super)\(/g : /\b(?:refuse|new DomainError)\(/g;
    for (const call of source.matchAll(calls)) {
      for (const m of firstArgument(source, call.index + call[0].length).matchAll(/["']([A-Z][A-Z0-9_]*)["']/g)) {
        if (!codes.has(m[1]!)) codes.set(m[1]!, new Set());
        codes.get(m[1]!)!.add(relative(ROOT, file));
      }
    }
  }
  return codes;
}

describe("every refusal code has English words", () => {
  const codes = refusalCodes();

  it("finds the codes refused in every way the server refuses", () => {
    // A literal, one of a ternary's two, a DomainError subclass's, and one only a test door throws.
    for (const code of ["OUT_OF_STOCK", "ALREADY_FROZEN", "NOT_FROZEN", "RULES_REFUSED", "SIMULATION_REFUSED", "EXPERIMENT_REFUSED", "TEST_CLOCK_DISABLED"]) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(codes.size).toBeGreaterThan(100);
  });

  it("has an en error.<CODE> message for each code a client can receive", () => {
    const missing = [...codes].filter(([code]) => !(code in NEVER_SHOWN) && !(`error.${code}` in en)).map(([code, files]) => `${code} (${[...files].join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("keeps the allow-list to codes still refused and still without words", () => {
    for (const code of Object.keys(NEVER_SHOWN)) {
      expect(codes.has(code), code).toBe(true);
      expect(`error.${code}` in en, code).toBe(false);
    }
  });
});
