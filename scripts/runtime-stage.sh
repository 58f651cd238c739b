#!/bin/sh
# Assembles the production tree of the bot from a built one: what the Dockerfile's runtime stage is made of, and
# what test/deploy.test.ts runs in a temporary folder (so the image cannot drift from what is tested).
#   scripts/runtime-stage.sh <built project folder> <target folder>
# The built folder is a checkout after `npm ci` (which builds: dist/ with the compiled server and the NLU models).
# The target gets the files the server reads at run time, node_modules pruned to the production dependencies, and
# nothing else: no TypeScript sources, no tests, no compiler. It is checked with the start-up launcher's own test.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 <built project folder> <target folder>" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
dest=$2
if [ ! -f "$src/dist/src/server/index.js" ] || [ ! -d "$src/dist/models" ] || [ ! -d "$src/node_modules" ]; then
  echo "$src is not built: run \`npm ci\` (or \`npm install\`) there first, it builds dist/ and the models." >&2
  exit 1
fi
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# Read at run time: the package files (npm prune and npm start), the launchers, the compiled server, the NLU
# models, the catalog, the emoji of typed replies, the locale texts and the card templates.
for item in package.json package-lock.json .npmrc scripts/start.cjs scripts/prepare.cjs scripts/healthcheck.cjs \
  dist/src dist/cards dist/dialogs dist/models src/core/knowledge/catalog.json src/core/replies/emoji.json locales \
  cards/templates; do
  mkdir -p "$dest/$(dirname "$item")"
  cp -R "$src/$item" "$dest/$item"
done
cp -R "$src/node_modules" "$dest/node_modules"

cd "$dest"
# Production dependencies only (the lockfile decides what that is); no install scripts run.
npm prune --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=warn
if [ -d node_modules/jest ] || [ -d node_modules/@types/jest ] || [ -d node_modules/eslint ]; then
  echo "runtime-stage: dev dependencies are still in $dest/node_modules after npm prune" >&2
  exit 1
fi
# The tree must load as it is: the launcher finds the build, the entry point and its dependencies resolve.
node -e "require.resolve('./dist/src/server/index.js'); require('./dist/src/bot/config.js')"
echo "runtime-stage: production tree ready in $dest" >&2
