import { Activity, MemoryStorage } from 'botbuilder';
import { ticketCard } from '../cards/ticket';
import { createBot } from '../src/bot';
import { readConfig } from '../src/bot/config';
import { createGraphEvidence } from '../src/bot/graph';
import { incidentKey } from '../src/core/escalation/incident';
import { translator } from '../src/core/knowledge/locales';
import { log } from '../src/core/log';
import { createApp } from '../src/server/app';
import { buttonData, buttons, cardIssues, visibleText } from './helpers/cards';
import { FakeGraph, licensedUser } from './helpers/graph';
import { eventually, FakeConnector, installInTeam, post, startApp, stopApp, teamsMessage } from './helpers/http';

// Tenant-wide incidents: an Apple MDM push certificate or ADE token that expires within 30 days, or has expired,
// is announced with one warning card in the helpdesk channel, whichever of several instances sees it; while it is
// expired, employees reporting one of its symptoms hear it is known and their tickets join it.

const USER = '00000000-0000-0000-0000-000000000001';
const TEAM = 'team-helpdesk';
const DAY = 24 * 60 * 60 * 1000;

/** Polls an asynchronous condition (what another instance or the outbox writes) until it holds. */
async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const hasAction =
  (action: string) =>
  (a: Partial<Activity>): boolean =>
    buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === action);

/** The adaptive card of a new channel thread the bot created. */
const threadCard = (c: { params: Record<string, unknown> }): Record<string, unknown> =>
  (c.params.activity as { attachments: { content: Record<string, unknown> }[] }).attachments[0]!.content;
const isIncidentThread = (c: { params: Record<string, unknown> }): boolean => !JSON.stringify(threadCard(c)).includes('IOS-');
const cardText = (card: Record<string, unknown>): string =>
  visibleText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });

