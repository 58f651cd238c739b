#!/usr/bin/env node
// `prepare` (run by `npm install` and `npm ci`): builds the TypeScript and the NLU models. When the dev dependencies
// are absent (`npm ci --omit=dev`, `npm prune --omit=dev`) there is no compiler: the build is skipped, not failed,
// and whatever dist/ is there is kept as it is.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: it runs before (or without) the TypeScript build */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
// Every dev dependency, not just the compiler: typescript itself is also installed as a peer of a production
// dependency, and the build needs the type packages (@types/jest…) that only the dev install brings.
const devDependencies = Object.keys(require(path.join(root, 'package.json')).devDependencies || {});
const missing = devDependencies.filter((name) => !fs.existsSync(path.join(root, 'node_modules', name, 'package.json')));
if (missing.length) {
  const built = fs.existsSync(path.join(root, 'dist', 'src', 'server', 'index.js'));
  process.stderr.write(
    `prepare: dev dependencies not installed (${missing.slice(0, 3).join(', ')}…), build skipped (${built ? 'the existing dist/ is used' : 'no dist/ yet: install with dev dependencies to build'}).\n`,
  );
  process.exit(0);
}
const npm = process.env.npm_execpath;
const result = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
