// Prisma's adapter for the embedded PGlite database (pglite-prisma-adapter 0.7.2), changed in two ways:
// - transactions surface errors raised at COMMIT (e.g. a deferred constraint trigger): the package's
//   `commit()` resolves and the caller believes the transaction succeeded;
// - each SQL text is prepared once per database (as on PostgreSQL, see openPostgres): PGlite's own
//   `query()` parses and plans every call in WebAssembly and makes six protocol round trips, where a
//   prepared statement runs in one (Bind, Execute, Sync), with the row description kept from preparing.
import { parse, protocol, type PGlite, type Transaction } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

type Deferred = { resolve(): void };
type TxCtor = new (tx: TxClient, options: unknown, d: Deferred, result: Promise<unknown>) => unknown;
type AdapterInternals = { client: unknown; startTransactionInner(conn: unknown, options: unknown): Promise<unknown> };
type Parser = (value: string, typeId?: number) => unknown;
type QueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, Parser> };
type Message = Awaited<ReturnType<PGlite["execProtocolStream"]>>[number];
type Prepared = { name: string; paramTypes: number[]; rowDescription?: Message };

/** Prepared texts kept per database; past it the least recently used one is closed. */
export const MAX_PREPARED = 500;

const S = protocol.serialize;
type Known = {
  byText: Map<string, Prepared>; // least recently used first
  next: number; // names are never reused
  // The caller's parsers over PGlite's own, looked up through the prototype so types PGlite learns later still count.
  parsers: Map<object, Record<number, Parser>>;
};
const statements = new WeakMap<PGlite, Known>();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One statement on PGlite, the caller holding PGlite's query lock; same results as `pglite.query`. */
async function runStatement(pg: PGlite, sql: string, params: unknown[] = [], options: QueryOptions = {}) {
  const send = (parts: Uint8Array[]) => pg.execProtocolStream(concat(parts), { syncToFs: false });
  let known = statements.get(pg);
  if (!known) statements.set(pg, (known = { byText: new Map(), next: 0, parsers: new Map() }));
  let prepared = known.byText.get(sql);
  if (prepared) {
    known.byText.delete(sql);
  } else {
    const name = `fm_${known.next++}`;
    const evict = known.byText.size >= MAX_PREPARED ? known.byText.keys().next().value : undefined;
    const close = evict === undefined ? [] : [S.close({ type: "S", name: known.byText.get(evict)!.name })];
    if (evict !== undefined) known.byText.delete(evict);
    const described = await send([...close, S.parse({ name, text: sql, types: [] }), S.describe({ type: "S", name }), S.sync()]);
    prepared = {
      name,
      paramTypes: parse.parseDescribeStatementResults(described),
      rowDescription: described.find((m) => m.name === "rowDescription"),
    };
  }
  known.byText.set(sql, prepared);
  const paramTypes = prepared.paramTypes;
  const values = params.map((v, i) => {
    if (v === null || v === undefined) return null;
    const serialize = pg.serializers[paramTypes[i]];
    return serialize ? serialize(v) : String(v);
  });
  const messages = await send([S.bind({ statement: prepared.name, values: values as string[] }), S.execute({}), S.sync()]);
  let parsers: Record<number, Parser> = pg.parsers;
  if (options.parsers) {
    parsers = known.parsers.get(options.parsers) ?? Object.assign(Object.create(pg.parsers) as Record<number, Parser>, options.parsers);
    known.parsers.set(options.parsers, parsers);
  }
  const all = prepared.rowDescription ? [prepared.rowDescription, ...messages] : messages;
  return parse.parseResults(all, parsers, { rowMode: options.rowMode })[0];
}

type TxClient = {
  query(sql: string, params?: unknown[], options?: QueryOptions): ReturnType<typeof runStatement>;
  exec: Transaction["exec"];
  rollback(): Promise<void>;
  readonly closed: boolean;
};

/** What the adapter uses of a PGlite outside a transaction, its queries prepared. */
function preparedClient(pg: PGlite) {
  return {
    query: async (sql: string, params?: unknown[], options?: QueryOptions) => {
      await pg._checkReady();
      const result = await pg._runExclusiveTransaction(() => pg.runExclusive(() => runStatement(pg, sql, params, options)));
      await pg.syncToFs();
      return result;
    },
    exec: (sql: string) => pg.exec(sql),
  };
}

/** The same inside one of PGlite's transactions (which already holds the transaction lock). */
function preparedTx(pg: PGlite, tx: Transaction): TxClient {
  return {
    query: (sql, params, options) => {
      if (tx.closed) throw new Error("Transaction is closed");
      return pg.runExclusive(() => runStatement(pg, sql, params, options));
    },
    exec: (sql, options) => tx.exec(sql, options),
    rollback: () => tx.rollback(),
    get closed() {
      return tx.closed;
    },
  };
}

export class StrictPGlite extends PrismaPGlite {
  constructor(private readonly pg: PGlite) {
    super(pg);
  }

  override async connect() {
    const adapter = await super.connect();
    const internals = adapter as unknown as AdapterInternals;
    const original = internals.startTransactionInner.bind(adapter);
    // The transaction class is internal to the package: take it from one empty transaction.
    const probe = (await original(this.pg, { usePhantomQuery: true })) as { commit(): Promise<void> };
    const TxClass = probe.constructor as TxCtor;
    await probe.commit();
    const pg = this.pg;
    internals.client = preparedClient(pg);
    internals.startTransactionInner = (_conn: unknown, options: unknown) =>
      new Promise((resolve, reject) => {
        let started = false;
        const result: Promise<unknown> = pg.transaction(async (tx) => {
          let release!: () => void;
          const done = new Promise<void>((r) => (release = r));
          started = true;
          resolve(new TxClass(preparedTx(pg, tx), options, { resolve: release }, result));
          return done;
        });
        result.catch((e) => {
          if (!started) reject(e);
        });
      });
    return adapter;
  }
}
