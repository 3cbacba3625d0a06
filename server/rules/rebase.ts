// Carrying a saved change into the versions scheduled after it. A scheduled version keeps its own changes
// (the settings it changed from the rules it was to replace); every other setting follows the newer save.
// Without this, a change saved "now" vanished when an older scheduled version came into force.

type Segment = string | number;
type Leaves = Map<string, { path: Segment[]; value: unknown }>;

// Paths are JSON arrays of segments: a category slug may hold any character, a dot included.
function flatten(value: unknown, path: Segment[] = [], out: Leaves = new Map()): Leaves {
  if (Array.isArray(value)) {
    // An empty list or object is a value of its own (no stepped brackets, no category rates).
    if (value.length === 0) out.set(JSON.stringify(path), { path, value: [] });
    value.forEach((v, i) => flatten(v, [...path, i], out));
  } else if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(JSON.stringify(path), { path, value: {} });
    for (const [k, v] of entries) flatten(v, [...path, k], out);
  } else if (value !== undefined) {
    out.set(JSON.stringify(path), { path, value });
  }
  return out;
}

function unflatten(leaves: Leaves): unknown {
  const root: { v?: unknown } = {};
  // Empty containers first: a leaf below the same path (added by the other side) fills it.
  const sorted = [...leaves.values()].sort((a, b) => a.path.length - b.path.length);
  for (const { path, value } of sorted) {
    let parent: Record<Segment, unknown> = root as Record<Segment, unknown>;
    let key: Segment = "v";
    for (const seg of path) {
      const existing = parent[key];
      if (!existing || typeof existing !== "object") parent[key] = typeof seg === "number" ? [] : {};
      parent = parent[key] as Record<Segment, unknown>;
      key = seg;
    }
    const current = parent[key];
    const isEmptyContainer = (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === "object" && Object.keys(value).length === 0);
    if (!(isEmptyContainer && current && typeof current === "object")) parent[key] = Array.isArray(value) ? [] : value && typeof value === "object" ? {} : value;
  }
  return compact(root.v);
}

// A list whose middle entries the scheduled version removed has holes: the entries left close up.
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
  return value;
}

const sameLeaf = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Two rule sets with the same settings, whatever the order of their keys. */
export function sameRules(a: unknown, b: unknown): boolean {
  const fa = flatten(a);
  const fb = flatten(b);
  return fa.size === fb.size && [...fa].every(([k, leaf]) => fb.has(k) && sameLeaf(leaf.value, fb.get(k)!.value));
}

/**
 * `scheduled` rebased onto `saved`: the settings `scheduled` changed from `replaced` (the rules it was to
 * replace when it was saved) keep its values, removals included; every other setting is `saved`'s.
 */
export function carryInto(saved: unknown, replaced: unknown, scheduled: unknown): unknown {
  const own = flatten(scheduled);
  const out = flatten(saved);
  for (const k of changedKeys(flatten(replaced), own)) {
    if (own.has(k)) out.set(k, own.get(k)!);
    else out.delete(k);
  }
  return unflatten(out);
}

/** The leaves `after` changed from `before`: set to another value, added, or removed. */
function changedKeys(before: Leaves, after: Leaves): string[] {
  const changed = [...after].filter(([k, leaf]) => !before.has(k) || !sameLeaf(before.get(k)!.value, leaf.value)).map(([k]) => k);
  return [...changed, ...[...before.keys()].filter((k) => !after.has(k))];
}

/** Settings with each list one value: a list's entries have no names to follow, so a list is edited as a whole. */
function settings(value: unknown, path: Segment[] = [], out: Leaves = new Map()): Leaves {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(JSON.stringify(path), { path, value: {} });
    for (const [k, v] of entries) settings(v, [...path, k], out);
  } else if (value !== undefined) {
    out.set(JSON.stringify(path), { path, value });
  }
  return out;
}

/** The rule set of `settings` leaves (paths of object keys only; empty objects first, as a leaf below fills them). */
function fromSettings(leaves: Leaves): unknown {
  const root: Record<string, unknown> = {};
  for (const { path, value } of [...leaves.values()].sort((a, b) => a.path.length - b.path.length)) {
    if (path.length === 0) return structuredClone(value);
    let parent = root;
    for (const seg of path.slice(0, -1)) {
      if (!parent[seg] || typeof parent[seg] !== "object") parent[seg] = {};
      parent = parent[seg] as Record<string, unknown>;
    }
    const key = path.at(-1)!;
    const emptyObject = value !== null && typeof value === "object" && !Array.isArray(value);
    if (!(emptyObject && parent[key] && typeof parent[key] === "object")) parent[key] = structuredClone(value);
  }
  return root;
}

export type EditRebase = { ok: true; config: unknown; changed: number } | { ok: false; stale: string[]; differs: string[] };

/**
 * An edit made on `base` (giving `edited`) moved onto `target` (the rules in force at its time): only the settings the
 * editor changed, a list as a whole. Refused, naming the settings (dotted paths): `stale`, where a save since `base`
 * (seen in `latest`, what the form would now open with) changed one of them to another value than the editor's;
 * `differs`, where `target` holds another value than `base` for one of them (a scheduled version the form showed):
 * the edit was made against a value that is not the one it would replace.
 */
export function rebaseEdit(base: unknown, edited: unknown, latest: unknown, target: unknown): EditRebase {
  const before = settings(base);
  const mine = settings(edited);
  const theirs = settings(latest);
  const onto = settings(target);
  const value = (leaves: Leaves, k: string) => (leaves.has(k) ? JSON.stringify(leaves.get(k)!.value) : undefined);
  const changed = changedKeys(before, mine);
  const clash = (other: Leaves) => (k: string) => value(other, k) !== value(before, k) && value(other, k) !== value(mine, k);
  const stale = changed.filter(clash(theirs));
  const differs = changed.filter((k) => !stale.includes(k) && clash(onto)(k));
  const names = (keys: string[]) => keys.map((k) => (JSON.parse(k) as Segment[]).join("."));
  if (stale.length > 0 || differs.length > 0) return { ok: false, stale: names(stale), differs: names(differs) };
  const out = new Map(onto);
  for (const k of changed) {
    if (mine.has(k)) out.set(k, mine.get(k)!);
    else out.delete(k);
  }
  return { ok: true, config: fromSettings(out), changed: changed.length };
}
