import type { CheckResult } from '../diagnostics/evidence';
import { IncidentKind, IncidentStage, IncidentStore, incidentId, incidentKey, IncidentObservation, observeIncidents } from './incident';
import { Outbox } from './outbox';

/** An incident as a turn needs it: which, of what, at what stage. */
export interface ActiveIncident {
  id: string;
  kind: IncidentKind;
  stage: IncidentStage;
}

/**
 * Reports tenant-wide incidents, from a turn's evidence or a periodic sweep, on any instance: each new stage is
 * recorded once in the shared storage (an eTag-checked item per incident) and its warning card queued in the outbox.
 */
export class Incidents {
  /** Stages this process has recorded and queued: it does not touch storage for them again. */
  private readonly announced = new Set<string>();

  constructor(
    readonly store: IncidentStore,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The incidents the checks' findings make, each recorded and announced. Throws when storage fails; the turn
   * can still use what the checks found (incidentsIn).
   */
  async report(checks: CheckResult[], tenantId: string): Promise<ActiveIncident[]> {
    const seen = observeIncidents(checks, tenantId, this.now());
    await Promise.all(seen.map((o) => this.announce(o)));
    return seen.map(active);
  }

  private async announce(observation: IncidentObservation): Promise<void> {
    const key = incidentKey(observation.tenantId, incidentId(observation.kind, observation.expiresAt));
    const memo = `${key}#${observation.stage}`;
    if (this.announced.has(memo)) return;
    const { incident, added } = await this.store.record(observation, this.now());
    const event = incident.events.find((e) => e.stage === incident.stage);
    // A stage recorded but never posted (its process stopped before queueing the card) is queued again: the
    // card's own guard (postStartedAt) keeps it to one post.
    if (added || (event && !event.postStartedAt)) {
      await this.outbox.enqueue([
        {
          kind: 'incident-post',
          ticketId: '',
          incident: { key, stage: incident.stage },
          idempotencyKey: `${key}:${incident.stage}:incident-post`,
        },
      ]);
    }
    this.announced.add(memo);
  }
}

const active = (o: IncidentObservation): ActiveIncident => ({ id: incidentId(o.kind, o.expiresAt), kind: o.kind, stage: o.stage });

/** The incidents the checks' findings make, without recording anything. */
export const incidentsIn = (checks: CheckResult[], tenantId: string, now: Date): ActiveIncident[] =>
  observeIncidents(checks, tenantId, now).map(active);
