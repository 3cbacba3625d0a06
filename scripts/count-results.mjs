// Sums the JSON reports of every runner into one plain line: "N passed, N failed".
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? ".test-results";
let passed = 0;
let failed = 0;
let skipped = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const r = JSON.parse(readFileSync(path.join(dir, f), "utf8"));
  if (r.stats && "expected" in r.stats) {
    // Playwright
    passed += r.stats.expected + (r.stats.flaky ?? 0);
    // A run-level error (a web server that never started, a broken config) fails the run with no test failed.
    failed += r.stats.unexpected + (r.errors?.length ?? 0);
    skipped += r.stats.skipped ?? 0;
  } else {
    // Vitest (jest-compatible), and the static checks written in the same shape by test-all.sh
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
}
const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
writeFileSync(path.join(dir, "summary.txt"), line + "\n");
console.log(line);
process.exit(failed > 0 ? 1 : 0);
