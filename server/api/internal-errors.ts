// Internal errors never reach a client (issue 8): the client gets a generic message and a request id;
// the server log gets the error under the same id. Shared by the tRPC error formatter and the route
// handlers (app/_lib/route-errors.ts). Logs carry no inputs, no query arguments, no personal data.

/** The proxy's X-Request-Id when it sends a sane one, else a new id. */
export function requestIdFrom(headers: Pick<Headers, "get">): string {
  const given = headers.get("x-request-id");
  return given && /^[\w.:-]{8,100}$/.test(given) ? given : crypto.randomUUID();
}

/** What a client is told about an internal error. */
export function internalErrorMessage(requestId: string): string {
  return `服务器出错了，请稍后再试（请求编号 ${requestId}）`;
}

/**
 * Logs an internal error under its request id. Prisma errors are reduced to their class and code:
 * their messages quote the query's arguments (phone hashes, addresses, names).
 */
export function logInternalError(where: string, requestId: string, err: unknown): void {
  console.error(`[error] request ${requestId} ${where}: ${describeError(err)}`);
}

export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `non-error thrown (${typeof err})`;
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8).join("\n");
  if (/^PrismaClient/.test(err.name)) return `${err.name}${typeof code === "string" ? ` ${code}` : ""}\n${frames}`;
  return `${err.name}${typeof code === "string" ? ` ${code}` : ""}: ${err.message.slice(0, 500)}\n${frames}`;
}
