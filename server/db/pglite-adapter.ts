// pglite-prisma-adapter 0.7.2 swallows errors raised at COMMIT (e.g. a deferred constraint
// trigger): `commit()` resolves and the caller believes the transaction succeeded. This factory
// returns adapters whose transactions surface those errors, so PGlite behaves like PostgreSQL.
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

type Deferred = { resolve(): void };
type TxCtor = new (tx: Transaction, options: unknown, d: Deferred, result: Promise<unknown>) => unknown;
type AdapterInternals = { startTransactionInner(conn: PGlite, options: unknown): Promise<unknown> };

export class StrictPGlite extends PrismaPGlite {
  override async connect() {
    const adapter = await super.connect();
    const internals = adapter as unknown as AdapterInternals;
    const original = internals.startTransactionInner.bind(adapter);
    // The transaction class is internal to the package: take it from one empty transaction.
    const probe = (await original((adapter as unknown as { client: PGlite }).client, { usePhantomQuery: true })) as { commit(): Promise<void> };
    const TxClass = probe.constructor as TxCtor;
    await probe.commit();
    internals.startTransactionInner = (conn: PGlite, options: unknown) =>
      new Promise((resolve, reject) => {
        let started = false;
        const result: Promise<unknown> = conn.transaction(async (tx) => {
          let release!: () => void;
          const done = new Promise<void>((r) => (release = r));
          started = true;
          resolve(new TxClass(tx, options, { resolve: release }, result));
          return done;
        });
        result.catch((e) => {
          if (!started) reject(e);
        });
      });
    return adapter;
  }
}
