// A file that mocks modules or sets environment variables must get fresh modules (vitest.config.ts OWN_MODULES): in
// the shared project a worker reuses the modules of the files before it, so a mock would be ignored or leak (CI found
// tests/integration/account-deletion.test.ts rendering with the real next/headers after another file).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const config = readFileSync(path.join(root, "vitest.config.ts"), "utf8");
const ownModules = [.../const OWN_MODULES = \[([\s\S]*?)\];/.exec(config)![1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
const matches = (file: string, pattern: string) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, "[^/]*")}$`).test(file);

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => path.posix.join(dir, f.split(path.sep).join("/")));
}

describe("vitest projects", () => {
  it("every test file that mocks a module or stubs the environment runs with its own modules", () => {
    expect(ownModules.length).toBeGreaterThan(5);
    const mocking = [...testFiles("tests"), ...testFiles("server"), ...testFiles("inngest")].filter((f) => /\bvi\.(mock|doMock|stubEnv)\(/.test(readFileSync(path.join(root, f), "utf8")));
    expect(mocking).toContain("tests/integration/account-deletion.test.ts");
    expect(mocking.filter((f) => !ownModules.some((p) => matches(f, p)))).toEqual([]);
  });
});
