import { CheckId, CheckResult, EvidenceFacts, SeenValue } from '../../core/diagnostics/evidence';
import { GraphClient } from './client';

/**
 * The Graph checks, one per likely cause. Paths, fields and permissions are those of the Microsoft Graph
 * documentation (docs/graph-evidence.md lists them, with where they differ from the issue).
 */

/**
 * The service plans that license Intune enrollment, by servicePlanId, as Microsoft's "Product names and service plan
 * identifiers for licensing" lists them (docs/graph-evidence.md cites the products each was found in). Any other plan
 * of the Intune service (assignedPlan.service "SCO") counts too, except those in NOT_AN_INTUNE_LICENSE.
 */
export const INTUNE_SERVICE_PLANS: Record<string, string> = {
  // Microsoft Intune Plan 1: Microsoft 365 E3/E5, Business Premium, Microsoft Intune Device…
  'c1ec4a95-1f05-45b3-a911-aa3fa01094f5': 'INTUNE_A',
  // Microsoft Intune (small business): Microsoft 365 Business Premium, Microsoft Intune SMB.
  '8e9ff0ff-aa7a-4b20-83c1-2f636b600ac2': 'INTUNE_SMBIZ',
  // Microsoft Intune Plan 1 for Education: Microsoft 365 A3 for students/faculty…
  'da24caf9-af8e-485c-b7c8-e73336da2693': 'INTUNE_EDU',
  // Microsoft Intune G: Microsoft Intune Government.
  'd216f254-796f-4dab-bbfa-710686e646b9': 'INTUNE_A_GOV',
  // Microsoft Intune Plan 1 A VL (volume licensing).
  '3e170737-c728-4eae-bbb9-3f3360f7184c': 'INTUNE_A_VL',
};

/**
 * Plans named after Intune that don't license enrollment on their own: Mobile Device Management for Office 365
 * (Basic Mobility and Security), and the add-ons that need Plan 1 (Intune Plan 2, Remote help, Endpoint Privilege
 * Management, Advanced endpoint analytics, Microsoft Tunnel for MAM, Defender's security management).
 */
const NOT_AN_INTUNE_LICENSE = new Set([
  '882e1d05-acd1-4ccb-8708-6ee03664b117', // INTUNE_O365
  'd9923fe3-a2de-4d29-a5be-e3e83bb786be', // INTUNE_P2
  'a4c6cf29-1168-4076-ba5c-e8fe0e62b17e', // REMOTE_HELP
  'bb73f429-78ef-4ff2-83c8-722b04c3e7d1', // Intune-EPM
  '2a4baa0e-5e99-4c38-b1f2-6864960f1bd1', // Intune_AdvancedEA
  'a6e407da-7411-4397-8a2e-d9b52780849e', // Intune-MAMTunnel
  '1689aade-3d6a-4bfc-b017-46d2672df5ad', // Intune_Defender
]);
const INTUNE_SERVICE = 'SCO';

const isIntunePlan = (p: AssignedPlan): boolean => {
  const id = p.servicePlanId?.toLowerCase();
  if (!id || NOT_AN_INTUNE_LICENSE.has(id)) return false;
  return !!INTUNE_SERVICE_PLANS[id] || p.service?.toUpperCase() === INTUNE_SERVICE;
};
const planName = (p: AssignedPlan): string => INTUNE_SERVICE_PLANS[p.servicePlanId!.toLowerCase()] ?? p.servicePlanId!;

/** The least-privileged application permission each check needs (its 403 names it in the log). */
export const CHECK_PERMISSIONS: Record<CheckId, string> = {
  license: 'User.Read.All',
  'device-limit': 'DeviceManagementManagedDevices.Read.All + DeviceManagementServiceConfig.Read.All',
  'apns-certificate': 'DeviceManagementManagedDevices.Read.All',
  'personal-devices': 'DeviceManagementServiceConfig.Read.All',
  'ade-token': 'DeviceManagementServiceConfig.Read.All',
  'device-serial': 'DeviceManagementManagedDevices.Read.All',
};

export interface CheckContext {
  client: GraphClient;
  deadline: number;
  userId: string;
  /** The device's serial number, when the employee gave it (validated: letters and digits only). */
  serial?: string;
  now: Date;
  /** Tenant-wide look-ups, cached longer and shared by every user of the tenant. */
  tenant<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** This user's look-ups. */
  user<T>(key: string, load: () => Promise<T>): Promise<T>;
}

interface AssignedPlan {
  servicePlanId?: string;
  capabilityStatus?: string;
  service?: string;
}

