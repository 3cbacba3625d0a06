import { unstable_rethrow } from "next/navigation";
import { internalErrorMessage, logInternalError, requestIdFrom } from "@/server/api/internal-errors";
import type { DomainError } from "@/server/context";
import { createT, localeFromCookieHeader, type MessageKey, type Translator } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { errorText } from "@/lib/i18n/labels";

/** The caller's language (the fm_lang cookie of the request), as the pages use it. */
function requestT(req: Request): Translator {
  const locale = localeFromCookieHeader(req.headers.get("cookie"));
  return createT(locale, MESSAGES[locale]);
}

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
      const t = requestT(req);
      return Response.json(
        { error: t.locale === "zh-CN" ? internalErrorMessage(requestId) : t("error.internal", { id: requestId }), requestId },
        { status: 500, headers: { "x-request-id": requestId, "cache-control": "no-store" } },
      );
    }
  };
}

/**
 * A route handler's refusal as JSON `{ error, code? }` in the caller's language: a message key, or a domain
 * refusal (zh-CN its own message, another language by its code: lib/i18n/labels.ts errorText).
 */
export function refusalResponse(req: Request, status: number, refusal: MessageKey | DomainError): Response {
  const t = requestT(req);
  if (typeof refusal === "string") return Response.json({ error: t(refusal) }, { status });
  return Response.json({ error: errorText(t, { message: refusal.message, data: { domainCode: refusal.code } }), code: refusal.code }, { status });
}
