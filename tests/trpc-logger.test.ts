// The browser's tRPC logger: in production a refusal the page shows itself (订单不存在 for another's order,
// a signed-out visit, bad input) is no console error; a server error or a lost connection still is.
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { logsTrpcOperation } from "../trpc/react";

function refusal(code: string, httpStatus: number, zodError?: object) {
  return TRPCClientError.from({ error: { message: code, code: -32000, data: { code, httpStatus, ...(zodError ? { zodError } : {}) } } });
}

describe("logsTrpcOperation", () => {
  it("in production, a refusal the page shows is not logged", () => {
    for (const [code, status] of [["NOT_FOUND", 404], ["UNAUTHORIZED", 401], ["BAD_REQUEST", 400], ["TOO_MANY_REQUESTS", 429], ["CONFLICT", 409]] as const)
      expect(logsTrpcOperation({ direction: "down", result: refusal(code, status) }, false), code).toBe(false);
  });

  it("in production, a 4xx that means a bug or a misconfiguration is logged", () => {
    // Input the server's schema refused (a stale bundle after a deploy), a body it could not parse, the wrong method, a batch
    // over the limit, a cross-site refusal of every mutation (a wrong site origin).
    expect(logsTrpcOperation({ direction: "down", result: refusal("BAD_REQUEST", 400, { fieldErrors: { id: ["Required"] } }) }, false)).toBe(true);
    for (const [code, status] of [["PARSE_ERROR", 400], ["METHOD_NOT_SUPPORTED", 405], ["PAYLOAD_TOO_LARGE", 413], ["FORBIDDEN", 403]] as const)
      expect(logsTrpcOperation({ direction: "down", result: refusal(code, status) }, false), code).toBe(true);
  });

  it("in production, a server error and a network failure are logged", () => {
    expect(logsTrpcOperation({ direction: "down", result: refusal("INTERNAL_SERVER_ERROR", 500) }, false)).toBe(true);
    expect(logsTrpcOperation({ direction: "down", result: new TRPCClientError("Failed to fetch") }, false)).toBe(true);
  });

  it("in production, requests and successes are not logged", () => {
    expect(logsTrpcOperation({ direction: "up" }, false)).toBe(false);
    expect(logsTrpcOperation({ direction: "down", result: { result: { type: "data", data: 1 } } }, false)).toBe(false);
  });

  it("in development, everything is logged, refusals included", () => {
    expect(logsTrpcOperation({ direction: "up" }, true)).toBe(true);
    expect(logsTrpcOperation({ direction: "down", result: refusal("NOT_FOUND", 404) }, true)).toBe(true);
  });
});
