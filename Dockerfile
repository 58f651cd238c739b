# syntax=docker/dockerfile:1
# The bot as a container: `docker build -t intune-enrollment-bot .` then
# `docker run -p 3978:3978 --env-file .env -v bot-state:/data intune-enrollment-bot`. See docs/deploy.md.

# Build stage: the full install (dev dependencies: the TypeScript compiler, the type packages) builds dist/ and
# the NLU models; scripts/runtime-stage.sh then assembles the production tree in /app: the files read at run time
# and node_modules pruned to the production dependencies. test/deploy.test.ts runs that same script.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=warn
COPY . .
RUN npm run build && sh scripts/runtime-stage.sh /src /app

# Runtime stage: Node 22 LTS, production dependencies only, as the image's unprivileged `node` user. The code is
# owned by root and read-only for the bot; the only writable place is the state folder, a volume (with
# STORAGE=blob nothing is written there).
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3978 \
    STORAGE_DIR=/data
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["node", "scripts/healthcheck.cjs"]
CMD ["node", "scripts/start.cjs"]
