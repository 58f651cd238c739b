import { ConfigError, readConfig } from '../src/bot/config';
import { GraphEvidence } from '../src/bot/graph';
import { CheckId, CheckResult, EvidenceSet } from '../src/core/diagnostics/evidence';
import { newRecord } from '../src/core/diagnostics/record';
import { SymptomId } from '../src/core/knowledge/catalog';
import { FakeGraph, FakeUser, INTUNE_A, licensedUser, unlicensedUser } from './helpers/graph';

const TENANT = 'contoso-tenant';
let graph: FakeGraph;
let logs: { level: string; msg: string; fields?: Record<string, unknown> }[];

beforeEach(async () => {
  graph = new FakeGraph();
  await graph.start();
  logs = [];
});
afterEach(() => graph.stop());

function provider(options: Partial<ConstructorParameters<typeof GraphEvidence>[0]> = {}): GraphEvidence {
  return new GraphEvidence({
    endpoint: graph.url,
    credentialFor: (tenant) => (tenant ? graph.credential(tenant) : undefined),
    log: (level, msg, fields) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
    ...options,
  });
}

async function collect(
  p: GraphEvidence,
  user: string,
  checks: CheckId[],
  symptom: SymptomId = 'license-type-invalid',
): Promise<EvidenceSet> {
  return p.collect({ symptom, record: newRecord('user', 'en'), user: { aadObjectId: user, tenantId: TENANT }, checks });
}

const only = (set: EvidenceSet, check: CheckId): CheckResult => set.checks.find((c) => c.check === check)!;

