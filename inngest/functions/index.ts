// Placeholder created by the web-app side so /api/inngest compiles; the engine side owns this file.
import type { InngestFunction } from "inngest";

export const functions: InngestFunction.Any[] = [];
