#!/usr/bin/env bash
# npm test: every test. Unit + integration on embedded PGlite; the integration suite again on real
# PostgreSQL when DATABASE_URL is set; browser end-to-end (Playwright, embedded database) beside that one.
set -u
cd "$(dirname "$0")/.."
out=.test-results
mkdir -p "$out"
rm -f "$out"/*.json "$out"/summary.txt
status=0
# Each stage's start, in seconds since the run began (CI time budget: 20 minutes).
stage() { echo "== [${SECONDS}s] $*"; }

# Static checks count as one test each in the summary line.
static_check() {
  local name=$1
  shift
  if "$@"; then
    echo '{"numPassedTests":1,"numFailedTests":0}' >"$out/static-$name.json"
  else
    echo '{"numPassedTests":0,"numFailedTests":1}' >"$out/static-$name.json"
    return 1
  fi
}
stage "static checks: eslint, tsc"
# Side by side (each uses one core). eslint caches per file (no type-aware rules, so a file's result
# depends on that file alone); tsc is incremental (tsconfig), its build info kept between runs.
static_check lint npx eslint . --cache --cache-strategy content --cache-location .cache/eslint/ &
lint_pid=$!
static_check typecheck npx tsc --noEmit || status=1
wait $lint_pid || status=1

# Vitest on PGlite keeps both cores busy, so it runs alone; then the browser suite beside the PostgreSQL
# suite. The whole run is CPU-bound on two cores, so the order gains little (README, Tests: 875–969 s).
stage "vitest: unit + integration on embedded PGlite"
FM_TEST_DB=pglite npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest-pglite.json" || status=1

e2e_pid=
if [ "${FM_SKIP_E2E:-0}" != "1" ]; then
  stage "playwright: browser end-to-end (beside the PostgreSQL suite; its output follows at the end)"
  # tsc has just checked the types: the production build for the browser suite skips its own check (next.config.ts).
  ( DATABASE_URL= FM_TYPES_CHECKED=1 PLAYWRIGHT_JSON_OUTPUT_NAME="$out/e2e.json" npx playwright test --reporter=list,json \
      >"$out/e2e.log" 2>&1
    rc=$?
    # A run that died before its report (server never started) still counts as a failure in the summary line.
    [ $rc -eq 0 ] || [ -s "$out/e2e.json" ] || echo '{"numPassedTests":0,"numFailedTests":1}' >"$out/e2e.json"
    echo "== [${SECONDS}s] playwright finished (exit $rc)" >>"$out/e2e.log"
    exit $rc ) &
  e2e_pid=$!
fi

if [ -n "${DATABASE_URL:-}" ]; then
  stage "vitest: integration suite on PostgreSQL (DATABASE_URL)"
  FM_TEST_DB=postgres npx vitest run tests/integration --reporter=default --reporter=json --outputFile.json="$out/vitest-postgres.json" || status=1
fi

if [ -n "$e2e_pid" ]; then
  stage "waiting for playwright"
  wait "$e2e_pid" || status=1
  cat "$out/e2e.log"
fi

stage "done"
node scripts/count-results.mjs "$out" || status=1
exit $status