describe('Graph evidence: the checks', () => {
  it('license: no Intune service plan confirms the cause; an enabled INTUNE_A rules it out', async () => {
    graph.users.set('u-none', unlicensedUser());
    graph.users.set('u-ok', licensedUser());
    const p = provider();
    const none = only(await collect(p, 'u-none', ['license']), 'license');
    expect(none).toMatchObject({ status: 'confirmed', seen: { plan: null } });
    expect(Date.parse(none.at)).not.toBeNaN();
    expect(only(await collect(p, 'u-ok', ['license']), 'license')).toMatchObject({
      status: 'ruled-out',
      seen: { plan: 'INTUNE_A', capabilityStatus: 'Enabled' },
    });
    // The documented application route: the user's assignedPlans (licenseDetails has no application permission).
    expect(graph.graphRequests('/v1.0/users/u-none')).toEqual(['/v1.0/users/u-none?$select=id,assignedPlans']);
    // Client credentials, scoped to this Graph endpoint (national clouds have their own).
    expect(graph.tokenRequests[0]).toMatchObject({
      grant_type: 'client_credentials',
      client_id: graph.clientId,
      scope: `${graph.url}/.default`,
    });
  });

  it('license: a suspended Intune plan confirms the cause and says so', async () => {
    graph.users.set('u', {
      ...unlicensedUser(),
      assignedPlans: [{ capabilityStatus: 'Suspended', service: 'SCO', servicePlanId: INTUNE_A }],
    });
    expect(only(await collect(provider(), 'u', ['license']), 'license')).toMatchObject({
      status: 'confirmed',
      seen: { plan: 'INTUNE_A', capabilityStatus: 'Suspended' },
    });
  });

  it('license: the other plans that license Intune (education, small business, government, volume) rule it out; an add-on or Basic Mobility alone does not', async () => {
    const withPlan = (servicePlanId: string, service = 'SCO'): FakeUser => ({
      ...unlicensedUser(),
      assignedPlans: [{ capabilityStatus: 'Enabled', service, servicePlanId }],
    });
    const p = provider();
    for (const [id, name] of [
      ['da24caf9-af8e-485c-b7c8-e73336da2693', 'INTUNE_EDU'],
      ['8e9ff0ff-aa7a-4b20-83c1-2f636b600ac2', 'INTUNE_SMBIZ'],
      ['d216f254-796f-4dab-bbfa-710686e646b9', 'INTUNE_A_GOV'],
      ['3e170737-c728-4eae-bbb9-3f3360f7184c', 'INTUNE_A_VL'],
    ]) {
      // Listed by id, whatever service name Graph gives the plan.
      graph.users.set(name, withPlan(id, 'other'));
      expect(only(await collect(p, name, ['license']), 'license')).toMatchObject({ status: 'ruled-out', seen: { plan: name } });
    }
    for (const [user, id] of [
      ['plan2-only', 'd9923fe3-a2de-4d29-a5be-e3e83bb786be'],
      ['mdm-for-o365-only', '882e1d05-acd1-4ccb-8708-6ee03664b117'],
    ]) {
      graph.users.set(user, withPlan(id!));
      expect(only(await collect(p, user, ['license']), 'license').status).toBe('confirmed');
    }
  });

  it('device limit: the user at the default limit confirms it; paging is followed to count every device', async () => {
    graph.pageSize = 4;
    graph.users.set('u', {
      ...licensedUser(),
      managedDevices: Array.from({ length: 15 }, (_, i) => ({ id: `d${i}`, operatingSystem: 'iOS' })),
    });
    const set = await collect(provider(), 'u', ['device-limit'], 'device-cap-reached');
    expect(only(set, 'device-limit')).toMatchObject({ status: 'confirmed', seen: { devices: 15, limit: 15 } });
    expect(set.facts.enrolledDevices).toBe(15);
    expect(graph.graphRequests('/v1.0/users/u/managedDevices').length).toBe(4);
  });

  it('device limit: a higher limit assigned to one of the user’s groups (better priority) rules it out', async () => {
    graph.configurations.push({
      '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration',
      id: 'sales-limit',
      displayName: 'Sales: 20 devices',
      priority: 1,
      limit: 20,
      assignments: [{ id: 'a', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g-sales' } }],
    });
    const devices = Array.from({ length: 16 }, (_, i) => ({ id: `d${i}`, operatingSystem: 'iOS' }));
    graph.users.set('sales', { ...licensedUser(), managedDevices: devices, groups: ['g-sales'] });
    graph.users.set('other', { ...licensedUser(), managedDevices: devices, groups: ['g-other'] });
    const p = provider();
    expect(only(await collect(p, 'sales', ['device-limit'], 'device-cap-reached'), 'device-limit')).toMatchObject({
      status: 'ruled-out',
      seen: { devices: 16, limit: 20, configuration: 'Sales: 20 devices' },
    });
    expect(only(await collect(p, 'other', ['device-limit'], 'device-cap-reached'), 'device-limit')).toMatchObject({
      status: 'confirmed',
      seen: { devices: 16, limit: 15 },
    });
  });

  it('APNs certificate: expired or missing confirms it, valid rules it out', async () => {
    graph.users.set('u', licensedUser());
    graph.apns = { expirationDateTime: '2020-05-01T00:00:00Z' };
    expect(only(await collect(provider(), 'u', ['apns-certificate'], 'noenrollmentpolicy'), 'apns-certificate')).toMatchObject({
      status: 'confirmed',
      seen: { expirationDateTime: '2020-05-01T00:00:00.000Z' },
    });
    graph.apns = undefined;
    expect(only(await collect(provider(), 'u', ['apns-certificate'], 'noenrollmentpolicy'), 'apns-certificate')).toMatchObject({
      status: 'confirmed',
      seen: { certificate: 'missing' },
    });
    graph.apns = { expirationDateTime: '2099-05-01T00:00:00Z' };
    expect(only(await collect(provider(), 'u', ['apns-certificate'], 'noenrollmentpolicy'), 'apns-certificate').status).toBe('ruled-out');
  });

  it('personal devices: the iOS restriction blocking personal devices confirms corporate-only', async () => {
    graph.users.set('u', licensedUser());
    (graph.configurations[1] as { iosRestriction: Record<string, unknown> }).iosRestriction.personalDeviceEnrollmentBlocked = true;
    expect(only(await collect(provider(), 'u', ['personal-devices'], 'server-connection-failed'), 'personal-devices')).toMatchObject({
      status: 'confirmed',
      seen: { personalDeviceEnrollmentBlocked: true },
    });
  });

  it('ADE token (beta): an expired token or a failed last sync confirms a token problem', async () => {
    graph.users.set('u', licensedUser());
    graph.depTokens = [
      {
        id: 't1',
        tokenName: 'Main',
        tokenExpirationDateTime: '2099-01-01T00:00:00Z',
        lastSuccessfulSyncDateTime: '2026-01-01T00:00:00Z',
        lastSyncErrorCode: 0,
      },
    ];
    expect(only(await collect(provider(), 'u', ['ade-token'], 'ade-enrollment-doesnt-start'), 'ade-token').status).toBe('ruled-out');
    graph.depTokens.push({ id: 't2', tokenName: 'Old', tokenExpirationDateTime: '2021-01-01T00:00:00Z', lastSyncErrorCode: 0 });
    expect(only(await collect(provider(), 'u', ['ade-token'], 'ade-enrollment-doesnt-start'), 'ade-token')).toMatchObject({
      status: 'confirmed',
      seen: { tokenName: 'Old', tokenExpirationDateTime: '2021-01-01T00:00:00Z' },
    });
    expect(graph.graphRequests('/beta/deviceManagement/depOnboardingSettings').length).toBeGreaterThan(0);
  });

  it('the MDM authority is answered as a prerequisite fact', async () => {
    graph.users.set('u', licensedUser());
    graph.mdmAuthority = 'sccm';
    expect((await collect(provider(), 'u', ['license'])).facts.mdmAuthority).toBe('configmgr');
  });
});

describe('Graph evidence: failures cost only their check', () => {
  it('403 (missing permission): that check is unknown, the log names the permission, the others still answer', async () => {
    graph.users.set('u', unlicensedUser());
    graph.forbidden.add('/v1.0/users/u/managedDevices');
    const set = await collect(provider(), 'u', ['license', 'device-limit']);
    expect(only(set, 'license').status).toBe('confirmed');
    expect(only(set, 'device-limit')).toMatchObject({ status: 'unknown', reason: 'no-permission' });
    expect(only(set, 'device-limit').permission).toContain('DeviceManagementManagedDevices.Read.All');
    const line = logs.find((l) => l.msg.includes('permission missing'));
    expect(line?.level).toBe('warn');
    expect(String(line?.fields?.permission)).toContain('DeviceManagementManagedDevices.Read.All');
  });

  it('429 with Retry-After that fits the budget: waits as asked, then answers', async () => {
    graph.users.set('u', unlicensedUser());
    graph.throttle = { count: 1, retryAfter: 1, path: '/v1.0/users/u' };
    const set = await collect(provider(), 'u', ['license']);
    expect(only(set, 'license').status).toBe('confirmed');
    const tries = graph.requests.filter((r) => r.path.startsWith('/v1.0/users/u?'));
    expect(tries.length).toBe(2);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('429 with a Retry-After longer than the budget: unknown (throttled), and no request to Graph until it has passed', async () => {
    graph.users.set('u', unlicensedUser());
    graph.users.set('v', unlicensedUser());
    graph.throttle = { count: 1, retryAfter: 120, path: '/v1.0/users/u' };
    let clock = Date.now();
    const p = provider({ now: () => clock });
    expect(only(await collect(p, 'u', ['license']), 'license')).toMatchObject({ status: 'unknown', reason: 'throttled' });
    const before = graph.requests.length;
    clock += 60_000;
    expect(only(await collect(p, 'v', ['license']), 'license')).toMatchObject({ status: 'unknown', reason: 'throttled' });
    expect(graph.requests.length).toBe(before);
    clock += 61_000;
    expect(only(await collect(p, 'v', ['license']), 'license').status).toBe('confirmed');
  });

  it('a request that never answers: its check is unknown (timeout); the turn goes on with the rest', async () => {
    graph.users.set('u', unlicensedUser());
    graph.hang.add('/v1.0/deviceManagement/applePushNotificationCertificate');
    const set = await collect(provider({ budgetMs: 600, requestTimeoutMs: 300 }), 'u', ['license', 'apns-certificate']);
    expect(only(set, 'license').status).toBe('confirmed');
    expect(only(set, 'apns-certificate')).toMatchObject({ status: 'unknown', reason: 'timeout' });
  });

  it('a user in another tenant a single-tenant identity cannot read: every check unknown (not available), no request', async () => {
    const p = provider({ credentialFor: () => undefined });
    const set = await collect(p, 'u', ['license', 'apns-certificate']);
    expect(set.checks.map((c) => c.reason)).toEqual(['not-available', 'not-available']);
    expect(graph.requests).toHaveLength(0);
  });
});

describe('Graph evidence: caching', () => {
  it('per-user results for a few minutes, tenant-wide facts for ten', async () => {
    graph.users.set('u', licensedUser());
    graph.users.set('v', licensedUser());
    let clock = Date.now();
    const p = provider({ now: () => clock });
    const checks: CheckId[] = ['license', 'device-limit', 'apns-certificate'];
    await collect(p, 'u', checks);
    const count = (prefix: string): number => graph.graphRequests(prefix).length;
    const first = {
      user: count('/v1.0/users/u'),
      configs: count('/v1.0/deviceManagement/deviceEnrollmentConfigurations'),
      apns: count('/v1.0/deviceManagement/applePushNotificationCertificate'),
    };
    expect(first.configs).toBe(1);
    await collect(p, 'u', checks);
    expect(count('/v1.0/users/u')).toBe(first.user);
    await collect(p, 'v', checks);
    expect(count('/v1.0/users/v')).toBeGreaterThan(0);
    expect(count('/v1.0/deviceManagement/deviceEnrollmentConfigurations')).toBe(1);
    clock += 6 * 60_000;
    await collect(p, 'u', checks);
    expect(count('/v1.0/users/u')).toBeGreaterThan(first.user);
    expect(count('/v1.0/deviceManagement/applePushNotificationCertificate')).toBe(1);
    clock += 5 * 60_000;
    await collect(p, 'u', checks);
    expect(count('/v1.0/deviceManagement/applePushNotificationCertificate')).toBe(2);
    // One token serves every request while it is valid.
    expect(graph.tokenRequests).toHaveLength(1);
  });
});

describe('Graph evidence: configuration', () => {
  it('off by default; on with GRAPH_EVIDENCE=on, at GRAPH_ENDPOINT (national clouds)', () => {
    expect(readConfig({ STORAGE: 'memory' }).graphEvidence).toBeUndefined();
    expect(readConfig({ STORAGE: 'memory', GRAPH_EVIDENCE: 'on' }).graphEvidence).toEqual({ endpoint: 'https://graph.microsoft.com' });
    expect(readConfig({ STORAGE: 'memory', GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: 'https://graph.microsoft.us/' }).graphEvidence).toEqual({
      endpoint: 'https://graph.microsoft.us',
    });
  });

  it('refuses a bad value or a clear-text endpoint off loopback', () => {
    expect(() => readConfig({ STORAGE: 'memory', GRAPH_EVIDENCE: 'maybe' })).toThrow(ConfigError);
    expect(() => readConfig({ STORAGE: 'memory', GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: 'http://graph.example.com' })).toThrow(
      /GRAPH_ENDPOINT/,
    );
    expect(() => readConfig({ STORAGE: 'memory', GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: 'https://graph.microsoft.com/v1.0' })).toThrow(
      /GRAPH_ENDPOINT/,
    );
  });
});
