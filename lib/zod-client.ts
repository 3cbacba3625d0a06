// Zod for browser code. Its fast path probes `new Function`, which the page's CSP (no 'unsafe-eval') blocks
// and reports; the switch must be set before any schema is built, so client modules import z from here.
import { z } from "zod";

if (typeof window !== "undefined") z.config({ jitless: true });

export { z };
