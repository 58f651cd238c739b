import { readSerialNumber } from '../src/core/diagnostics/answers';
import {
  checksForPlan,
  CheckResult,
  confirmedLead,
  EvidenceSet,
  evidenceAnswers,
  missingPermissions,
  orderByEvidence,
  runWithinBudget,
} from '../src/core/diagnostics/evidence';
import { causePlan } from '../src/core/diagnostics/record';

const at = '2026-01-01T00:00:00.000Z';
const set = (...checks: Partial<CheckResult>[]): EvidenceSet => ({
  collectedAt: at,
  source: 'test',
  checks: checks.map((c) => ({ check: 'license', status: 'unknown', seen: {}, at, ...c }) as CheckResult),
  facts: {},
});

describe('orderByEvidence', () => {
  const plan = causePlan('server-connection-failed');

  it('without evidence, the plan as it is', () => {
    expect(orderByEvidence(plan, undefined).map((p) => p.cause)).toEqual(plan.map((p) => p.cause));
  });

  it('confirmed first, unknown in the plan’s order, ruled out last, each with its evidence', () => {
    const ordered = orderByEvidence(
      plan,
      set(
        { check: 'personal-devices', status: 'ruled-out', seen: { personalDeviceEnrollmentBlocked: false } },
        { check: 'license', status: 'confirmed' },
      ),
    );
    expect(ordered.map((p) => p.cause)).toEqual(['no-license', 'dns-cname', 'previous-user', 'other-mdm', 'corporate-only']);
    expect(ordered[0]!.evidence?.status).toBe('confirmed');
    expect(ordered[4]!.evidence).toMatchObject({ status: 'ruled-out', seen: { personalDeviceEnrollmentBlocked: false } });
    expect(ordered[1]!.evidence).toBeUndefined();
  });

  it('an unknown result (no permission) changes nothing in the order', () => {
    const ordered = orderByEvidence(
      plan,
      set({ check: 'license', status: 'unknown', reason: 'no-permission', permission: 'User.Read.All' }),
    );
    expect(ordered.map((p) => p.cause)).toEqual(plan.map((p) => p.cause));
  });

  it('the confirmed lead says who can fix it: the license only IT, the device limit the employee too', () => {
    const license = confirmedLead(orderByEvidence(causePlan('license-type-invalid'), set({ check: 'license', status: 'confirmed' })));
    expect(license).toMatchObject({ fixedBy: 'admin', cause: { cause: 'no-valid-license' } });
    const cap = confirmedLead(orderByEvidence(causePlan('device-cap-reached'), set({ check: 'device-limit', status: 'confirmed' })));
    expect(cap).toMatchObject({ fixedBy: 'employee', cause: { cause: 'too-many-devices' } });
    expect(
      confirmedLead(orderByEvidence(causePlan('license-type-invalid'), set({ check: 'license', status: 'ruled-out' }))),
    ).toBeUndefined();
  });
});

describe('which checks a plan needs', () => {
  it('each cause’s check once, then the symptom’s own', () => {
    expect(checksForPlan('server-connection-failed', causePlan('server-connection-failed'))).toEqual(['personal-devices', 'license']);
    expect(checksForPlan('ade-enrollment-doesnt-start', causePlan('ade-enrollment-doesnt-start'))).toEqual(['ade-token']);
    expect(checksForPlan('network-error', causePlan('network-error'))).toEqual([]);
  });
});

describe('prerequisite facts and permissions', () => {
  it('the MDM authority answers its question; missing permissions are listed once', () => {
    const s = set({ check: 'license', status: 'unknown', reason: 'no-permission', permission: 'User.Read.All' });
    s.facts.mdmAuthority = 'intune';
    expect(evidenceAnswers(s)).toEqual({ 'mdm-authority': 'intune' });
    expect(evidenceAnswers(undefined)).toEqual({});
    expect(missingPermissions(s)).toEqual(['User.Read.All']);
  });
});

describe('runWithinBudget', () => {
  it('a check that throws is unknown (error); one still running at the deadline is unknown (timeout)', async () => {
    const results = await runWithinBudget(
      ['license', 'apns-certificate', 'device-limit'],
      async (check) => {
        if (check === 'license') throw new Error('boom');
        if (check === 'apns-certificate') return new Promise<CheckResult>(() => undefined);
        return { check, status: 'confirmed', seen: {}, at };
      },
      100,
    );
    expect(results.map((r) => [r.check, r.status, r.reason])).toEqual([
      ['license', 'unknown', 'error'],
      ['apns-certificate', 'unknown', 'timeout'],
      ['device-limit', 'confirmed', undefined],
    ]);
  });
});

describe('the serial number an employee types', () => {
  it('is read in the forms people type it, and nothing else is taken for one', () => {
    expect(readSerialNumber('F2LXK1ABHG7F')).toBe('F2LXK1ABHG7F');
    expect(readSerialNumber("it's f2lxk1abhg7f")).toBe('F2LXK1ABHG7F');
    expect(readSerialNumber('F2L XK1 ABH G7F')).toBe('F2LXK1ABHG7F');
    expect(readSerialNumber('H4F7XQ2P9L')).toBe('H4F7XQ2P9L');
    for (const text of ['', 'the one on the box', 'BLUETOOTHS', '123456789012', 'F2LXK1ABHG7F and DNPXK1ABHG7F', "'; DROP--", 'ABC123'])
      expect(readSerialNumber(text)).toBeUndefined();
  });
});
