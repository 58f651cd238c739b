import {
  CheckId,
  CheckResult,
  EvidenceRequest,
  EvidenceSet,
  EvidenceSource,
  runWithinBudget,
  unknownResult,
} from '../../core/diagnostics/evidence';
import { CHECK_PERMISSIONS, CHECKS, CheckContext, mdmAuthority } from './checks';
import { GraphClient, GraphError, TokenProvider } from './client';

export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface GraphEvidenceOptions {
  endpoint: string;
  /** The token credential for a tenant (the bot's app registration, or its managed identity). */
  credentialFor: (tenantId: string | undefined) => TokenProvider | undefined;
  log: Log;
  /** The most a turn waits on Graph, all checks together. */
  budgetMs?: number;
  requestTimeoutMs?: number;
  /** How long per-user results and tenant-wide facts are kept. */
  userTtlMs?: number;
  tenantTtlMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const MAX_CACHE = 5000;

/** A small time-limited cache of promises: concurrent turns share one request; failures are not kept. */
class TtlCache {
  private readonly entries = new Map<string, { until: number; value: Promise<unknown> }>();
  constructor(private readonly now: () => number) {}

  get<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.value as Promise<T>;
    const value = load();
    if (this.entries.size >= MAX_CACHE) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { until: this.now() + ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}

/**
 * Evidence from Microsoft Graph with application permissions. Checks run side by side within the turn's budget;
 * what doesn't answer in time, or is refused, is an unknown result for that check only. A missing permission is
 * logged (naming it) and never said to the employee.
 */
export class GraphEvidence implements EvidenceSource {
  readonly name = 'graph';
  private readonly clients = new Map<string, GraphClient>();
  private readonly cache: TtlCache;
  private readonly now: () => number;
  private readonly budgetMs: number;
  private readonly userTtlMs: number;
  private readonly tenantTtlMs: number;

  constructor(private readonly options: GraphEvidenceOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new TtlCache(this.now);
    this.budgetMs = options.budgetMs ?? 3000;
    this.userTtlMs = options.userTtlMs ?? 5 * 60_000;
    this.tenantTtlMs = options.tenantTtlMs ?? 10 * 60_000;
  }

  async collect(request: EvidenceRequest): Promise<EvidenceSet> {
    const started = this.now();
    const tenant = request.user.tenantId ?? '';
    const client = this.client(request.user.tenantId);
    const collectedAt = new Date(started).toISOString();
    if (!client || !request.user.aadObjectId) {
      const checks = request.checks.map((c) => unknownResult(c, 'not-available', new Date(started)));
      return { collectedAt, source: this.name, checks, facts: {} };
    }
    const ctx = {
      ...this.context(client, tenant, request.user.aadObjectId, started),
      ...(request.serial ? { serial: request.serial } : {}),
    };
    const deadline = ctx.deadline;
    let authority: EvidenceSet['facts']['mdmAuthority'];
    const [checks] = await Promise.all([
      runWithinBudget(
        request.checks,
        (check) => this.run(check, ctx),
        this.budgetMs - 50,
        () => new Date(this.now()),
      ),
      // The MDM authority only saves a question: best effort within the same budget, never logged as a problem.
      Promise.race([
        (tenant ? mdmAuthority(ctx, tenant) : Promise.reject(new Error('no tenant'))).then(
          (a) => (authority = a),
          () => undefined,
        ),
        new Promise((r) => setTimeout(r, Math.max(0, deadline - this.now())).unref()),
      ]),
    ]);
    const devices = checks.find((c) => c.check === 'device-limit')?.seen.devices;
    const facts: EvidenceSet['facts'] = {};
    if (authority) facts.mdmAuthority = authority;
    if (typeof devices === 'number') facts.enrolledDevices = devices;
    this.options.log('info', 'graph evidence', {
      ms: this.now() - started,
      checks: Object.fromEntries(checks.map((c) => [c.check, c.reason ? `${c.status}:${c.reason}` : c.status])),
    });
    return { collectedAt, source: this.name, checks, facts };
  }

  /**
   * The tenant-wide checks alone (the Apple MDM push certificate, the ADE tokens), for the periodic incident
   * sweep: the same cache, budget and error handling as a turn's.
   */
  async tenantChecks(tenantId: string): Promise<CheckResult[]> {
    const started = this.now();
    const checks: CheckId[] = ['apns-certificate', 'ade-token'];
    const client = this.client(tenantId);
    if (!client) return checks.map((c) => unknownResult(c, 'not-available', new Date(started)));
    const ctx = this.context(client, tenantId, '', started);
    return runWithinBudget(
      checks,
      (check) => this.run(check, ctx),
      this.budgetMs - 50,
      () => new Date(this.now()),
    );
  }

  private context(client: GraphClient, tenant: string, userId: string, started: number): CheckContext {
    return {
      client,
      deadline: started + this.budgetMs - 50,
      userId,
      now: new Date(started),
      tenant: (key, load) => this.cache.get(`t/${tenant}/${key}`, this.tenantTtlMs, load),
      user: (key, load) =>
        userId ? this.cache.get(`u/${tenant}/${userId}/${key}`, this.userTtlMs, load) : Promise.reject(new Error('no user')),
    };
  }

  private async run(check: CheckId, ctx: CheckContext): Promise<CheckResult> {
    try {
      return await CHECKS[check](ctx);
    } catch (err) {
      const kind = err instanceof GraphError ? err.kind : 'failed';
      if (kind === 'forbidden') {
        const permission = CHECK_PERMISSIONS[check];
        this.options.log('warn', 'graph evidence: permission missing, check skipped', { check, permission, error: (err as Error).message });
        return unknownResult(check, 'no-permission', ctx.now, { permission });
      }
      if (kind !== 'timeout') this.options.log('warn', 'graph evidence: check failed', { check, error: (err as Error).message });
      return unknownResult(
        check,
        kind === 'timeout' ? 'timeout' : kind === 'throttled' ? 'throttled' : kind === 'not-found' ? 'not-available' : 'error',
        ctx.now,
      );
    }
  }

  private client(tenantId: string | undefined): GraphClient | undefined {
    const key = tenantId ?? '';
    let client = this.clients.get(key);
    if (!client) {
      const credential = this.options.credentialFor(tenantId);
      if (!credential) return undefined;
      client = new GraphClient({
        endpoint: this.options.endpoint,
        credential,
        requestTimeoutMs: this.options.requestTimeoutMs ?? 2000,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        now: this.now,
      });
      this.clients.set(key, client);
    }
    return client;
  }
}
