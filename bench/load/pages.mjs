// Anonymous visitors browsing pages, back to back, from one Node process (an event
// loop: a fraction of a core beside the server under test). Each visitor picks the
// next page by weight; every answer's time is kept per kind of page.
//
//   node bench/load/pages.mjs CONFIG.json   with {"port", "pages": [[kind, path,
//                                              weight], ...], "concurrency", "seconds"}
// Prints one JSON line: {"seconds", "kinds": {kind: {"n", "per_s", "p50", "p95",
// "p99", "errors"}}, "all": {...}}.
import http from "node:http";
import { readFileSync } from "node:fs";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.concurrency });
const total = cfg.pages.reduce((sum, p) => sum + p[2], 0);
const times = {};
const errors = {};
const stopAt = performance.now() + cfg.seconds * 1000;

function pick() {
  let r = Math.random() * total;
  for (const page of cfg.pages) {
    r -= page[2];
    if (r <= 0) return page;
  }
  return cfg.pages[cfg.pages.length - 1];
}

function get([kind, path]) {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (ok) => {
      (times[kind] ||= []).push(performance.now() - started);
      if (!ok) errors[kind] = (errors[kind] || 0) + 1;
      resolve();
    };
    const req = http.get(
      { host: "127.0.0.1", port: cfg.port, path, agent, headers: { Accept: "text/html" } },
      (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode === 200));
      },
    );
    req.on("error", () => done(false));
  });
}

async function visitor() {
  while (performance.now() < stopAt) await get(pick());
}

const began = performance.now();
await Promise.all(Array.from({ length: cfg.concurrency }, visitor));
const seconds = (performance.now() - began) / 1000;
const summary = (list, errs) => {
  list.sort((a, b) => a - b);
  const q = (p) => list[Math.min(list.length - 1, Math.floor(p * list.length))];
  return {
    n: list.length, per_s: list.length / seconds, p50: q(0.5), p95: q(0.95),
    p99: q(0.99), errors: errs,
  };
};
const kinds = {};
for (const [kind, list] of Object.entries(times)) kinds[kind] = summary(list, errors[kind] || 0);
const all = summary(Object.values(times).flat(), Object.values(errors).reduce((a, b) => a + b, 0));
console.log(JSON.stringify({ seconds, kinds, all }));
agent.destroy();
