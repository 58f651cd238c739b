import * as fs from 'fs';
import * as path from 'path';
import { resolveLocale } from '../core/knowledge/locales';

/** Everything the bot reads from the environment (documented in .env.example and the README). */
export interface BotConfig {
  port: number;
  appId: string;
  storage: 'file' | 'memory' | 'blob';
  storageDir: string;
  /** NODE_ENV=production: MicrosoftAppId is required, /metrics needs METRICS_TOKEN. */
  production: boolean;
  /**
   * STORAGE=blob: either the Azure Storage connection string (shared key) or the account URL
   * (AZURE_STORAGE_ACCOUNT_URL, authenticated with a token credential: managed identity), and the container
   * (created if missing).
   */
  azureStorageConnectionString?: string;
  azureStorageAccountUrl?: string;
  /** The client id of a user-assigned managed identity (AZURE_CLIENT_ID) for the storage token credential. */
  azureClientId?: string;
  azureStorageContainer: string;
  helpdeskTeamId?: string;
  helpdeskChannelId?: string;
  helpdeskLocale: string;
  /** HELPDESK_TAG: the Teams tag mentioned on every new ticket, as "<tag id>" or "<tag id>|<tag name>". */
  helpdeskTag?: { id: string; name: string };
  escalationWebhookUrl?: string;
  /** Signs every webhook POST (HMAC-SHA256) and authenticates status updates coming back. */
  escalationWebhookSecret?: string;
  /** How long conversation state, user references and resolved tickets are kept, in days (RETENTION_DAYS). */
  retentionDays: number;
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
  /** How long one storage operation may take before the turn fails with the storage message (STORAGE_TIMEOUT_MS). */
  storageTimeoutMs: number;
  /** Incoming activities whose turns run at once (MAX_CONCURRENT_TURNS); later ones wait in order of arrival. */
  maxConcurrentTurns: number;
  /** How long an activity may wait for its turn before it is answered 503 with Retry-After (MAX_TURN_WAIT_MS). */
  maxTurnWaitMs: number;
  /** The bearer token GET /metrics requires (METRICS_TOKEN); without it /metrics is open locally, off in production. */
  metricsToken?: string;
  /** APPLICATIONINSIGHTS_CONNECTION_STRING: traces, metrics and logs go to Application Insights. Off when unset. */
  applicationInsightsConnectionString?: string;
  /**
   * The environment botbuilder's ConfigurationBotFrameworkAuthentication reads: MicrosoftAppId/Password/TenantId/Type
   * and the parameterized authentication keys (ToBotFromChannelOpenIdMetadataUrl, …).
   */
  authEnv: Record<string, string | undefined>;
  /** GRAPH_EVIDENCE=on: check likely causes in Microsoft Graph (GRAPH_ENDPOINT, default the global cloud). */
  graphEvidence?: { endpoint: string };
  /** Microsoft Graph's root (GRAPH_ENDPOINT): evidence, and reading the helpdesk channel back (ticket cards). */
  graphEndpoint: string;
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
  const production = (env.NODE_ENV ?? '').trim().toLowerCase() === 'production';
  const appId = (env.MicrosoftAppId ?? '').trim();
  if (production && !appId)
    throw new ConfigError(
      "NODE_ENV=production needs MicrosoftAppId (the bot's app registration): without it authentication is off and anyone could post to /api/messages",
    );
  const config: BotConfig = {
    port,
    appId,
    production,
    storage,
    storageDir: path.resolve(env.STORAGE_DIR ?? './data'),
    azureStorageContainer: opt(env.AZURE_STORAGE_CONTAINER) ?? 'bot-state',
    helpdeskLocale: resolveLocale(env.HELPDESK_LOCALE ?? 'en'),
    allowedTenantIds: list(env.ALLOWED_TENANT_IDS),
    handoffEvent: /^(1|on|true|yes)$/i.test(env.HANDOFF_EVENT ?? ''),
    deliveryRetryBaseMs: Number(env.DELIVERY_RETRY_BASE_MS ?? 2000),
    maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 256 * 1024),
    storageTimeoutMs: Number(env.STORAGE_TIMEOUT_MS ?? 2000),
    maxConcurrentTurns: Number(env.MAX_CONCURRENT_TURNS ?? 16),
    maxTurnWaitMs: Number(env.MAX_TURN_WAIT_MS ?? 10_000),
    conversationLease: storage === 'blob',
    retentionDays: Number(env.RETENTION_DAYS ?? 30),
    authEnv: { ...env },
    graphEndpoint: 'https://graph.microsoft.com',
  };
  if (!Number.isInteger(config.maxBodyBytes) || config.maxBodyBytes <= 0)
    throw new ConfigError(`MAX_BODY_BYTES must be a positive number, got "${env.MAX_BODY_BYTES}"`);
  if (!Number.isInteger(config.storageTimeoutMs) || config.storageTimeoutMs <= 0)
    throw new ConfigError(`STORAGE_TIMEOUT_MS must be a positive number of milliseconds, got "${env.STORAGE_TIMEOUT_MS}"`);
  if (!Number.isInteger(config.maxConcurrentTurns) || config.maxConcurrentTurns <= 0)
    throw new ConfigError(`MAX_CONCURRENT_TURNS must be a positive whole number, got "${env.MAX_CONCURRENT_TURNS}"`);
  // Teams gives up on a request after 15 s: a wait close to that leaves the turn itself no time.
  if (!Number.isInteger(config.maxTurnWaitMs) || config.maxTurnWaitMs < 0 || config.maxTurnWaitMs > 10_000)
    throw new ConfigError(`MAX_TURN_WAIT_MS must be a number of milliseconds from 0 to 10000, got "${env.MAX_TURN_WAIT_MS}"`);
  const lease = opt(env.CONVERSATION_LEASE)?.toLowerCase();
  if (lease !== undefined) {
    if (!['on', 'off'].includes(lease)) throw new ConfigError(`CONVERSATION_LEASE must be on or off, got "${env.CONVERSATION_LEASE}"`);
    config.conversationLease = lease === 'on';
  }
  const connectionString = opt(env.AZURE_STORAGE_CONNECTION_STRING);
  if (connectionString) config.azureStorageConnectionString = connectionString;
  const accountUrl = opt(env.AZURE_STORAGE_ACCOUNT_URL);
  if (accountUrl) {
    if (!/^https?:\/\/[^\s/]+/.test(accountUrl))
      throw new ConfigError(
        `AZURE_STORAGE_ACCOUNT_URL must be the account's blob endpoint URL (https://<account>.blob.core.windows.net), got "${accountUrl}"`,
      );
    config.azureStorageAccountUrl = accountUrl.replace(/\/+$/, '');
  }
  if (storage === 'blob' && connectionString && accountUrl)
    throw new ConfigError('STORAGE=blob: set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL, not both');
  if (storage === 'blob' && !connectionString && !accountUrl)
    throw new ConfigError(
      'STORAGE=blob needs AZURE_STORAGE_CONNECTION_STRING (the storage account connection string) or AZURE_STORAGE_ACCOUNT_URL (the account URL, with a managed identity)',
    );
  const clientId = opt(env.AZURE_CLIENT_ID);
  if (clientId) config.azureClientId = clientId;
  const metricsToken = opt(env.METRICS_TOKEN);
  if (metricsToken) config.metricsToken = metricsToken;
  const appInsights = opt(env.APPLICATIONINSIGHTS_CONNECTION_STRING);
  if (appInsights) config.applicationInsightsConnectionString = appInsights;
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
  const tag = opt(env.HELPDESK_TAG);
  if (tag) {
    const [id = '', name] = tag.split('|').map((s) => s.trim());
    if (!id) throw new ConfigError(`HELPDESK_TAG must be "<tag id>" or "<tag id>|<tag name>", got "${env.HELPDESK_TAG}"`);
    config.helpdeskTag = { id, name: name || 'Helpdesk' };
  }
  const webhookSecret = opt(env.ESCALATION_WEBHOOK_SECRET);
  if (webhookSecret) config.escalationWebhookSecret = webhookSecret;
  if (!Number.isFinite(config.retentionDays) || config.retentionDays <= 0)
    throw new ConfigError(`RETENTION_DAYS must be a positive number of days, got "${env.RETENTION_DAYS}"`);
  // Evidence from Microsoft Graph (docs/graph-evidence.md).
  const graph = opt(env.GRAPH_EVIDENCE)?.toLowerCase() ?? 'off';
  if (!['on', 'off'].includes(graph)) throw new ConfigError(`GRAPH_EVIDENCE must be on or off, got "${env.GRAPH_EVIDENCE}"`);
  const graphEndpoint = (opt(env.GRAPH_ENDPOINT) ?? 'https://graph.microsoft.com').replace(/\/+$/, '');
  // https, or http on loopback only (a local fake Graph): the bot's token must never travel in clear text.
  if (!/^(https:\/\/[^/\s]+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?)$/.test(graphEndpoint))
    throw new ConfigError(`GRAPH_ENDPOINT must be the Graph root URL, such as https://graph.microsoft.com, got "${env.GRAPH_ENDPOINT}"`);
  config.graphEndpoint = graphEndpoint;
  if (graph === 'on') config.graphEvidence = { endpoint: graphEndpoint };
  return config;
}
