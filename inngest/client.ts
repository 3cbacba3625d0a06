// Inngest client. In production set INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY (Inngest Cloud or a
// self-hosted server), or INNGEST_DEV=1 with a local dev server. Without them the in-process
// scheduler (server/scheduler/in-process.ts) runs the same domain functions.
import { Inngest } from "inngest";

export const inngest = new Inngest({ id: "fission-mall" });
