import { unstable_rethrow } from "next/navigation";
import { internalErrorMessage, logInternalError, requestIdFrom } from "@/server/api/internal-errors";

/**
 * Wraps a route handler so an unexpected error answers 500 with a generic message and a request id
 * (JSON `{ error, requestId }`, header `x-request-id`), and is logged server-side under that id.
 * Next's own control flow (redirect, notFound, dynamic usage) passes through untouched.
 */
export function withErrorResponse<A extends unknown[]>(where: string, handler: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    try {
      return await handler(req, ...rest);
    } catch (err) {
      unstable_rethrow(err);
      const requestId = requestIdFrom(req.headers);
      logInternalError(where, requestId, err);
      return Response.json(
        { error: internalErrorMessage(requestId), requestId },
        { status: 500, headers: { "x-request-id": requestId, "cache-control": "no-store" } },
      );
    }
  };
}
