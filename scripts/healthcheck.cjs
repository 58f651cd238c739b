#!/usr/bin/env node
// The container's HEALTHCHECK: exit 0 when GET /healthz on this instance answers 200 within 3 s, 1 otherwise.
// (The Node image has no curl; this needs nothing but Node.)
'use strict';
const port = Number(process.env.PORT || 3978);
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) })
  .then((res) => process.exit(res.status === 200 ? 0 : 1))
  .catch(() => process.exit(1));
