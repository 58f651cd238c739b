import * as http from 'http';
import { AddressInfo } from 'net';
import { TokenProvider } from '../../src/bot/graph/client';

/** One user of the fake tenant, in Graph's documented shapes. */
export interface FakeUser {
  assignedPlans: { assignedDateTime?: string; capabilityStatus: string; service: string; servicePlanId: string }[];
  managedDevices: { id: string; operatingSystem: string }[];
  groups: string[];
}

/** What route() answers for a request Graph would refuse as malformed (400). */
const BAD_REQUEST = Symbol('bad request');

export const INTUNE_A = 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5';
export const EXCHANGE = 'efb87545-963c-4e0d-99df-69c6916d9eb0';

export const licensedUser = (): FakeUser => ({
  assignedPlans: [
    { assignedDateTime: '2024-01-01T00:00:00Z', capabilityStatus: 'Enabled', service: 'exchange', servicePlanId: EXCHANGE },
    { assignedDateTime: '2024-01-01T00:00:00Z', capabilityStatus: 'Enabled', service: 'SCO', servicePlanId: INTUNE_A },
  ],
  managedDevices: [],
  groups: [],
});

export const unlicensedUser = (): FakeUser => ({
  assignedPlans: [{ capabilityStatus: 'Enabled', service: 'exchange', servicePlanId: EXCHANGE }],
  managedDevices: [],
  groups: [],
});

/**
 * A fake Microsoft Graph and Microsoft Entra token endpoint on loopback, answering with the shapes of the Graph
 * documentation (v1.0 and beta). Every Graph request must carry a token it issued through client credentials.
 */
