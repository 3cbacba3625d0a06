// A worker process running the app's real code paths on PostgreSQL, for the multi-process tests and
// the fault script (npm run faults). It is killed with SIGKILL on purpose; everything it does must
// survive that.
//   sweep <untilISO> [wall|due]   performs every due transition up to `until` (the in-process
//                      scheduler's sweep; "due" runs each at its due time, as a replay of the
//                      days up to `until`), printing "done <id>" per committed row and a JSON summary
//   callbacks <port>   serves POST /notify on 127.0.0.1 with the payment callback handler
//   instance <port> [intervalMs]   one app instance: the callback handler and the in-process scheduler
import http from "node:http";
import { openPostgres } from "../../server/db";
import { runDueTransitions } from "../../server/scheduler";
import { handlePaymentNotification } from "../../server/payments";
import { performDueProviderCalls } from "../../server/payments/calls";

const [mode, arg, clock] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const database = await openPostgres(url, { migrate: false, poolSize: 4 });
const db = database.prisma;

if (mode === "sweep") {
  const until = new Date(arg);
  const ids: number[] = [];
  const out = (s: string) => process.stdout.write(`${s}\n`);
  for (;;) {
    const ran = await runDueTransitions(db, until, {
      ...(clock === "due" ? { clock: "due" as const } : { now: until }),
      onPerformed: (row) => {
        ids.push(row.id);
        out(`done ${row.id}`);
      },
    });
    if (ran === 0) break;
  }
  await performDueProviderCalls(db, until);
  out(JSON.stringify({ pid: process.pid, ids }));
  await database.close();
} else if (mode === "callbacks") {
  serveCallbacks(Number(arg));
} else if (mode === "instance") {
  const { startInProcessScheduler } = await import("../../server/scheduler/in-process");
  startInProcessScheduler(async () => db, Number(clock ?? 500));
  serveCallbacks(Number(arg));
} else {
  throw new Error(`unknown mode ${mode}`);
}

function serveCallbacks(port: number) {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      try {
        await handlePaymentNotification(db, "sandbox", body, headers, new Date());
        res.writeHead(200).end("SUCCESS");
      } catch (e) {
        process.stderr.write(`[callback] refused: ${e instanceof Error ? e.name : "error"}\n`);
        res.writeHead(400).end("FAIL");
      }
    });
  });
  server.listen(port, "127.0.0.1", () => process.stdout.write("listening\n"));
}
