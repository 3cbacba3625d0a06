// Placeholder created by the web-app side so /api/inngest compiles; the engine side owns this file.
import { Inngest } from "inngest";

export const inngest = new Inngest({ id: "fission-mall" });
