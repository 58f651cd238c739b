/**
 * A small Microsoft Graph client on plain fetch: a bearer token from a token credential, a timeout on every
 * request and an overall deadline, 429 Retry-After honoured, @odata.nextLink paging followed.
 */

/** The shape of @azure/identity's TokenCredential that the client needs. */
export interface TokenProvider {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** Why a Graph request failed; the check turns it into an unknown result. */
export class GraphError extends Error {
  constructor(
    readonly kind: 'forbidden' | 'not-found' | 'throttled' | 'timeout' | 'failed',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GraphClientOptions {
  /** Graph's root, e.g. https://graph.microsoft.com (national clouds differ). */
  endpoint: string;
  credential: TokenProvider;
  /** Longest a single request may take. */
  requestTimeoutMs?: number;
  /** Pages followed at most for one collection. */
  maxPages?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class GraphClient {
  private readonly endpoint: string;
  private readonly requestTimeoutMs: number;
  private readonly maxPages: number;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  /** Graph said 429: no request before this time (Retry-After), on any turn. */
  private blockedUntil = 0;
  private token?: { token: string; expiresOnTimestamp: number };
  /** The token request in flight: concurrent requests share it. */
  private pendingToken?: Promise<string>;

  constructor(private readonly options: GraphClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.requestTimeoutMs = options.requestTimeoutMs ?? 2000;
    this.maxPages = options.maxPages ?? 20;
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  /** The token scope for this Graph endpoint: its own .default (the national clouds have their own hosts). */
  get scope(): string {
    return `${this.endpoint}/.default`;
  }

  /** GET one resource. `path` is relative to the endpoint and starts with the version: /v1.0/…, /beta/…. */
  async get<T = Record<string, unknown>>(path: string, deadline: number): Promise<T> {
    return (await this.request(`${this.endpoint}${path}`, deadline)) as T;
  }

  /** GET a collection, following @odata.nextLink until the last page (or maxPages, or the deadline). */
  async getAll<T = Record<string, unknown>>(path: string, deadline: number): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = `${this.endpoint}${path}`;
    for (let page = 0; url && page < this.maxPages; page++) {
      const body = (await this.request(url, deadline)) as { value?: T[]; '@odata.nextLink'?: string };
      items.push(...(Array.isArray(body.value) ? body.value : []));
      url = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
      // A next link must stay on this Graph endpoint: the token is never sent anywhere else.
      if (url && !url.startsWith(`${this.endpoint}/`)) throw new GraphError('failed', 'nextLink outside the Graph endpoint');
    }
    if (url) throw new GraphError('failed', `more than ${this.maxPages} pages`);
    return items;
  }

  private async bearer(): Promise<string> {
    if (this.token && this.token.expiresOnTimestamp - 60_000 > Date.now()) return this.token.token;
    this.pendingToken ??= this.options.credential
      .getToken(this.scope)
      .then((t) => {
        if (!t) throw new GraphError('failed', 'no token');
        this.token = t;
        return t.token;
      })
      .finally(() => (this.pendingToken = undefined));
    return this.pendingToken;
  }

  private async request(url: string, deadline: number, retried = false): Promise<unknown> {
    if (this.now() < this.blockedUntil) throw new GraphError('throttled', 'Graph asked to wait (Retry-After)', 429);
    const left = deadline - this.now();
    if (left <= 0) throw new GraphError('timeout', 'no time left');
    const signal = AbortSignal.timeout(Math.min(left, this.requestTimeoutMs));
    let res: Response;
    try {
      const token = await withSignal(this.bearer(), signal);
      res = await this.fetchFn(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal });
    } catch (err) {
      if (err instanceof GraphError) throw err;
      if (signal.aborted) throw new GraphError('timeout', `timed out: ${pathOf(url)}`);
      throw new GraphError('failed', (err as Error).message);
    }
    if (res.status === 429 || res.status === 503) {
      const wait = retryAfterMs(res.headers.get('retry-after'));
      await res.body?.cancel().catch(() => undefined);
      this.blockedUntil = Math.max(this.blockedUntil, this.now() + wait);
      // Wait and try once more only if the wait fits in what is left of the turn's budget.
      if (!retried && this.now() + wait < deadline - 50) {
        await new Promise((r) => setTimeout(r, wait));
        return this.request(url, deadline, true);
      }
      throw new GraphError('throttled', `throttled for ${wait} ms: ${pathOf(url)}`, res.status);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      const kind = res.status === 403 || res.status === 401 ? 'forbidden' : res.status === 404 ? 'not-found' : 'failed';
      throw new GraphError(kind, `${res.status} ${pathOf(url)}`, res.status);
    }
    try {
      return await withSignal(res.json(), signal);
    } catch (err) {
      if (signal.aborted) throw new GraphError('timeout', `timed out: ${pathOf(url)}`);
      throw new GraphError('failed', (err as Error).message);
    }
  }
}

/** Retry-After in seconds or as an HTTP date; 1 s when missing or unreadable; at most 10 minutes. */
export function retryAfterMs(value: string | null, now = Date.now()): number {
  if (value) {
    const secs = Number(value);
    if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, 600_000);
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.min(Math.max(0, date - now), 600_000);
  }
  return 1000;
}

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

function withSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(new GraphError('timeout', 'timed out'));
    const onAbort = (): void => reject(new GraphError('timeout', 'timed out'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
