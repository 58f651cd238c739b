#!/usr/bin/env node
// Measures the start-up target: from spawning `node scripts/start.cjs` (what `npm start` and the container run) to
// the first 200 from GET /healthz, median of several starts, memory storage. Exit 1 above the target.
//   node scripts/startup-time.cjs [project folder, default this one] [starts, default 5]
// Use it on a production tree too: `sh scripts/runtime-stage.sh . /tmp/bot && node scripts/startup-time.cjs /tmp/bot`.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, like the launcher it measures */
const { spawn } = require('child_process');
const net = require('net');
const path = require('path');

const TARGET_MS = 3000;
const folder = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const starts = Number(process.argv[3] || 5);

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function once() {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['scripts/start.cjs'], {
    cwd: folder,
    env: { PATH: process.env.PATH, PORT: String(port), STORAGE: 'memory', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error('the bot exited before answering /healthz');
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (res && res.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    if (!exited) await new Promise((r) => child.once('exit', r));
  }
}

(async () => {
  const times = [];
  for (let i = 0; i < starts; i++) times.push(await once());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  process.stdout.write(
    `spawn → /healthz 200 in ${folder}: median ${median.toFixed(0)} ms over ${starts} starts (${times.map((t) => t.toFixed(0)).join(', ')}); target ${TARGET_MS} ms: ${median <= TARGET_MS ? 'met' : 'NOT met'}\n`,
  );
  process.exit(median <= TARGET_MS ? 0 : 1);
})().catch((err) => {
  process.stderr.write(`startup-time: ${err.message}\n`);
  process.exit(1);
});