describe('tenant-wide incidents, over HTTP, two instances sharing storage', () => {
  const connector = new FakeConnector();
  let graph: FakeGraph;
  let apps: Awaited<ReturnType<typeof startApp>>[] = [];

  beforeAll(() => connector.start());
  afterAll(() => connector.stop());
  beforeEach(async () => {
    graph = new FakeGraph();
    graph.users.set(USER, licensedUser());
    await graph.start();
    connector.take();
    connector.created.splice(0);
    const storage = new MemoryStorage();
    const config = readConfig({
      PORT: '0',
      STORAGE: 'memory',
      GRAPH_EVIDENCE: 'on',
      GRAPH_ENDPOINT: graph.url,
      HELPDESK_TEAM_ID: TEAM,
      LOG_LEVEL: 'silent',
    });
    apps = await Promise.all([0, 1].map(() => startApp({}, { app: createApp(config, createBot(config, storage)) })));
    for (const { app } of apps) {
      // The fake's client-credentials endpoint instead of Microsoft Entra ID.
      app.runtime.bot.services.evidence = createGraphEvidence(config, log, {
        credentialFor: (tenant) => (tenant ? graph.credential(tenant) : undefined),
      });
    }
    expect((await post(`${apps[0]!.url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);
  });
  afterEach(async () => {
    for (const { app } of apps.splice(0)) await stopApp(app);
    await graph.stop();
  });

  const sender =
    (url: string, conversation: string, locale = 'en-US') =>
    async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      const res = await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, locale, payload));
      expect(res.status).toBe(200);
      return connector.received.splice(0).filter((a) => a.conversationId === conversation);
    };

  /** Waits for deliveries to settle, then the incident threads the bot created in the helpdesk channel. */
  async function incidentThreads(expected: number): Promise<{ params: Record<string, unknown> }[]> {
    await eventually(() => connector.created.filter(isIncidentThread).length >= expected);
    // Time for a second instance's delivery, if there were one, to arrive too.
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(apps.map(({ app }) => app.runtime.stop()));
    return connector.created.filter(isIncidentThread);
  }

  it('an expired APNs certificate: one warning card for both instances; employees hear it is a known problem in en, es and it', async () => {
    graph.apns = { expirationDateTime: '2021-03-01T00:00:00Z' };
    const [a, b] = apps;
    const heard: Record<string, string> = {};
    for (const [i, locale] of ['en-US', 'es-ES', 'it-IT'].entries()) {
      const replies = await sender([a, b, a][i]!.url, `conv-known-${locale}`, locale)({ text: 'NoEnrollmentPolicy' });
      heard[locale] = replies.map(visibleText).join('\n');
    }
    for (const [locale, lng] of [
      ['en-US', 'en'],
      ['es-ES', 'es'],
      ['it-IT', 'it'],
    ] as const) {
      expect(heard[locale]).toContain(translator(lng)('incident.known'));
    }
    // The periodic sweep on both instances finds the same incident: still one card.
    expect(await a!.app.runtime.sweepIncidents()).toEqual([{ id: 'apns-2021-03-01', kind: 'apns-certificate', stage: 'expired' }]);
    await b!.app.runtime.sweepIncidents();
    const threads = await incidentThreads(1);
    expect(threads).toHaveLength(1);
    const card = threadCard(threads[0]!);
    expect(cardIssues(card)).toEqual({ parse: [], unbound: [], validation: [] });
    const t = translator('en');
    const text = cardText(card);
    expect(text).toContain(t('incident.title.apns-certificate.expired', { date: '2021-03-01' }));
    expect(text).toContain(t('incident.where.apns-certificate'));
    expect(text).toContain('apns-2021-03-01');
    expect(JSON.stringify(card)).toContain('"mention"');
  });

  it('a ticket an employee asks for during the incident joins it: the ticket records the incident and its card shows it', async () => {
    graph.apns = { expirationDateTime: '2021-03-01T00:00:00Z' };
    const { app, url } = apps[1]!;
    const send = sender(url, 'conv-join');
    let replies = await send({ text: 'NoEnrollmentPolicy' });
    expect(replies.map(visibleText).join('\n')).toContain(translator('en')('incident.known'));
    const thread = await waitFor(
      async () => (await app.runtime.incidents.store.get(incidentKey('tenant-1', 'apns-2021-03-01')))?.events[0]?.channelMessage,
    );
    replies = await send({ value: buttonData(replies.find(hasAction('person')), (d) => d.action === 'person') });
    for (let i = 0; i < 6 && !replies.some((r) => /IOS-\d+/.test(visibleText(r))); i++) {
      const skip = replies.find(hasAction('skip'));
      const question = replies.find(hasAction('answer'));
      if (skip) replies = await send({ value: buttonData(skip, (d) => d.action === 'skip') });
      else if (question) replies = await send({ value: buttonData(question, (d) => d.answer === 'dontknow') });
      else throw new Error(`unexpected: ${replies.map(visibleText).join(' | ')}`);
    }
    const [ticket] = await app.runtime.escalation.tickets.list(() => true);
    expect(ticket?.incidentId).toBe('apns-2021-03-01');
    const t = translator('en');
    const card = ticketCard(t, ticket!);
    expect(cardIssues(card)).toEqual({ parse: [], unbound: [], validation: [] });
    expect(JSON.stringify(card)).toContain(JSON.stringify({ title: t('ticket.incident'), value: 'apns-2021-03-01' }).slice(1, -1));
    // In the helpdesk channel the ticket's card is a reply in the incident's thread, under the warning.
    const posted = await waitFor(async () => (await app.runtime.escalation.tickets.get(ticket!.id))?.channelMessage);
    expect(posted.conversationId).toBe(thread.conversationId);
    expect(connector.created.filter((c) => !isIncidentThread(c))).toHaveLength(0);
  });

  it('a certificate that expires within 30 days: one warning card from the sweeps; employees are not told of a problem yet', async () => {
    const expires = new Date(Date.now() + 10 * DAY).toISOString();
    graph.apns = { expirationDateTime: expires };
    await Promise.all(apps.map(({ app }) => app.runtime.sweepIncidents()));
    await Promise.all(apps.map(({ app }) => app.runtime.sweepIncidents()));
    const replies = await sender(apps[0]!.url, 'conv-expiring')({ text: 'NoEnrollmentPolicy' });
    expect(replies.map(visibleText).join('\n')).not.toContain(translator('en')('incident.known'));
    const threads = await incidentThreads(1);
    expect(threads).toHaveLength(1);
    const card = threadCard(threads[0]!);
    expect(cardIssues(card)).toEqual({ parse: [], unbound: [], validation: [] });
    expect(cardText(card)).toContain(translator('en')('incident.title.apns-certificate.expiring', { date: expires.slice(0, 10) }));
  });

  it('an expired ADE token: one card; an employee whose ADE enrollment does not start hears it is known, in Spanish', async () => {
    graph.depTokens = [{ id: 'tok-1', tokenName: 'Contoso ABM', tokenExpirationDateTime: '2022-05-01T00:00:00Z', lastSyncErrorCode: 0 }];
    const replies = await sender(
      apps[0]!.url,
      'conv-ade',
      'es-ES',
    )({ text: 'la inscripción con ADE no empieza, el asistente de configuración no muestra la gestión remota' });
    expect(replies.map(visibleText).join('\n')).toContain(translator('es')('incident.known'));
    await apps[1]!.app.runtime.sweepIncidents();
    const threads = await incidentThreads(1);
    expect(threads).toHaveLength(1);
    expect(cardText(threadCard(threads[0]!))).toContain(
      translator('en')('incident.title.ade-token.expired', { date: '2022-05-01', name: 'Contoso ABM' }),
    );
  });

  it('with no incident, no card and no known-problem line', async () => {
    const replies = await sender(apps[0]!.url, 'conv-none')({ text: 'NoEnrollmentPolicy' });
    expect(replies.map(visibleText).join('\n')).not.toContain(translator('en')('incident.known'));
    expect(await apps[0]!.app.runtime.sweepIncidents()).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(connector.created.filter(isIncidentThread)).toHaveLength(0);
  });
});
