// Side-by-side difference of two rule sets: every leaf setting (dotted path) whose value differs.
// Pure, so the history view and the audit entry show the same rows.

export interface RuleDiffRow {
  path: string;
  before: unknown;
  after: unknown;
}

interface Leaf {
  value: unknown;
  /** An empty list or object: a value of its own (e.g. no stepped brackets). */
  empty?: boolean;
  /** The paths of the list elements this leaf lies in (itself included): a new element is an addition. */
  elements: string[];
}

interface Flat {
  leaves: Map<string, Leaf>;
  /** Every path holding something: leaves, lists and objects. */
  nodes: Set<string>;
}

function flatten(value: unknown, path: string, elements: string[], out: Flat): void {
  out.nodes.add(path);
  if (Array.isArray(value)) {
    if (value.length === 0) out.leaves.set(path, { value: [], empty: true, elements });
    value.forEach((v, i) => flatten(v, `${path}.${i}`, [...elements, `${path}.${i}`], out));
  } else if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0 && path) out.leaves.set(path, { value: {}, empty: true, elements });
    // A key set to undefined is a key left out (as in the stored JSON).
    for (const [k, v] of entries) if (v !== undefined) flatten(v, path ? `${path}.${k}` : k, elements, out);
  } else {
    out.leaves.set(path, { value, elements });
  }
}

function flat(value: unknown): Flat {
  const out: Flat = { leaves: new Map(), nodes: new Set() };
  if (value !== null && value !== undefined) flatten(value, "", [], out);
  return out;
}

const zeroValue = (v: unknown) => v === 0 || v === false || v === "";

// A setting left out reads as 0 (engine `?? 0`) but a new list element's 0 is added; a filled-in [] / {} shows as its elements.
function absentIsSame(leaf: Leaf, path: string, other: Flat): boolean {
  if (leaf.empty) return other.nodes.has(path);
  return zeroValue(leaf.value) && leaf.elements.every((e) => other.nodes.has(e));
}

/** The settings that differ between `before` (null: nothing) and `after`, in the order of `after`'s keys. */
export function diffRules(before: unknown, after: unknown): RuleDiffRow[] {
  const a = flat(before);
  const b = flat(after);
  const rows: RuleDiffRow[] = [];
  for (const [path, leaf] of b.leaves) {
    const old = a.leaves.get(path);
    if (old ? JSON.stringify(old.value) !== JSON.stringify(leaf.value) : !absentIsSame(leaf, path, a)) {
      rows.push({ path, before: old?.value, after: leaf.value });
    }
  }
  for (const [path, old] of a.leaves) if (!b.leaves.has(path) && !absentIsSame(old, path, b)) rows.push({ path, before: old.value, after: undefined });
  return rows;
}
