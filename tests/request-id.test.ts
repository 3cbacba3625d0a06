// Request ids (server/api/internal-errors.ts requestIdFrom): a proxy's X-Request-Id is kept only when it
// is a plain token, so a client's header cannot write lines or kilobytes into the server log
// ("[error] request <id> …") nor into audit rows; anything else gets a fresh id.
import { describe, expect, it } from "vitest";
import { requestIdFrom } from "../server/api/internal-errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// A stand-in for the headers: Node's HTTP parser and fetch's Headers already refuse CR/LF in a header value.
const idOf = (value: string | null) => requestIdFrom({ get: (name) => (name === "x-request-id" ? value : null) });

describe("requestIdFrom", () => {
  it("keeps a proxy's plain id", () => {
    expect(idOf("req-route-31337")).toBe("req-route-31337");
    expect(idOf("5f0c1a2b.edge:7")).toBe("5f0c1a2b.edge:7");
  });

  it("replaces a missing, short, long or log-forging id with a fresh one", () => {
    const forged = ["req-1234\n[error] request admin granted", "req-1234\r\nx", "req 1234 5678", "short", "x".repeat(101), "请求编号12345678", "req-1234\t\tsudo", "req-1234%0a"];
    for (const value of [null, ...forged]) expect(idOf(value)).toMatch(UUID);
    expect(idOf(null)).not.toBe(idOf(null));
  });
});
