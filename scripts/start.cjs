#!/usr/bin/env node
// `npm start`: runs the built server (dist/), never compiles or trains. Plain JavaScript so that it can say what
// to run when there is no build yet (the TypeScript entry point does not exist before `npm run build`).
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: it runs before (or without) the TypeScript build */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const server = path.join(root, 'dist', 'src', 'server', 'index.js');
const locales = fs.existsSync(path.join(root, 'locales'))
  ? fs.readdirSync(path.join(root, 'locales')).filter((l) => fs.statSync(path.join(root, 'locales', l)).isDirectory())
  : [];
const missing = [server, ...locales.map((l) => path.join(root, 'dist', 'models', `nlu-${l}.json`))].filter((f) => !fs.existsSync(f));

if (missing.length) {
  process.stderr.write(
    `No build found (missing ${missing.map((f) => path.relative(root, f)).join(', ')}).\n` +
      'Run `npm run build` first (it needs the dev dependencies: `npm install` installs them and builds), ' +
      'or `npm run dev` to build and start.\n',
  );
  process.exit(1);
}
// Node 22+: keep V8's compiled code of the server and its dependencies between starts (in the temporary folder, since
// the app folder may be read-only). Node 20 has no such cache and starts as before.
const nodeModule = require('module');
if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache(path.join(require('os').tmpdir(), 'intune-ios-enrollment-bot-compile-cache'));
require(server);
