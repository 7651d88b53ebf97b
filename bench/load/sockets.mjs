// N WebSocket clients of a cycle's live results, from one Node process (the `ws`
// package), spread over the given server ports, all connecting at once (a burst).
//
//   node bench/load/sockets.mjs CONFIG.json
//   CONFIG: {"ports": [p1, p2], "path": "/ws/cycles/1/results/", "clients": 1000,
//            "final_file": "...", "deadline": seconds}
// Prints one JSON line: {"opened", "failed", "connect_s", "messages": [[client, epoch
// ms, cast], ...], "finals": [last cast seen per client]}. Stops when every client has
// seen the count written to final_file (by the caster, when it is done), or at the
// deadline.
import { readFileSync, existsSync, writeFileSync } from "node:fs";
import WebSocket from "ws";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const now = () => performance.timeOrigin + performance.now();
const messages = [];
const finals = new Array(cfg.clients).fill(0);
const sockets = [];
let opened = 0;
let failed = 0;
let settled = 0;
const began = now();
let connectedAt = null;

await new Promise((allSettled) => {
  for (let i = 0; i < cfg.clients; i++) {
    const port = cfg.ports[i % cfg.ports.length];
    const ws = new WebSocket(`ws://127.0.0.1:${port}${cfg.path}`, {
      origin: `http://127.0.0.1:${port}`,
      handshakeTimeout: 30000,
    });
    sockets.push(ws);
    let done = false;
    const settle = (ok) => {
      if (done) return;
      done = true;
      if (ok) opened += 1;
      else failed += 1;
      settled += 1;
      if (settled === cfg.clients) {
        connectedAt = now();
        allSettled();
      }
    };
    ws.on("open", () => settle(true));
    ws.on("error", () => settle(false));
    ws.on("unexpected-response", () => settle(false));
    ws.on("message", (data) => {
      const msg = JSON.parse(data);
      const cast = msg.data?.turnout?.cast;
      if (cast === undefined) return;
      messages.push([i, now(), cast, msg.type]);
      if (cast > finals[i]) finals[i] = cast;
    });
  }
});

writeFileSync(cfg.ready_file, String(opened));
const deadline = began + cfg.deadline * 1000;
let final = null;
while (now() < deadline) {
  if (final === null && existsSync(cfg.final_file)) {
    final = Number(readFileSync(cfg.final_file, "utf8"));
  }
  if (final !== null && finals.every((f, i) => f >= final || sockets[i].readyState !== 1)) break;
  await new Promise((r) => setTimeout(r, 100));
}
for (const ws of sockets) ws.terminate();
console.log(JSON.stringify({
  opened, failed, connect_s: (connectedAt - began) / 1000, final, messages, finals,
}));
