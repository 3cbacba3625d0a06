// Inngest endpoint (SPEC §9). Functions only orchestrate; the domain functions do the work.
// Without INNGEST_SIGNING_KEY (or INNGEST_DEV=1) this answers 500 by design: the embedded default
// runs timed transitions in-process instead.
import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { inngestServeOrigin } from "@/inngest/serve-origin";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT } = serve({ client: inngest, functions, serveOrigin: inngestServeOrigin() });
