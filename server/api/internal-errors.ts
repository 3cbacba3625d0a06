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
 * their messages quote the query's arguments (phone hashes, addresses, names); so are the vendors' SDK errors.
 */
export function logInternalError(where: string, requestId: string, err: unknown): void {
  console.error(`[error] request ${requestId} ${where}: ${describeError(err)}`);
}

/**
 * The payment and SMS vendors' SDK errors (alipay-sdk, urllib under it, axios under wechatpay-axios-plugin, Tencent
 * Cloud's and Alibaba Cloud's SDKs): their messages quote the vendor's answer or our request, e.g. a signed Alipay
 * response with the buyer's user id and login, or the phone number of an SMS.
 */
const VENDOR_ERRORS: ReadonlySet<string> = new Set([
  "AlipayRequestError",
  "HttpClientRequestError",
  "HttpClientRequestTimeoutError",
  "HttpClientConnectTimeoutError",
  "AxiosError",
  "TencentCloudSDKHttpException",
  "BaseError",
  "ResponseError",
  "RetryError",
  "UnretryableError",
  "AlibabaCloudError",
  "ClientError",
  "ServerError",
  "ThrottlingError",
]);

/** Whether `err` is a vendor SDK's error, by its class or one it extends (Tencent Cloud's sets no name). */
function isVendorError(err: Error): boolean {
  if (VENDOR_ERRORS.has(err.name)) return true;
  for (let proto = Object.getPrototypeOf(err) as object | null; proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    if (VENDOR_ERRORS.has((proto as { constructor?: { name?: string } }).constructor?.name ?? "")) return true;
  }
  return false;
}

/** An error for the log: Prisma's and the vendors' by class and code only, others with the start of their message. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `non-error thrown (${typeof err})`;
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8).join("\n");
  const head = `${err.name}${typeof code === "string" ? ` ${code}` : ""}`;
  if (/^PrismaClient/.test(err.name) || isVendorError(err)) return `${head}\n${frames}`;
  return `${head}: ${err.message.slice(0, 500)}\n${frames}`;
}
