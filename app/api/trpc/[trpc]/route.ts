import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

// Internal errors are logged (without inputs: they may hold phone numbers or codes) by the error
// formatter in server/api/trpc.ts, under the request id the client is shown.
const handler = (req: NextRequest) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    // At most 10 procedures a request (one POST ran 50 sendCode mutations); trpc/react.tsx's link sends no more (maxItems).
    maxBatchSize: 10,
    createContext: () => createTRPCContext({ headers: req.headers }),
    responseMeta: ({ ctx }) => (ctx ? { headers: new Headers({ "x-request-id": ctx.requestId }) } : {}),
  });

export { handler as GET, handler as POST };