interface Assignment {
  target?: { '@odata.type'?: string; groupId?: string };
}

export interface EnrollmentConfiguration {
  '@odata.type'?: string;
  id?: string;
  displayName?: string;
  priority?: number;
  limit?: number;
  platformType?: string;
  iosRestriction?: PlatformRestriction;
  platformRestriction?: PlatformRestriction;
  assignments?: Assignment[];
}

interface PlatformRestriction {
  platformBlocked?: boolean;
  personalDeviceEnrollmentBlocked?: boolean;
}

const result = (check: CheckId, status: CheckResult['status'], seen: Record<string, SeenValue>, now: Date): CheckResult => ({
  check,
  status,
  seen,
  at: now.toISOString(),
});

const enc = encodeURIComponent;

/** A valid Intune service plan, enabled (or in its grace period), among the user's assigned plans. */
export async function checkLicense(ctx: CheckContext): Promise<CheckResult> {
  const user = await ctx.user('assignedPlans', () =>
    ctx.client.get<{ assignedPlans?: AssignedPlan[] }>(`/v1.0/users/${enc(ctx.userId)}?$select=id,assignedPlans`, ctx.deadline),
  );
  const intune = (user.assignedPlans ?? []).filter(isIntunePlan);
  const usable = intune.find((p) => p.capabilityStatus === 'Enabled' || p.capabilityStatus === 'Warning');
  if (usable) return result('license', 'ruled-out', { plan: planName(usable), capabilityStatus: usable.capabilityStatus! }, ctx.now);
  const first = intune[0];
  return result(
    'license',
    'confirmed',
    first ? { plan: planName(first), capabilityStatus: first.capabilityStatus ?? null } : { plan: null },
    ctx.now,
  );
}

/** The tenant's enrollment configurations with their assignments (limits and platform restrictions). */
export function enrollmentConfigurations(ctx: CheckContext): Promise<EnrollmentConfiguration[]> {
  return ctx.tenant('enrollmentConfigurations', () =>
    ctx.client.getAll<EnrollmentConfiguration>('/v1.0/deviceManagement/deviceEnrollmentConfigurations?$expand=assignments', ctx.deadline),
  );
}

/** The ids of the groups the user is a member of (directly or not); undefined when the look-up isn't allowed. */
export async function userGroups(ctx: CheckContext): Promise<Set<string> | undefined> {
  try {
    const groups = await ctx.user('groups', () =>
      ctx.client.getAll<{ id?: string }>(
        `/v1.0/users/${enc(ctx.userId)}/transitiveMemberOf/microsoft.graph.group?$select=id`,
        ctx.deadline,
      ),
    );
    return new Set(groups.map((g) => g.id).filter((id): id is string => !!id));
  } catch {
    return undefined;
  }
}

const isDefault = (c: EnrollmentConfiguration): boolean => (c.priority ?? 0) === 0 || /_Default/i.test(c.id ?? '');

/**
 * The configurations that may apply to the user, most specific first: with the user's groups known, the assigned
 * one with the best (lowest) priority, then the default; without them, every candidate (the caller then needs all
 * of them to agree).
 */
export function applicable(configs: EnrollmentConfiguration[], groups: Set<string> | undefined): EnrollmentConfiguration[] {
  const sorted = [...configs].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  const assigned = sorted.filter((c) => !isDefault(c));
  const defaults = sorted.filter(isDefault);
  if (!groups) return [...assigned, ...defaults];
  const targets = (c: EnrollmentConfiguration): boolean => {
    const ts = (c.assignments ?? []).map((a) => a.target ?? {});
    const excluded = ts.some((t) => t['@odata.type']?.endsWith('exclusionGroupAssignmentTarget') && t.groupId && groups.has(t.groupId));
    if (excluded) return false;
    return ts.some(
      (t) =>
        t['@odata.type']?.endsWith('allLicensedUsersAssignmentTarget') ||
        (t['@odata.type']?.endsWith('.groupAssignmentTarget') && !!t.groupId && groups.has(t.groupId)),
    );
  };
  const match = assigned.find(targets);
  return match ? [match] : defaults.slice(0, 1);
}

