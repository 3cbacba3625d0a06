// Scenario input (SPEC §10): parsed and checked in full before anything runs, so malformed input
// exits non-zero with a message naming the event and the field, and never half-runs.
import { z } from "zod";
import { configShape, type MallConfig } from "../config/schema";
import { INT4_MAX } from "../validation";

export class ScenarioInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioInputError";
  }
}

const name = z.string().min(1);
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Whether the text names a time that exists: Date.parse rolls 2026-02-30 over to 2 March, so its instant, read back in the given offset, must show the same date and clock. */
function existingTime(s: string): boolean {
  const m = ISO_TIME.exec(s);
  const ms = Date.parse(s);
  if (!m || Number.isNaN(ms)) return false;
  const offsetMin = m[7] === "Z" ? 0 : (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  const local = new Date(ms + offsetMin * 60_000);
  const shown = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()];
  const written = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  return shown.every((v, i) => v === written[i]);
}

const at = z
  .string()
  .refine((s) => ISO_TIME.test(s), { message: "must be an ISO-8601 time with a zone, e.g. 2026-03-01T10:00:00+08:00", abort: true })
  .refine(existingTime, { message: "is not a real date and time (day of month, hour, minute or second out of range)" });
const base = { at };

const eventSchemas = {
  register: z.object({ ...base, type: z.literal("register"), user: name, sponsor: name.optional().nullable(), ip: z.string().optional().nullable(), device: z.string().optional().nullable() }).strict(),
  order: z
    .object({
      ...base,
      type: z.literal("order"),
      order: name,
      user: name,
      lines: z.array(z.object({ sku: name, qty: z.number().int().positive() }).strict()).min(1),
      address: z.string().optional().nullable(),
    })
    .strict(),
  pay: z.object({ ...base, type: z.literal("pay"), order: name }).strict(),
  deliver: z.object({ ...base, type: z.literal("deliver"), order: name }).strict(),
  refund: z.object({ ...base, type: z.literal("refund"), order: name }).strict(),
  review: z.object({ ...base, type: z.literal("review"), user: name, decision: z.enum(["approve", "reject"]) }).strict(),
  advance: z.object({ ...base, type: z.literal("advance") }).strict(),
};

export type ScenarioEvent = { [K in keyof typeof eventSchemas]: z.infer<(typeof eventSchemas)[K]> }[keyof typeof eventSchemas] & { time: Date };

// The columns are int4: a larger price or stock would fail mid-run instead of being refused up front.
const int4 = z.number().int().min(0).max(INT4_MAX, `must be at most ${INT4_MAX}`);
const productSchema = z.object({ sku: name, priceFen: int4, category: name, stock: int4, name: z.string().optional() }).strict();

export interface ScenarioInput {
  config: MallConfig;
  products: z.infer<typeof productSchema>[];
  events: ScenarioEvent[];
}

function describe(issues: z.core.$ZodIssue[]): string {
  const i = issues[0];
  const field = i.path.length ? i.path.join(".") : "(value)";
  return `field '${field}': ${i.message}`;
}

export function parseScenario(raw: unknown): ScenarioInput {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ScenarioInputError("scenario must be a JSON object");
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!["config", "products", "events"].includes(k)) throw new ScenarioInputError(`unknown top-level key '${k}'`);
  }
  const cfg = configShape.safeParse(obj.config ?? {});
  if (!cfg.success) throw new ScenarioInputError(`config: ${describe(cfg.error.issues)}`);

  const products = z.array(productSchema).safeParse(obj.products ?? []);
  if (!products.success) {
    const [index] = products.error.issues[0].path;
    const sku = typeof index === "number" && Array.isArray(obj.products) ? (obj.products[index] as { sku?: unknown } | null)?.sku : undefined;
    throw new ScenarioInputError(`products${typeof sku === "string" ? ` (sku '${sku}')` : ""}: ${describe(products.error.issues)}`);
  }
  const skus = new Set<string>();
  for (const p of products.data) {
    if (skus.has(p.sku)) throw new ScenarioInputError(`products: duplicate sku '${p.sku}'`);
    skus.add(p.sku);
  }

  if (!Array.isArray(obj.events)) throw new ScenarioInputError("field 'events' must be an array");
  const users = new Set<string>();
  const orders = new Set<string>();
  let last = Number.NEGATIVE_INFINITY;
  const events: ScenarioEvent[] = obj.events.map((e, i) => {
    const where = `event ${i}`;
    if (typeof e !== "object" || e === null) throw new ScenarioInputError(`${where}: must be an object`);
    const type = (e as { type?: unknown }).type;
    if (typeof type !== "string" || !(type in eventSchemas)) {
      throw new ScenarioInputError(`${where}: field 'type' must be one of ${Object.keys(eventSchemas).join(", ")}`);
    }
    const parsed = eventSchemas[type as keyof typeof eventSchemas].safeParse(e);
    if (!parsed.success) throw new ScenarioInputError(`${where} (${type}): ${describe(parsed.error.issues)}`);
    const ev = { ...parsed.data, time: new Date(parsed.data.at) } as ScenarioEvent;
    if (ev.time.getTime() < last) throw new ScenarioInputError(`${where} (${type}): field 'at' goes back in time (${ev.at})`);
    last = ev.time.getTime();
    const known = (u: string, field: string) => {
      if (!users.has(u)) throw new ScenarioInputError(`${where} (${type}): field '${field}' names no registered user '${u}'`);
    };
    const knownOrder = (o: string) => {
      if (!orders.has(o)) throw new ScenarioInputError(`${where} (${type}): field 'order' names no order '${o}'`);
    };
    switch (ev.type) {
      case "register":
        if (users.has(ev.user)) throw new ScenarioInputError(`${where} (register): field 'user' '${ev.user}' is already registered`);
        if (ev.sponsor != null && ev.sponsor !== ev.user) known(ev.sponsor, "sponsor");
        users.add(ev.user);
        break;
      case "order":
        known(ev.user, "user");
        if (orders.has(ev.order)) throw new ScenarioInputError(`${where} (order): field 'order' '${ev.order}' is already used`);
        ev.lines.forEach((l, j) => {
          if (!skus.has(l.sku)) throw new ScenarioInputError(`${where} (order): field 'lines.${j}.sku' names no product '${l.sku}'`);
        });
        orders.add(ev.order);
        break;
      case "pay":
      case "deliver":
      case "refund":
        knownOrder(ev.order);
        break;
      case "review":
        known(ev.user, "user");
        break;
    }
    return ev;
  });
  return { config: cfg.data, products: products.data, events };
}
