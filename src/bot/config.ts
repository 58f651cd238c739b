import * as fs from 'fs';
import * as path from 'path';
import { resolveLocale } from '../core/knowledge/locales';

/** Everything the bot reads from the environment (documented in .env.example and the README). */
export interface BotConfig {
  port: number;
  appId: string;
  storage: 'file' | 'memory' | 'blob';
  storageDir: string;
  /** STORAGE=blob: the Azure Storage connection string (required then) and the container (created if missing). */
  azureStorageConnectionString?: string;
  azureStorageContainer: string;
  helpdeskTeamId?: string;
  helpdeskChannelId?: string;
  helpdeskLocale: string;
  escalationWebhookUrl?: string;
  allowedTenantIds: string[];
  /** Also emit the Bot Framework handoff.initiate event on escalation (contact-center channels). Off by default. */
  handoffEvent: boolean;
  /** First retry delay of the delivery outbox (doubles per attempt, up to 5 minutes). */
  deliveryRetryBaseMs: number;
  /**
   * Turns of one conversation are serialized across instances with a lease in the shared storage (CONVERSATION_LEASE:
   * on|off; on by default with STORAGE=blob, the scale-out storage; within one process turns are serialized anyway).
   */
  conversationLease: boolean;
  /** Largest request body accepted on /api/messages, in bytes (larger: 413). */
  maxBodyBytes: number;
  /**
   * The environment botbuilder's ConfigurationBotFrameworkAuthentication reads: MicrosoftAppId/Password/TenantId/Type
   * and the parameterized authentication keys (ToBotFromChannelOpenIdMetadataUrl, …).
   */
  authEnv: Record<string, string | undefined>;
  /** GRAPH_EVIDENCE=on: check likely causes in Microsoft Graph (GRAPH_ENDPOINT, default the global cloud). */
  graphEvidence?: { endpoint: string };
}

/** Loads ./.env (if present) into process.env without overriding variables already set. */
export function loadDotEnv(file = path.resolve('.env')): void {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!m || line.trim().startsWith('#')) continue;
    const [, key = '', raw = ''] = m;
    const value = raw.replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[key] === undefined) process.env[key] = value;
  }
}

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const port = Number(env.PORT ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const storage = (env.STORAGE ?? 'file').toLowerCase();
  if (storage !== 'file' && storage !== 'memory' && storage !== 'blob') {
    throw new ConfigError(`STORAGE must be file, blob or memory, got "${env.STORAGE}"`);
  }
  const list = (v: string | undefined): string[] =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const opt = (v: string | undefined): string | undefined => (v && v.trim() ? v.trim() : undefined);
  const config: BotConfig = {
    port,
    appId: env.MicrosoftAppId ?? '',
    storage,
    storageDir: path.resolve(env.STORAGE_DIR ?? './data'),
    azureStorageContainer: opt(env.AZURE_STORAGE_CONTAINER) ?? 'bot-state',
    helpdeskLocale: resolveLocale(env.HELPDESK_LOCALE ?? 'en'),
    allowedTenantIds: list(env.ALLOWED_TENANT_IDS),
    handoffEvent: /^(1|on|true|yes)$/i.test(env.HANDOFF_EVENT ?? ''),
    deliveryRetryBaseMs: Number(env.DELIVERY_RETRY_BASE_MS ?? 2000),
    maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 256 * 1024),
    conversationLease: storage === 'blob',
    authEnv: { ...env },
  };
  if (!Number.isInteger(config.maxBodyBytes) || config.maxBodyBytes <= 0)
    throw new ConfigError(`MAX_BODY_BYTES must be a positive number, got "${env.MAX_BODY_BYTES}"`);
  const lease = opt(env.CONVERSATION_LEASE)?.toLowerCase();
  if (lease !== undefined) {
    if (!['on', 'off'].includes(lease)) throw new ConfigError(`CONVERSATION_LEASE must be on or off, got "${env.CONVERSATION_LEASE}"`);
    config.conversationLease = lease === 'on';
  }
  const connectionString = opt(env.AZURE_STORAGE_CONNECTION_STRING);
  if (connectionString) config.azureStorageConnectionString = connectionString;
  if (storage === 'blob' && !connectionString)
    throw new ConfigError('STORAGE=blob needs AZURE_STORAGE_CONNECTION_STRING (the storage account connection string)');
  if (storage === 'blob' && !/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(config.azureStorageContainer))
    throw new ConfigError(
      `AZURE_STORAGE_CONTAINER must be a valid container name (3-63 lowercase letters, digits and single hyphens), got "${config.azureStorageContainer}"`,
    );
  const teamId = opt(env.HELPDESK_TEAM_ID);
  if (teamId) config.helpdeskTeamId = teamId;
  const channelId = opt(env.HELPDESK_CHANNEL_ID);
  if (channelId) config.helpdeskChannelId = channelId;
  const webhook = opt(env.ESCALATION_WEBHOOK_URL);
  if (webhook) config.escalationWebhookUrl = webhook;
  // Evidence from Microsoft Graph (docs/graph-evidence.md).
  const graph = opt(env.GRAPH_EVIDENCE)?.toLowerCase() ?? 'off';
  if (!['on', 'off'].includes(graph)) throw new ConfigError(`GRAPH_EVIDENCE must be on or off, got "${env.GRAPH_EVIDENCE}"`);
  const graphEndpoint = (opt(env.GRAPH_ENDPOINT) ?? 'https://graph.microsoft.com').replace(/\/+$/, '');
  // https, or http on loopback only (a local fake Graph): the bot's token must never travel in clear text.
  if (!/^(https:\/\/[^/\s]+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?)$/.test(graphEndpoint))
    throw new ConfigError(`GRAPH_ENDPOINT must be the Graph root URL, such as https://graph.microsoft.com, got "${env.GRAPH_ENDPOINT}"`);
  if (graph === 'on') config.graphEvidence = { endpoint: graphEndpoint };
  return config;
}