/** The user's enrolled devices against the device limit that applies to them. */
export async function checkDeviceLimit(ctx: CheckContext): Promise<CheckResult> {
  const [devices, configs, groups] = await Promise.all([
    ctx.user('managedDevices', () =>
      ctx.client.getAll<{ id?: string }>(`/v1.0/users/${enc(ctx.userId)}/managedDevices?$select=id,operatingSystem`, ctx.deadline),
    ),
    enrollmentConfigurations(ctx),
    userGroups(ctx),
  ]);
  const limits = applicable(
    configs.filter((c) => c['@odata.type'] === '#microsoft.graph.deviceEnrollmentLimitConfiguration' && typeof c.limit === 'number'),
    groups,
  );
  const count = devices.length;
  if (limits.length === 0) return result('device-limit', 'unknown', { devices: count }, ctx.now);
  const values = limits.map((c) => c.limit!);
  const seen = {
    devices: count,
    limit: limits.length === 1 ? values[0]! : `${Math.min(...values)}-${Math.max(...values)}`,
    configuration: limits[0]!.displayName ?? null,
  };
  // Enrolling one more device needs room under the limit.
  if (values.every((l) => count >= l)) return result('device-limit', 'confirmed', seen, ctx.now);
  if (values.every((l) => count < l)) return result('device-limit', 'ruled-out', seen, ctx.now);
  return { ...result('device-limit', 'unknown', seen, ctx.now), reason: 'inconclusive' };
}

/** Personal iOS/iPadOS devices blocked (or the platform blocked) by the restriction that applies to the user. */
export async function checkPersonalDevices(ctx: CheckContext): Promise<CheckResult> {
  const [configs, groups] = await Promise.all([enrollmentConfigurations(ctx), userGroups(ctx)]);
  const restrictionOf = (c: EnrollmentConfiguration): PlatformRestriction | undefined =>
    c['@odata.type'] === '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration'
      ? c.iosRestriction
      : c['@odata.type'] === '#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration' && c.platformType === 'ios'
        ? c.platformRestriction
        : undefined;
  const restrictions = applicable(
    configs.filter((c) => restrictionOf(c)),
    groups,
  );
  if (restrictions.length === 0) return { ...result('personal-devices', 'unknown', {}, ctx.now), reason: 'not-available' };
  const blocked = restrictions.map((c) => {
    const r = restrictionOf(c)!;
    return r.platformBlocked === true || r.personalDeviceEnrollmentBlocked === true;
  });
  const first = restrictionOf(restrictions[0]!)!;
  const seen = {
    personalDeviceEnrollmentBlocked: first.personalDeviceEnrollmentBlocked ?? false,
    platformBlocked: first.platformBlocked ?? false,
    configuration: restrictions[0]!.displayName ?? null,
  };
  if (blocked.every(Boolean)) return result('personal-devices', 'confirmed', seen, ctx.now);
  if (blocked.every((b) => !b)) return result('personal-devices', 'ruled-out', seen, ctx.now);
  return { ...result('personal-devices', 'unknown', seen, ctx.now), reason: 'inconclusive' };
}

/** The Apple MDM push certificate: missing or expired confirms the cause. */
export async function checkApns(ctx: CheckContext): Promise<CheckResult> {
  let cert: { expirationDateTime?: string } | undefined;
  try {
    const body = await ctx.tenant('apns', () =>
      ctx.client.get<Record<string, unknown>>('/v1.0/deviceManagement/applePushNotificationCertificate', ctx.deadline),
    );
    // The documented example wraps the object in "value"; accept both forms.
    const inner = body.value && typeof body.value === 'object' && !Array.isArray(body.value) ? body.value : body;
    cert = inner as { expirationDateTime?: string };
  } catch (err) {
    if ((err as { kind?: string }).kind === 'not-found')
      return result('apns-certificate', 'confirmed', { certificate: 'missing' }, ctx.now);
    throw err;
  }
  const expires = cert.expirationDateTime ? Date.parse(cert.expirationDateTime) : NaN;
  if (!Number.isFinite(expires)) return result('apns-certificate', 'confirmed', { certificate: 'missing' }, ctx.now);
  const seen = { expirationDateTime: new Date(expires).toISOString() };
  return result('apns-certificate', expires <= ctx.now.getTime() ? 'confirmed' : 'ruled-out', seen, ctx.now);
}

