// The merchant's time zone for server components: the rules in force now, read once per request (React cache);
// the root layout hands the same value to client components (lib/time-zone.tsx).
import "server-only";
import { cache } from "react";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";

export const requestTimeZone = cache(async (): Promise<string> => (await loadConfig(await getDb())).timeZone);