export class FakeGraph {
  readonly users = new Map<string, FakeUser>();
  configurations: Record<string, unknown>[] = [
    {
      '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration',
      id: 'tenant_DefaultLimit',
      displayName: 'All users and all devices',
      priority: 0,
      limit: 15,
      assignments: [{ id: 'a1', target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } }],
    },
    {
      '@odata.type': '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration',
      id: 'tenant_DefaultPlatformRestrictions',
      displayName: 'All users',
      priority: 0,
      iosRestriction: { platformBlocked: false, personalDeviceEnrollmentBlocked: false, osMinimumVersion: null, osMaximumVersion: null },
      assignments: [{ id: 'a2', target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } }],
    },
  ];
  /** The tenant's managed devices (GET /deviceManagement/managedDevices), as the managedDevice resource shows them. */
  devices: {
    id: string;
    userId: string;
    serialNumber: string;
    operatingSystem: string;
    enrolledDateTime: string;
    lastSyncDateTime: string;
  }[] = [];
  apns: { expirationDateTime: string } | undefined = { expirationDateTime: '2099-01-01T00:00:00Z' };
  depTokens: Record<string, unknown>[] = [];
  mdmAuthority = 'intune';
  /** A team channel's root messages, as Graph's chatMessage (team = its group id); none by default. */
  channelMessages: (team: string, channel: string) => Record<string, unknown>[] = () => [];
  /** Items per page of every collection (paging with @odata.nextLink). */
  pageSize = 100;
  /** Request paths (no query) answered 403, as Graph does without the permission. */
  readonly forbidden = new Set<string>();
  /** The next `count` Graph requests (to `path` only, if given) get 429 with this Retry-After (seconds). */
  throttle?: { count: number; retryAfter: number; path?: string };
  /** Every Graph request is answered after this delay. */
  delayMs = 0;
  /** Paths (no query) that never answer (a hung request). */
  readonly hang = new Set<string>();
  /** Every Graph request received: method, path with query, and when. */
  readonly requests: { path: string; at: number }[] = [];
  readonly tokenRequests: Record<string, string>[] = [];
  readonly clientId = 'bot-app-id';
  readonly clientSecret = 'bot-secret';
  private readonly issued = new Set<string>();
  private server?: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => void this.handle(req, res, body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  graphRequests(prefix = ''): string[] {
    return this.requests.map((r) => r.path).filter((p) => p.startsWith(prefix));
  }

  /** A client-credentials token provider against this fake's token endpoint (what ClientSecretCredential does). */
  credential(tenant: string, secret = this.clientSecret): TokenProvider {
    return {
      getToken: async (scopes) => {
        const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
        const res = await fetch(`${this.url}/${tenant}/oauth2/v2.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: this.clientId,
            client_secret: secret,
            scope,
          }).toString(),
        });
        if (!res.ok) throw new Error(`token endpoint: ${res.status}`);
        const t = (await res.json()) as { access_token: string; expires_in: number };
        return { token: t.access_token, expiresOnTimestamp: Date.now() + t.expires_in * 1000 };
      },
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
      if (res.writableEnded) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    const token = url.pathname.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/);
    if (token && req.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(body));
      this.tokenRequests.push(form);
      if (form.grant_type !== 'client_credentials' || form.client_id !== this.clientId || form.client_secret !== this.clientSecret)
        return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      if (form.scope !== `${this.url}/.default`) return json(400, { error: 'invalid_scope' });
      const access = `token-${this.issued.size + 1}`;
      this.issued.add(access);
      return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: access });
    }
    this.requests.push({ path: `${url.pathname}${url.search}`, at: Date.now() });
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.issued.has(bearer))
      return json(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
    if (this.hang.has(url.pathname)) return; // never answers
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.throttle && this.throttle.count > 0 && (!this.throttle.path || this.throttle.path === url.pathname)) {
      this.throttle.count--;
      return json(
        429,
        { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
        { 'retry-after': String(this.throttle.retryAfter) },
      );
    }
    if (this.forbidden.has(url.pathname))
      return json(403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
    const answer = this.route(url);
    if (answer === BAD_REQUEST) return json(400, { error: { code: 'BadRequest', message: 'Invalid filter clause' } });
    if (answer === undefined) return json(404, { error: { code: 'ResourceNotFound', message: 'Resource not found.' } });
    json(200, answer);
  }

  /** A collection page: `value` and, when more remain, an @odata.nextLink with $skiptoken (as Graph pages). */
  private page(url: URL, items: unknown[]): unknown {
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const value = items.slice(skip, skip + this.pageSize);
    const out: Record<string, unknown> = { '@odata.context': `${this.url}${url.pathname}`, value };
    if (skip + this.pageSize < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', String(skip + this.pageSize));
      out['@odata.nextLink'] = next.toString();
    }
    return out;
  }

  private route(url: URL): unknown {
    const p = url.pathname;
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^\/v1\.0\/users\/([^/]+)$/))) {
      const user = this.users.get(decodeURIComponent(m[1]!));
      return user ? { id: m[1], assignedPlans: user.assignedPlans } : undefined;
    }
    if ((m = p.match(/^\/v1\.0\/users\/([^/]+)\/managedDevices$/))) {
      const user = this.users.get(decodeURIComponent(m[1]!));
      return user
        ? this.page(
            url,
            user.managedDevices.map((d) => ({ '@odata.type': '#microsoft.graph.managedDevice', ...d })),
          )
        : undefined;
    }
    if ((m = p.match(/^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/))) {
      const user = this.users.get(decodeURIComponent(m[1]!));
      return user
        ? this.page(
            url,
            user.groups.map((id) => ({ '@odata.type': '#microsoft.graph.group', id })),
          )
        : undefined;
    }
    if ((m = p.match(/^\/v1\.0\/teams\/([^/]+)\/channels\/([^/]+)\/messages\/delta$/))) {
      // Only the documented filter: lastModifiedDateTime gt <time>.
      const filter = /^lastModifiedDateTime gt (\S+)$/.exec(url.searchParams.get('$filter') ?? '');
      const since = filter ? Date.parse(filter[1]!) : 0;
      const messages = this.channelMessages(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)).filter(
        (msg) => Date.parse(String(msg.lastModifiedDateTime)) > since,
      );
      return this.page(url, messages);
    }
    if (p === '/v1.0/deviceManagement/deviceEnrollmentConfigurations') return this.page(url, this.configurations);
    if (p === '/v1.0/deviceManagement/managedDevices') {
      // Only the filter the bot uses; Graph compares the value as given.
      const filter = /^serialNumber eq '([^']*)'$/.exec(url.searchParams.get('$filter') ?? '');
      if (!filter) return BAD_REQUEST;
      return this.page(
        url,
        this.devices.filter((d) => d.serialNumber === filter[1]).map((d) => ({ '@odata.type': '#microsoft.graph.managedDevice', ...d })),
      );
    }
    if (p === '/v1.0/deviceManagement/applePushNotificationCertificate') {
      if (!this.apns) return undefined;
      // As the documentation's example shows it: the object inside "value".
      return {
        value: {
          '@odata.type': '#microsoft.graph.applePushNotificationCertificate',
          id: 'c4c8f047-f047-c4c8-47f0-c8c447f0c8c4',
          appleIdentifier: 'mdm@contoso.com',
          topicIdentifier: 'com.apple.mgmt.External.0000',
          lastModifiedDateTime: '2024-01-01T00:00:00Z',
          certificateUploadStatus: 'success',
          ...this.apns,
        },
      };
    }
    if (p === '/beta/deviceManagement/depOnboardingSettings')
      return this.page(
        url,
        this.depTokens.map((t) => ({ '@odata.type': '#microsoft.graph.depOnboardingSetting', ...t })),
      );
    if ((m = p.match(/^\/v1\.0\/organization\/([^/]+)$/)))
      return { value: { '@odata.type': '#microsoft.graph.organization', id: m[1], mobileDeviceManagementAuthority: this.mdmAuthority } };
    return undefined;
  }
}