/** The ADE (DEP) tokens (beta API): any expired, or whose last sync failed, confirms a token problem. */
export async function checkAdeToken(ctx: CheckContext): Promise<CheckResult> {
  const tokens = await ctx.tenant('depOnboardingSettings', () =>
    ctx.client.getAll<{
      tokenName?: string;
      tokenExpirationDateTime?: string;
      lastSuccessfulSyncDateTime?: string;
      lastSyncErrorCode?: number;
    }>('/beta/deviceManagement/depOnboardingSettings', ctx.deadline),
  );
  if (tokens.length === 0) return { ...result('ade-token', 'unknown', { tokens: 0 }, ctx.now), reason: 'not-available' };
  const problem = tokens.find(
    (t) => (t.tokenExpirationDateTime && Date.parse(t.tokenExpirationDateTime) <= ctx.now.getTime()) || (t.lastSyncErrorCode ?? 0) !== 0,
  );
  // Without a problem, the token that expires first (what an expiry warning is about).
  const expiry = (x: { tokenExpirationDateTime?: string }): number => Date.parse(x.tokenExpirationDateTime ?? '') || Infinity;
  const t = problem ?? [...tokens].sort((a, b) => expiry(a) - expiry(b))[0]!;
  const seen = {
    tokens: tokens.length,
    tokenName: t.tokenName ?? null,
    tokenExpirationDateTime: t.tokenExpirationDateTime ?? null,
    lastSuccessfulSyncDateTime: t.lastSuccessfulSyncDateTime ?? null,
    lastSyncErrorCode: t.lastSyncErrorCode ?? 0,
  };
  return result('ade-token', problem ? 'confirmed' : 'ruled-out', seen, ctx.now);
}

interface SerialDevice {
  id?: string;
  userId?: string | null;
  serialNumber?: string;
  operatingSystem?: string;
  enrolledDateTime?: string;
  lastSyncDateTime?: string;
}

/**
 * The device left to a previous user: Intune's managed device with the employee's serial number, enrolled for
 * another user, confirms it; none, or only this user's, rules it out. Who the other user is stays out of what is
 * seen (the agent finds the device by its id or serial).
 */
export async function checkDeviceSerial(ctx: CheckContext): Promise<CheckResult> {
  const serial = ctx.serial;
  if (!serial || !/^[A-Z0-9]{1,20}$/.test(serial)) return { ...result('device-serial', 'unknown', {}, ctx.now), reason: 'not-available' };
  const filter = encodeURIComponent(`serialNumber eq '${serial}'`);
  const devices = await ctx.user(`serial/${serial}`, () =>
    ctx.client.getAll<SerialDevice>(
      `/v1.0/deviceManagement/managedDevices?$filter=${filter}&$select=id,userId,serialNumber,operatingSystem,enrolledDateTime,lastSyncDateTime`,
      ctx.deadline,
    ),
  );
  // Graph compares serial numbers as given; Apple's are upper case.
  const same = devices.filter((d) => (d.serialNumber ?? '').toUpperCase() === serial);
  const other = same.find((d) => d.userId && d.userId !== ctx.userId);
  if (other)
    return result(
      'device-serial',
      'confirmed',
      {
        serialNumber: serial,
        managedDeviceId: other.id ?? null,
        enrolledFor: 'another user',
        enrolledDateTime: other.enrolledDateTime ?? null,
        lastSyncDateTime: other.lastSyncDateTime ?? null,
      },
      ctx.now,
    );
  const mine = same.find((d) => d.userId === ctx.userId);
  return result(
    'device-serial',
    'ruled-out',
    mine
      ? { serialNumber: serial, managedDeviceId: mine.id ?? null, enrolledFor: 'this user' }
      : { serialNumber: serial, managedDeviceId: null, enrolledFor: null },
    ctx.now,
  );
}

export const CHECKS: Record<CheckId, (ctx: CheckContext) => Promise<CheckResult>> = {
  license: checkLicense,
  'device-limit': checkDeviceLimit,
  'apns-certificate': checkApns,
  'personal-devices': checkPersonalDevices,
  'ade-token': checkAdeToken,
  'device-serial': checkDeviceSerial,
};

const MDM_AUTHORITY: Record<string, EvidenceFacts['mdmAuthority']> = { intune: 'intune', sccm: 'configmgr', office365: 'm365' };

/** The tenant's MDM authority (the Intune organization's mobileDeviceManagementAuthority), when readable. */
export async function mdmAuthority(ctx: CheckContext, tenantId: string): Promise<EvidenceFacts['mdmAuthority']> {
  const body = await ctx.tenant('organization', () =>
    ctx.client.get<Record<string, unknown>>(`/v1.0/organization/${enc(tenantId)}?$select=id,mobileDeviceManagementAuthority`, ctx.deadline),
  );
  // The documented example wraps the object in "value"; accept both forms.
  const org = (body.value && typeof body.value === 'object' && !Array.isArray(body.value) ? body.value : body) as {
    mobileDeviceManagementAuthority?: string;
  };
  return MDM_AUTHORITY[org.mobileDeviceManagementAuthority ?? ''];
}
