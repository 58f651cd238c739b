import type * as Identity from '@azure/identity';
import { BotConfig } from '../config';
import { TokenProvider } from './client';
import { GraphEvidence, Log } from './provider';

export { GraphEvidence } from './provider';

/**
 * The token credential for the bot's own identity in a tenant: the app registration's secret
 * (MicrosoftAppId/MicrosoftAppPassword; a multi-tenant app gets a token in the user's tenant, where an admin
 * granted consent), or the user-assigned managed identity (MicrosoftAppType=UserAssignedMSI, its home tenant only).
 * The sign-in host follows AZURE_AUTHORITY_HOST (national clouds), as everywhere in @azure/identity.
 */
export function botCredentials(config: BotConfig): (tenantId: string | undefined) => TokenProvider | undefined {
  const env = config.authEnv;
  const appId = env.MicrosoftAppId ?? '';
  const password = env.MicrosoftAppPassword ?? '';
  const type = (env.MicrosoftAppType ?? 'MultiTenant').toLowerCase();
  const home = env.MicrosoftAppTenantId ?? '';
  const byTenant = new Map<string, TokenProvider>();
  return (tenantId) => {
    if (!appId) return undefined;
    const tenant = type === 'multitenant' ? tenantId || home : home;
    // A single-tenant identity can only read its own tenant.
    if (!tenant || (type !== 'multitenant' && tenantId && tenantId !== home)) return undefined;
    let credential = byTenant.get(tenant);
    if (!credential) {
      // Loaded only when Graph evidence is on: the Azure SDK is heavy for a process that doesn't use it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const identity = require('@azure/identity') as typeof Identity;
      if (type === 'userassignedmsi') credential = new identity.ManagedIdentityCredential({ clientId: appId });
      else if (password) credential = new identity.ClientSecretCredential(tenant, appId, password);
      else return undefined;
      byTenant.set(tenant, credential);
    }
    return credential;
  };
}

/** Graph evidence as configured (GRAPH_EVIDENCE=on), or undefined when it is off. */
export function createGraphEvidence(
  config: BotConfig,
  log: Log,
  overrides: { credentialFor?: (tenantId: string | undefined) => TokenProvider | undefined; fetch?: typeof fetch } = {},
): GraphEvidence | undefined {
  if (!config.graphEvidence) return undefined;
  return new GraphEvidence({
    endpoint: config.graphEvidence.endpoint,
    credentialFor: overrides.credentialFor ?? botCredentials(config),
    log,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });
}
