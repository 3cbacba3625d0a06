// Where a server's latency goes (bench/README.md, HTTP). Two uses:
//  - preloaded into the server under load: BENCH_SERVER_NODE_OPTIONS="--import ./bench/server-probe.mjs" npm run bench -- http …
//    appends to $BENCH_PROBE_DIR/probe-PID.log (default /tmp) every 2 s the event-loop delay (p50, p99, max) and
//    the GC pauses by kind (1 minor, 4 major, 8 incremental); with BENCH_PROBE_CPU=1 it also writes a CPU profile
//    (sampled every 0.5 ms) per 10 s slice, probe-PID-NN.cpuprofile (writing one stalls the loop ~0.3 s itself).
//  - run on such a profile: node bench/server-probe.mjs FILE.cpuprofile [ms]
//    lists every frame that stayed on the stack for longer than ms (default 60) without a break: one long
//    synchronous step holds every other request back, which an average profile does not show.
import fs from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { setInterval } from "node:timers";
import { fileURLToPath } from "node:url";

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) stretches(process.argv[2], Number(process.argv[3] ?? 60));
// Only the Next server process (npm, tsx and npx run with the same NODE_OPTIONS).
else if (process.argv.some((a) => /next[/\\]dist[/\\]bin[/\\]next$/.test(a))) probe(process.env.BENCH_PROBE_DIR || "/tmp");

function probe(dir) {
  const log = path.join(dir, `probe-${process.pid}.log`);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let gc = { n: 0, ms: 0, max: 0, kinds: {} };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.n++;
      gc.ms += e.duration;
      gc.max = Math.max(gc.max, e.duration);
      gc.kinds[e.detail.kind] = (gc.kinds[e.detail.kind] ?? 0) + 1;
    }
  }).observe({ entryTypes: ["gc"] });
  const ms = (ns) => (ns / 1e6).toFixed(1);
  setInterval(() => {
    const heap = (process.memoryUsage().heapUsed / 1e6).toFixed(0);
    fs.appendFileSync(log, `${new Date().toISOString()} loop delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms | gc ${gc.n} pauses, ${gc.ms.toFixed(0)} ms, longest ${gc.max.toFixed(1)} ms, by kind ${JSON.stringify(gc.kinds)} | heap ${heap} MB\n`);
    delay.reset();
    gc = { n: 0, ms: 0, max: 0, kinds: {} };
  }, 2000).unref();
  if (process.env.BENCH_PROBE_CPU !== "1") return;
  const session = new Session();
  session.connect();
  session.post("Profiler.enable", () => session.post("Profiler.setSamplingInterval", { interval: 500 }, () => session.post("Profiler.start")));
  let slice = 0;
  setInterval(() => {
    session.post("Profiler.stop", (err, result) => {
      if (!err) fs.writeFileSync(path.join(dir, `probe-${process.pid}-${String(slice++).padStart(2, "0")}.cpuprofile`), JSON.stringify(result.profile));
      session.post("Profiler.start");
    });
  }, 10_000).unref();
}

function stretches(file, minMs) {
  const p = JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
  const open = new Map();
  const found = [];
  const close = (f, s) => {
    if (s.last - s.start > minMs) found.push({ f, start: s.start, ms: s.last - s.start });
  };
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i];
    const at = (t - p.startTime) / 1000;
    const stack = new Set();
    for (let x = id; x !== undefined; x = parent.get(x)) stack.add(name(byId.get(x)));
    for (const [f, s] of open) {
      if (stack.has(f)) continue;
      close(f, s);
      open.delete(f);
    }
    for (const f of stack) {
      const s = open.get(f);
      if (s) s.last = at;
      else open.set(f, { start: at, last: at });
    }
  });
  for (const [f, s] of open) close(f, s);
  found.sort((a, b) => a.start - b.start || b.ms - a.ms);
  for (const x of found) if (!x.f.startsWith("(root)")) console.log(`+${x.start.toFixed(0)} ms: ${x.ms.toFixed(0)} ms in ${x.f}`);
}
