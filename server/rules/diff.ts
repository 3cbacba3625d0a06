// Side-by-side difference of two rule sets: every leaf setting (dotted path) whose value differs.
// Pure, so the history view and the audit entry show the same rows.

export interface RuleDiffRow {
  path: string;
  before: unknown;
  after: unknown;
}

function leaves(value: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    // An empty list is a value of its own (e.g. no stepped brackets).
    if (value.length === 0) out.set(path, []);
    value.forEach((v, i) => leaves(v, `${path}.${i}`, out));
  } else if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0 && path) out.set(path, {});
    for (const [k, v] of entries) leaves(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value);
  }
}

// An optional setting left out reads as its zero value (engine: `?? 0`), e.g. a tier's benefits.
const zeroValue = (v: unknown) => v === 0 || v === false || v === "";
const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b) || (a === undefined && zeroValue(b)) || (b === undefined && zeroValue(a));

/** The settings that differ between `before` (null: nothing) and `after`, in the order of `after`'s keys. */
export function diffRules(before: unknown, after: unknown): RuleDiffRow[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  if (before !== null && before !== undefined) leaves(before, "", a);
  leaves(after, "", b);
  const rows: RuleDiffRow[] = [];
  for (const [path, v] of b) {
    const old = a.has(path) ? a.get(path) : undefined;
    if (!same(old, v)) rows.push({ path, before: old, after: v });
  }
  for (const [path, old] of a) if (!b.has(path) && !same(old, undefined)) rows.push({ path, before: old, after: undefined });
  return rows;
}
