// Keyset pages for the CSV exports: a page resumes after the previous page's last row by seeking the
// index the list's order walks, never by an offset that re-reads every row before it.

export type SortDir = "asc" | "desc";
/** One part of a page: rows matching `where` (on top of the list's filter), read in `orderBy`. */
export interface Seek {
  where: Record<string, unknown>;
  orderBy: Record<string, unknown>[];
}
/** The sort value and id of the last row written (null: start at the top). */
export type KeysetCursor = { value: Date | number | null; id: number } | null;

/**
 * The rows after `after` in the order (`field` dir, id dir), as consecutive seeks: the cursor's ties (its
 * value, ids beyond its id), then the values beyond it, and for a nullable column the nulls by id, at the
 * end (`nulls: "last"`) or the start ("first") as the list puts them. Each part bounds the index it walks,
 * so no page re-reads rows already written however many share a value (an OR of "beyond, or tie and id
 * beyond" starts at the cursor's value but filters every tie already passed, page after page).
 */
export function seeksAfter(field: string, dir: SortDir, after: KeysetCursor, nulls?: "first" | "last"): Seek[] {
  const beyond = (v: Date | number) => (dir === "desc" ? { lt: v } : { gt: v });
  const byId = [{ id: dir }];
  const values = (where: Record<string, unknown>): Seek => ({ where, orderBy: [{ [field]: dir }, { id: dir }] });
  const nullRows = (where: Record<string, unknown> = {}): Seek[] => (nulls ? [{ where: { [field]: null, ...where }, orderBy: byId }] : []);
  if (!after) {
    const all = values(nulls ? { [field]: { not: null } } : {});
    return nulls === "first" ? [...nullRows(), all] : [all, ...nullRows()];
  }
  if (after.value === null) return [...nullRows({ id: beyond(after.id) }), ...(nulls === "first" ? [values({ [field]: { not: null } })] : [])];
  return [{ where: { [field]: after.value, id: beyond(after.id) }, orderBy: byId }, values({ [field]: beyond(after.value) }), ...(nulls === "last" ? nullRows() : [])];
}

/** Up to `take` rows from the seeks in turn, each asked only for what the page still lacks. */
export async function seekPage<T>(seeks: Seek[], take: number, fetch: (seek: Seek, take: number) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const seek of seeks) {
    if (out.length >= take) break;
    out.push(...(await fetch(seek, take - out.length)));
  }
  return out;
}
