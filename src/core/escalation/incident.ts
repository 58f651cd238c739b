import type { CheckId, CheckResult } from '../diagnostics/evidence';
import { KeyValueStore, StoreItem, updateItem } from '../storage';

/**
 * Tenant-wide incidents: a credential every enrollment of the tenant depends on (the Apple MDM push certificate,
 * an ADE token) that expires soon or has expired. One incident per credential and expiry date: its stages
 * (expiring, then expired) are each announced once to the helpdesk, whichever instance sees them first.
 */

/** The checks whose findings can be an incident (the credential they read). */
export type IncidentKind = Extract<CheckId, 'apns-certificate' | 'ade-token'>;
export const INCIDENT_KINDS: IncidentKind[] = ['apns-certificate', 'ade-token'];

/** Expiring: within EXPIRY_WARNING_DAYS; expired: the date has passed. */
export type IncidentStage = 'expiring' | 'expired';
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a check saw that makes an incident. */
export interface IncidentObservation {
  kind: IncidentKind;
  tenantId: string;
  /** The credential's expiry, ISO 8601. */
  expiresAt: string;
  stage: IncidentStage;
  /** The ADE token's name, when the check saw one. */
  name?: string;
  /** When the check saw it. */
  seenAt: string;
}

/** One stage of an incident and its announcement in the helpdesk channel. */
export interface IncidentEvent {
  stage: IncidentStage;
  at: string;
  /** Set just before the card is posted: a later attempt does not post a second card. */
  postStartedAt?: string;
  /** The card in the helpdesk channel, once posted. */
  channelMessage?: { conversationId: string; activityId: string };
}

export interface Incident {
  /** Readable and deterministic: the credential and its expiry date, e.g. "apns-2026-03-01". */
  id: string;
  kind: IncidentKind;
  tenantId: string;
  expiresAt: string;
  name?: string;
  stage: IncidentStage;
  events: IncidentEvent[];
  createdAt: string;
  updatedAt: string;
}

const SHORT: Record<IncidentKind, string> = { 'apns-certificate': 'apns', 'ade-token': 'ade' };

export const incidentId = (kind: IncidentKind, expiresAt: string): string => `${SHORT[kind]}-${expiresAt.slice(0, 10)}`;

/** The storage key of an incident: per tenant, so a multi-tenant bot keeps each tenant's apart. */
export const incidentKey = (tenantId: string, id: string): string =>
  `incident/${(tenantId || 'home').replace(/[^A-Za-z0-9._-]/g, '_')}/${id}`;

/** The stage of a credential expiring at `expires`, or undefined when it is further away than the warning. */
export function stageOf(expires: number, now: number): IncidentStage | undefined {
  if (!Number.isFinite(expires)) return undefined;
  if (expires <= now) return 'expired';
  return expires - now <= EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : undefined;
}

const EXPIRY_FIELD: Record<IncidentKind, string> = {
  'apns-certificate': 'expirationDateTime',
  'ade-token': 'tokenExpirationDateTime',
};

/** The incidents the tenant-wide checks' findings make (a credential with no expiry date seen makes none). */
export function observeIncidents(checks: CheckResult[], tenantId: string, now: Date): IncidentObservation[] {
  const out: IncidentObservation[] = [];
  for (const kind of INCIDENT_KINDS) {
    const result = checks.find((c) => c.check === kind);
    const raw = result?.seen[EXPIRY_FIELD[kind]];
    if (!result || typeof raw !== 'string') continue;
    const expires = Date.parse(raw);
    const stage = stageOf(expires, now.getTime());
    if (!stage) continue;
    const name = result.seen.tokenName;
    out.push({
      kind,
      tenantId,
      expiresAt: new Date(expires).toISOString(),
      stage,
      ...(typeof name === 'string' && name ? { name } : {}),
      seenAt: result.at,
    });
  }
  return out;
}

type IncidentItem = Incident & StoreItem;

/** Incidents in the shared storage, one item each, changed with eTags (several instances may report at once). */
export class IncidentStore {
  constructor(private readonly store: KeyValueStore) {}

  async get(key: string): Promise<Incident | undefined> {
    const item = (await this.store.read([key]))[key] as IncidentItem | undefined;
    if (!item) return undefined;
    const { eTag: _e, ...incident } = item;
    return incident as Incident;
  }

  /**
   * Records an observation: creates the incident ("create if absent") or moves it to a later stage. Returns the
   * incident and whether this call added the stage (only then is it announced).
   */
  record(observation: IncidentObservation, now = new Date()): Promise<{ incident: Incident; added: boolean }> {
    const id = incidentId(observation.kind, observation.expiresAt);
    const at = now.toISOString();
    return updateItem<IncidentItem, { incident: Incident; added: boolean }>(
      this.store,
      incidentKey(observation.tenantId, id),
      (current) => {
        if (!current) {
          const incident: Incident = {
            id,
            kind: observation.kind,
            tenantId: observation.tenantId,
            expiresAt: observation.expiresAt,
            ...(observation.name ? { name: observation.name } : {}),
            stage: observation.stage,
            events: [{ stage: observation.stage, at }],
            createdAt: at,
            updatedAt: at,
          };
          return { value: incident as IncidentItem, result: { incident, added: true } };
        }
        const { eTag: _e, ...existing } = current;
        if (current.stage === 'expiring' && observation.stage === 'expired') {
          const incident: Incident = {
            ...(existing as Incident),
            stage: 'expired',
            events: [...current.events, { stage: 'expired', at }],
            updatedAt: at,
          };
          return { value: incident as IncidentItem, result: { incident, added: true } };
        }
        return { result: { incident: existing as Incident, added: false } };
      },
    );
  }

  /** Marks a stage's post as under way; false when it already was (posted, or being posted, by someone). */
  startPost(key: string, stage: IncidentStage, now = new Date()): Promise<boolean> {
    return updateItem<IncidentItem, boolean>(this.store, key, (current) => {
      const event = current?.events.find((e) => e.stage === stage);
      if (!current || !event || event.postStartedAt) return { result: false };
      event.postStartedAt = now.toISOString();
      return { value: current, result: true };
    });
  }

  /** After a post: the card's place (undefined: nothing was posted, so a retry may post). */
  async finishPost(key: string, stage: IncidentStage, message: IncidentEvent['channelMessage']): Promise<void> {
    await updateItem<IncidentItem, void>(this.store, key, (current) => {
      const event = current?.events.find((e) => e.stage === stage);
      if (!current || !event) return { result: undefined };
      if (message) event.channelMessage = message;
      else delete event.postStartedAt;
      return { value: current, result: undefined };
    });
  }
}
