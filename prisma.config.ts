import { defineConfig } from "prisma/config";

// The CLI is used only for `prisma generate` here; migrations run through scripts/db-migrate.ts
// (Wasm schema engine) so they work without the native engine binary.
export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/unused" },
});
