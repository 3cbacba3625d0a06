// scripts/compile-hints.ts: after `next build` the framework chunks every page loads carry V8's compile hint on
// their first line, exactly once, and nothing else in the build is touched.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addCompileHints, COMPILE_HINT } from "../scripts/compile-hints";

function fakeBuild(rootMainFiles: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), "fm-hints-"));
  mkdirSync(path.join(dir, "static", "chunks"), { recursive: true });
  for (const f of ["static/chunks/react.js", "static/chunks/runtime.js", "static/chunks/page.js", "static/chunks/app.css"]) writeFileSync(path.join(dir, f), `/* ${f} */(()=>{})();`);
  writeFileSync(path.join(dir, "build-manifest.json"), JSON.stringify({ rootMainFiles, polyfillFiles: [] }));
  return dir;
}

describe("compile hints on the framework chunks", () => {
  it("prepends the hint to each root JS chunk, once, and leaves other chunks alone", () => {
    const dir = fakeBuild(["static/chunks/react.js", "static/chunks/runtime.js", "static/chunks/app.css"]);
    expect(addCompileHints(dir)).toEqual(["static/chunks/react.js", "static/chunks/runtime.js"]);
    const react = readFileSync(path.join(dir, "static/chunks/react.js"), "utf8");
    expect(react).toBe(`${COMPILE_HINT}/* static/chunks/react.js */(()=>{})();`);
    expect(COMPILE_HINT).toBe("//# allFunctionsCalledOnLoad\n");
    expect(readFileSync(path.join(dir, "static/chunks/page.js"), "utf8")).not.toContain("allFunctionsCalledOnLoad");
    expect(readFileSync(path.join(dir, "static/chunks/app.css"), "utf8")).not.toContain("allFunctionsCalledOnLoad");
    // A second run (npm run build twice on a cached build) marks nothing again.
    expect(addCompileHints(dir)).toEqual([]);
    expect(readFileSync(path.join(dir, "static/chunks/react.js"), "utf8")).toBe(react);
  });

  it("refuses a directory that is not a Next.js build", () => {
    const dir = fakeBuild([]);
    expect(() => addCompileHints(dir)).toThrow(/no rootMainFiles/);
  });
});
