import { MemoryStorage } from 'botbuilder';
import { CheckResult } from '../src/core/diagnostics/evidence';
import { incidentCard } from '../cards/incident';
import { Incident, IncidentStore, incidentKey, observeIncidents } from '../src/core/escalation/incident';
import { translator } from '../src/core/knowledge/locales';
import { cardIssues } from './helpers/cards';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-06-01T12:00:00Z');
const apns = (expirationDateTime: string): CheckResult => ({
  check: 'apns-certificate',
  status: 'ruled-out',
  seen: { expirationDateTime },
  at: now.toISOString(),
});

describe('tenant-wide incidents', () => {
  it('a certificate becomes an incident 30 days before it expires, and expired once the date has passed', () => {
    expect(observeIncidents([apns(new Date(now.getTime() + 31 * DAY).toISOString())], 't', now)).toEqual([]);
    expect(observeIncidents([apns(new Date(now.getTime() + 29 * DAY).toISOString())], 't', now).map((o) => o.stage)).toEqual(['expiring']);
    expect(observeIncidents([apns('2026-05-31T00:00:00Z')], 't', now).map((o) => o.stage)).toEqual(['expired']);
    // A check that could not tell, or saw no date (no certificate at all), makes no incident.
    expect(observeIncidents([{ check: 'apns-certificate', status: 'unknown', reason: 'timeout', seen: {}, at: '' }], 't', now)).toEqual([]);
    expect(observeIncidents([{ ...apns(''), status: 'confirmed', seen: { certificate: 'missing' } }], 't', now)).toEqual([]);
  });

  it('each stage is added once, whoever reports it; its card is claimed for posting once', async () => {
    const store = new IncidentStore(new MemoryStorage());
    const expires = '2026-06-20T00:00:00Z';
    const [expiring] = observeIncidents([apns(expires)], 'tenant-1', now);
    const first = await store.record(expiring!, now);
    expect(first).toMatchObject({ added: true, incident: { id: 'apns-2026-06-20', stage: 'expiring' } });
    expect((await store.record(expiring!, now)).added).toBe(false);
    const later = new Date('2026-06-21T00:00:00Z');
    const [expired] = observeIncidents([apns(expires)], 'tenant-1', later);
    const second = await store.record(expired!, later);
    expect(second.added).toBe(true);
    expect(second.incident.events.map((e) => e.stage)).toEqual(['expiring', 'expired']);
    expect((await store.record(expired!, later)).added).toBe(false);
    // An expiring report arriving late does not move it back.
    expect((await store.record(expiring!, later)).incident.stage).toBe('expired');
    const key = incidentKey('tenant-1', 'apns-2026-06-20');
    expect(await Promise.all([store.startPost(key, 'expired'), store.startPost(key, 'expired')])).toEqual([true, false]);
    // A post Teams refused gives the claim back; a post that went through keeps it.
    await store.finishPost(key, 'expired', undefined);
    expect(await store.startPost(key, 'expired')).toBe(true);
    await store.finishPost(key, 'expired', { conversationId: 'c', activityId: 'a' });
    expect(await store.startPost(key, 'expired')).toBe(false);
  });
});

describe('the incident card', () => {
  it('is a valid card in every language, for each credential and stage, with no text left untranslated', () => {
    for (const lng of ['en', 'es', 'it']) {
      const t = translator(lng);
      for (const kind of ['apns-certificate', 'ade-token'] as const) {
        for (const stage of ['expiring', 'expired'] as const) {
          const incident: Incident = {
            id: `${kind === 'ade-token' ? 'ade' : 'apns'}-2026-06-20`,
            kind,
            tenantId: 'tenant-1',
            expiresAt: '2026-06-20T00:00:00.000Z',
            ...(kind === 'ade-token' ? { name: 'Contoso ABM' } : {}),
            stage,
            events: [{ stage, at: '2026-06-01T12:00:00.000Z' }],
            createdAt: '2026-06-01T12:00:00.000Z',
            updatedAt: '2026-06-01T12:00:00.000Z',
          };
          const card = incidentCard(t, incident, { alert: { kind: 'tag', id: 'tag-1', name: 'Helpdesk' } });
          expect(cardIssues(card)).toEqual({ parse: [], unbound: [], validation: [] });
          const text = JSON.stringify(card);
          expect(text).not.toMatch(/incident\.(title|impact|where|id|expires|tenant|detected|tickets)/);
          expect(text).toContain(
            t(`incident.title.${kind}.${stage}`, { date: '2026-06-20', name: incident.name ?? '' }).replace(/\s+/g, ' '),
          );
          expect(text).toContain('<at>Helpdesk</at>');
        }
      }
    }
  });
});
