// Prisma's Wasm schema engine, used to create migrations and to verify that the committed
// migrations produce exactly prisma/schema/. It runs on an in-memory PGlite, so neither
// the native engine binary nor a database server is needed (../shared/notes/prisma.md).
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PGLITE_EXTENSIONS } from "./extensions";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine as SchemaEngineT, MigrationList } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

// pglite-prisma-adapter 0.7.2 does not await exec() in executeScript: wrap it so a failing
// script fails the call instead of leaving a half-applied migration.
class AwaitingPGliteFactory extends PrismaPGlite {
  constructor(private readonly pg: PGlite) {
    super(pg);
  }
  private wrap<T extends { executeScript(s: string): Promise<void> }>(adapter: T, pg: PGlite): T {
    adapter.executeScript = async (script: string) => {
      await pg.exec(script);
    };
    return adapter;
  }
  override async connect() {
    return this.wrap(await super.connect(), this.pg);
  }
  override async connectToShadowDb() {
    const shadow = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS });
    const factory = new PrismaPGlite(shadow);
    return this.wrap(await factory.connect(), shadow);
  }
}

async function loadEngineModule() {
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {
    "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
  });
  (glue as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(instance.exports);
  (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
  return glue as unknown as { SchemaEngine: typeof SchemaEngineT };
}

export const SCHEMA_DIR = path.resolve(process.cwd(), "prisma/schema");
export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

/** The schema folder's files (one per domain), as the engine takes them. */
export function readSchemaFiles(): { path: string; content: string }[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith(".prisma"))
    .sort()
    .map((f) => ({ path: f, content: readFileSync(path.join(SCHEMA_DIR, f), "utf8") }));
}

export function readMigrationList(dir = MIGRATIONS_DIR): MigrationList {
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(path.join(dir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

export async function withSchemaEngine<T>(fn: (engine: SchemaEngineT) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const pg = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS });
  const factory = bindMigrationAwareSqlAdapterFactory(new AwaitingPGliteFactory(pg));
  const datamodels = readSchemaFiles().map((f) => [f.path, f.content] as [string, string]);
  const engine = await SchemaEngine.new({ datamodels }, () => {}, factory);
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await pg.close();
  }
}

const noFilters = { externalTables: [], externalEnums: [] };

/** SQL that takes the database from the committed migrations to prisma/schema/ ("" when in step). */
export async function diffMigrationsToSchema(): Promise<string> {
  return withSchemaEngine(async (engine) => {
    const list = readMigrationList();
    const from = list.migrationDirectories.length ? ({ tag: "migrations", ...list } as const) : ({ tag: "empty" } as const);
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: readSchemaFiles() },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return (result as unknown as { stdout?: string }).stdout ?? "";
  });
}

export function isEmptyDiff(sql: string): boolean {
  return sql.replace(/--.*$/gm, "").trim() === "";
}
