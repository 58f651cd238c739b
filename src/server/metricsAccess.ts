import { createHash, timingSafeEqual } from 'crypto';

/** What GET /metrics answers a request: the metrics, 404 (off), or 401 (token missing or wrong). */
export type MetricsAccess = 'allowed' | 'off' | 'unauthorized';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * /metrics shares the public port with /api/messages. With METRICS_TOKEN set it needs
 * `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time); in production without a token it is off;
 * locally without a token it is open.
 */
export function metricsAccess(options: { production: boolean; metricsToken?: string }, authorization: string | undefined): MetricsAccess {
  if (!options.metricsToken) return options.production ? 'off' : 'allowed';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m || !timingSafeEqual(digest(m[1] ?? ''), digest(options.metricsToken))) return 'unauthorized';
  return 'allowed';
}
