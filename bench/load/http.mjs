// Back-to-back HTTP POSTs from one Node process (an event loop: it uses a fraction of a
// core while the server under test uses the rest). Each request takes the next session
// from the list, so every ballot is a different voter.
//
//   node bench/load/http.mjs CONFIG.json   with {"port", "path", "body", "sessions": [...],
//                                              "concurrency", "seconds"}
// Prints one JSON line: {"n", "rps", "p50", "p99", "errors", "statuses"}.
import http from "node:http";
import crypto from "node:crypto";
import { readFileSync } from "node:fs";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.concurrency });
const sessions = cfg.sessions.slice();
const latencies = [];
const timeline = []; // [seconds since the start, latency ms, ok] per request (cfg.minutes)
const statuses = {};
let errors = 0;
const stopAt = performance.now() + cfg.seconds * 1000;

function post(session) {
  return new Promise((resolve) => {
    const token = crypto.randomBytes(16).toString("hex");
    const started = performance.now();
    const req = http.request(
      {
        host: "127.0.0.1",
        port: cfg.port,
        path: cfg.path,
        method: "POST",
        agent,
        headers: {
          Cookie: `sessionid=${session}; csrftoken=${token}`,
          "X-CSRFToken": token,
          "Content-Type": "application/json",
          Referer: `http://127.0.0.1:${cfg.port}/`,
          "Content-Length": Buffer.byteLength(cfg.body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - started);
          if (cfg.minutes) timeline.push([(started - began) / 1000, performance.now() - started, res.statusCode === 201]);
          statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
          if (res.statusCode !== 201) errors += 1;
          resolve(res.statusCode === 201);
        });
      },
    );
    req.on("error", () => {
      errors += 1;
      if (cfg.minutes) timeline.push([(started - began) / 1000, performance.now() - started, false]);
      resolve(false);
    });
    req.end(cfg.body);
  });
}

// Open loop (cfg.rate): one POST every 1/rate s whatever the answers, each 201's
// arrival time kept in order (the n-th is when the n-th ballot had committed).
const commits = [];
async function paced() {
  const pending = [];
  const interval = 1000 / cfg.rate;
  for (let k = 0; sessions.length; k++) {
    const at = began + k * interval;
    if (at > stopAt) break;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(post(sessions.pop()).then((ok) => {
      if (ok) commits.push(performance.timeOrigin + performance.now());
    }));
  }
  await Promise.all(pending);
}

async function worker() {
  while (performance.now() < stopAt && sessions.length) {
    await post(sessions.pop());
  }
}

const began = performance.now();
if (cfg.rate) await paced();
else await Promise.all(Array.from({ length: cfg.concurrency }, worker));
const elapsed = (performance.now() - began) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : null;
// Per minute of the run (cfg.minutes): requests started in it, their p50 and p99, errors.
const minutes = [];
for (const [at, ms, ok] of timeline) {
  const m = Math.floor(at / 60);
  while (minutes.length <= m) minutes.push({ minute: minutes.length + 1, times: [], errors: 0 });
  minutes[m].times.push(ms);
  if (!ok) minutes[m].errors += 1;
}
for (const m of minutes) {
  m.times.sort((a, b) => a - b);
  const at = (p) => m.times[Math.min(m.times.length - 1, Math.floor(p * m.times.length))];
  Object.assign(m, { n: m.times.length, p50: at(0.5), p99: at(0.99) });
  delete m.times;
}
console.log(JSON.stringify({
  n: latencies.length, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99),
  errors, statuses, commits, seconds: elapsed, minutes,
}));
agent.destroy();
