import { Activity } from 'botbuilder';
import { ticketCard } from '../cards/ticket';
import { readConfig } from '../src/bot/config';
import { createGraphEvidence, GraphEvidence } from '../src/bot/graph';
import { translator } from '../src/core/knowledge/locales';
import { log } from '../src/core/log';
import { buttonData, buttons, cardIssues, cardOf, visibleText } from './helpers/cards';
import { FakeGraph, licensedUser, unlicensedUser } from './helpers/graph';
import { FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';

/** The AAD object id and tenant teamsMessage() sends. */
const USER = '00000000-0000-0000-0000-000000000001';
const t = translator('en');

/** A cause card: its buttons (outcomes, or the handoff of a cause only IT can fix) name the cause. */
const isCauseCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => typeof (b.data as { cause?: unknown } | undefined)?.cause === 'string');
const hasAction =
  (action: string) =>
  (a: Partial<Activity>): boolean =>
    buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === action);

describe('evidence from Microsoft Graph in the conversation, over HTTP', () => {
  const connector = new FakeConnector();
  let graph: FakeGraph;
  const running: Awaited<ReturnType<typeof startApp>>['app'][] = [];

  beforeAll(() => connector.start());
  afterAll(() => connector.stop());
  beforeEach(async () => {
    graph = new FakeGraph();
    await graph.start();
    connector.take();
  });
  afterEach(async () => {
    for (const app of running.splice(0)) await stopApp(app);
    await graph.stop();
  });

  async function start(env: NodeJS.ProcessEnv): ReturnType<typeof startApp> {
    const started = await startApp(env);
    running.push(started.app);
    if (env.GRAPH_EVIDENCE === 'on') {
      // The wiring: GRAPH_EVIDENCE=on gives the bot a Graph provider. Its token comes from the fake's
      // client-credentials endpoint instead of Microsoft Entra ID.
      expect(started.app.runtime.bot.services.evidence).toBeInstanceOf(GraphEvidence);
      started.app.runtime.bot.services.evidence = createGraphEvidence(readConfig({ STORAGE: 'memory', ...env }), log, {
        credentialFor: (tenant) => (tenant ? graph.credential(tenant) : undefined),
      });
    }
    return started;
  }

  const sender =
    (url: string, conversation: string) =>
    async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      const res = await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, 'en-US', payload));
      expect(res.status).toBe(200);
      return connector.take();
    };

  it('no Intune license: the employee hears it plainly, no questions, and the helpdesk is one click away; the ticket shows the evidence', async () => {
    graph.users.set(USER, unlicensedUser());
    const { app, url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
    const send = sender(url, 'conv-license');
    let replies = await send({ text: 'User License Type Invalid' });
    expect(visibleText(replies[0])).toContain(t('knowledge:symptoms.license-type-invalid.title'));
    const offer = replies.find(hasAction('person'));
    expect(visibleText(offer)).toContain(t('evidence.employee.license.title'));
    expect(visibleText(offer)).toContain(t('evidence.employee.license.body'));
    expect(cardIssues(cardOf(offer))).toEqual({ parse: [], unbound: [], validation: [] });
    expect(replies.some(hasAction('answer'))).toBe(false);
    expect(graph.graphRequests(`/v1.0/users/${USER}`).length).toBeGreaterThan(0);

    // One click: the handoff starts without a confirmation question.
    replies = await send({ value: buttonData(offer, (d) => d.action === 'person') });
    for (let i = 0; i < 6 && !replies.some((r) => /IOS-\d+/.test(visibleText(r))); i++) {
      const skip = replies.find(hasAction('skip'));
      const question = replies.find(hasAction('answer'));
      if (skip) replies = await send({ value: buttonData(skip, (d) => d.action === 'skip') });
      else if (question) replies = await send({ value: buttonData(question, (d) => d.answer === 'dontknow') });
      else throw new Error(`unexpected: ${replies.map(visibleText).join(' | ')}`);
    }
    const [ticket] = await app.runtime.escalation.tickets.list(() => true);
    expect(ticket?.record.evidence?.checks).toEqual([expect.objectContaining({ check: 'license', status: 'confirmed' })]);
    const card = ticketCard(t, ticket!);
    const text = JSON.stringify(card);
    expect(text).toContain(t('evidence.ticketLabel', { check: t('evidence.check.license') }));
    expect(text).toContain(t('evidence.status.confirmed'));
    expect(text).toContain('UTC');
    // The MDM authority the tenant answered travels too.
    expect(text).toContain(t('evidence.facts.mdmAuthority'));
    expect(text).toContain(t('knowledge:questions.mdm-authority.answers.intune'));
  });

  it('a licensed user: the license cause is still shown, said to be probably not the cause', async () => {
    graph.users.set(USER, licensedUser());
    const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
    const send = sender(url, 'conv-licensed');
    let replies = await send({ text: 'User License Type Invalid' });
    for (let i = 0; i < 8 && !replies.some(isCauseCard); i++) {
      replies = await send({ value: buttonData(replies.find(hasAction('answer')), (d) => d.answer === 'dontknow') });
    }
    const texts = replies.map(visibleText);
    expect(texts.some((x) => x.includes(t('evidence.ruledOut')))).toBe(true);
    expect(visibleText(replies.find(isCauseCard))).toContain(t('knowledge:causes.license-type-invalid.no-valid-license.title'));
  });

  it('a missing Graph permission: nothing is said to the employee, the flow is as without Graph', async () => {
    graph.users.set(USER, unlicensedUser());
    graph.forbidden.add(`/v1.0/users/${USER}`);
    const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
    const replies = await sender(url, 'conv-403')({ text: 'User License Type Invalid' });
    // As without Graph: no question changes this answer, so the cause card (only IT can fix it) comes at once.
    expect(replies.some(isCauseCard)).toBe(true);
    expect(replies.map(visibleText).join(' ')).not.toMatch(/permission|Graph|User\.Read/i);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('device limit reached: the employee goes straight to the steps, with what was counted', async () => {
    graph.users.set(USER, {
      ...licensedUser(),
      managedDevices: Array.from({ length: 15 }, (_, i) => ({ id: `d${i}`, operatingSystem: 'iOS' })),
    });
    const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
    const replies = await sender(url, 'conv-cap')({ text: 'Device Cap Reached' });
    expect(replies.some(hasAction('answer'))).toBe(false);
    expect(replies.map(visibleText)).toContain(t('evidence.deviceLimitFix', { devices: 15, limit: 15 }));
    expect(visibleText(replies.find(hasAction('outcome')))).toContain(t('knowledge:causes.device-cap-reached.too-many-devices.title'));
  });

  it('an expired APNs certificate: the employee hears that only IT can renew it, with the handoff on the card', async () => {
    graph.users.set(USER, licensedUser());
    graph.apns = { expirationDateTime: '2021-03-01T00:00:00Z' };
    const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
    const replies = await sender(url, 'conv-apns')({ text: 'NoEnrollmentPolicy' });
    const offer = replies.find(hasAction('person'));
    expect(visibleText(offer)).toContain(t('evidence.employee.apns-certificate.title'));
    expect(replies.some(hasAction('outcome'))).toBe(false);
  });

  it('an agent running a flow sees the tenant-wide evidence beside the cause, and no per-user check is made about them', async () => {
    graph.users.set(USER, unlicensedUser());
    graph.apns = { expirationDateTime: '2021-03-01T00:00:00Z' };
    const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url, HELPDESK_TEAM_ID: 'team-helpdesk' });
    const send = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      const activity = teamsMessage(connector.url, 'conv-agent', 'en-US', payload);
      activity.channelData = { tenant: { id: 'tenant-1' }, team: { id: 'team-helpdesk' } };
      const res = await post(`${url}/api/messages`, activity);
      expect(res.status).toBe(200);
      return connector.take();
    };
    let replies = await send({ text: 'NoEnrollmentPolicy' });
    for (let i = 0; i < 10 && !replies.some(hasAction('outcome')); i++) {
      replies = await send({ value: buttonData(replies.find(hasAction('answer')), (d) => d.answer === 'dontknow') });
    }
    const line = replies.map(visibleText).find((x) => x.includes(t('evidence.status.confirmed')));
    expect(line).toContain('2021-03-01 00:00 UTC');
    expect(visibleText(replies.find(hasAction('outcome')))).toContain(t('knowledge:causes.noenrollmentpolicy.apns-certificate.title'));
    expect(graph.graphRequests(`/v1.0/users/${USER}`)).toHaveLength(0);
  });

  describe('the device by its serial number (a device left to a previous user)', () => {
    const SERVER = 'Profile Installation Failed. Connection to the server could not be established.';
    const SERIAL = 'F2LXK1ABHG7F';
    const device = (userId: string): FakeGraph['devices'][number] => ({
      id: 'md-1',
      userId,
      serialNumber: SERIAL,
      operatingSystem: 'iOS',
      enrolledDateTime: '2023-04-01T09:00:00Z',
      lastSyncDateTime: '2023-09-01T09:00:00Z',
    });
    const serialRequests = (): string[] => graph.graphRequests('/v1.0/deviceManagement/managedDevices');

    /** Answers the prerequisite questions with "I don't know" until something else comes. */
    async function pastQuestions(send: ReturnType<typeof sender>, replies: Partial<Activity>[]): Promise<Partial<Activity>[]> {
      for (let i = 0; i < 8 && replies.some(hasAction('answer')); i++)
        replies = await send({ value: buttonData(replies.find(hasAction('answer')), (d) => d.answer === 'dontknow') });
      return replies;
    }

    it('left to a previous user: the employee is asked for the serial (where to find it), types it, and goes straight to re-enrolling', async () => {
      graph.users.set(USER, licensedUser());
      graph.devices = [device('00000000-0000-0000-0000-00000000beef')];
      const { app, url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
      const send = sender(url, 'conv-serial');
      let replies = await pastQuestions(send, await send({ text: SERVER }));
      const ask = replies.find(hasAction('skip'));
      expect(visibleText(ask)).toContain(t('evidence.serial.ask'));
      expect(visibleText(ask)).toContain('Settings > General > About');
      expect(cardIssues(cardOf(ask))).toEqual({ parse: [], unbound: [], validation: [] });
      expect(serialRequests()).toHaveLength(0);
      // Typed as people type it: lower case, in a sentence.
      replies = await send({ text: `it's ${SERIAL.toLowerCase()}` });
      expect(serialRequests().map(decodeURIComponent)).toEqual([
        `/v1.0/deviceManagement/managedDevices?$filter=serialNumber eq '${SERIAL}'&$select=id,userId,serialNumber,operatingSystem,enrolledDateTime,lastSyncDateTime`,
      ]);
      expect(replies.map(visibleText)).toContain(t('evidence.previousUserFix'));
      const cause = replies.find(hasAction('outcome'));
      expect(visibleText(cause)).toContain(t('knowledge:causes.server-connection-failed.previous-user.title'));
      // The record keeps what was seen, for the ticket; the other user's identity is not part of it.
      const state = (await app.runtime.storage.read(['msteams/conversations/conv-serial/']))['msteams/conversations/conv-serial/'] as {
        conversationData: { record: { evidence: { checks: { check: string; status: string; seen: Record<string, unknown> }[] } } };
      };
      const result = state.conversationData.record.evidence.checks.find((c) => c.check === 'device-serial');
      expect(result).toMatchObject({
        status: 'confirmed',
        seen: { serialNumber: SERIAL, managedDeviceId: 'md-1', enrolledFor: 'another user' },
      });
      expect(JSON.stringify(result)).not.toContain('beef');
    });

    it('a reply that is not a serial number gets one line saying what one looks like; the device registered to the employee rules the cause out', async () => {
      graph.users.set(USER, licensedUser());
      graph.devices = [device(USER)];
      const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
      const send = sender(url, 'conv-serial-invalid');
      await pastQuestions(send, await send({ text: SERVER }));
      let replies = await send({ text: 'the one on the box' });
      expect(visibleText(replies.find(hasAction('skip')))).toContain(t('evidence.serial.invalid'));
      expect(serialRequests()).toHaveLength(0);
      replies = await send({ text: 'F2L-XK1-ABH-G7F' });
      expect(serialRequests()).toHaveLength(1);
      expect(replies.map(visibleText)).not.toContain(t('evidence.previousUserFix'));
      expect(replies.some(hasAction('outcome'))).toBe(true);
    });

    it('skipped, or a second reply that is not a serial: the flow goes on as without it', async () => {
      graph.users.set(USER, licensedUser());
      const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
      const send = sender(url, 'conv-serial-skip');
      await pastQuestions(send, await send({ text: SERVER }));
      await send({ text: 'no idea where' });
      const replies = await send({ text: 'still no idea' });
      expect(replies.some(hasAction('outcome'))).toBe(true);
      expect(serialRequests()).toHaveLength(0);
      const send2 = sender(url, 'conv-serial-skip2');
      const ask = (await pastQuestions(send2, await send2({ text: SERVER }))).find(hasAction('skip'));
      expect((await send2({ value: buttonData(ask, (d) => d.action === 'skip') })).some(hasAction('outcome'))).toBe(true);
      expect(serialRequests()).toHaveLength(0);
    });

    it('not asked when it would change nothing: another cause is confirmed first (no license)', async () => {
      graph.users.set(USER, unlicensedUser());
      const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
      const replies = await pastQuestions(sender(url, 'conv-serial-license'), await sender(url, 'conv-serial-license')({ text: SERVER }));
      expect(replies.map(visibleText).join(' ')).not.toContain(t('evidence.serial.ask'));
      expect(visibleText(replies.find(hasAction('person')))).toContain(t('evidence.employee.license.title'));
    });

    it("asked in the employee's language, with the Settings path as the iPhone shows it", async () => {
      graph.users.set(USER, licensedUser());
      const { url } = await start({ GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graph.url });
      for (const [locale, path] of [
        ['es-ES', 'Ajustes > General > Información'],
        ['it-IT', 'Impostazioni > Generali > Info'],
      ] as const) {
        const send = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
          const res = await post(`${url}/api/messages`, teamsMessage(connector.url, `conv-serial-${locale}`, locale, payload));
          expect(res.status).toBe(200);
          return connector.take();
        };
        const ask = (await pastQuestions(send, await send({ text: SERVER }))).find(hasAction('skip'));
        expect(visibleText(ask)).toContain(translator(locale.slice(0, 2))('evidence.serial.ask'));
        expect(visibleText(ask)).toContain(path);
      }
    });
  });

  it('with GRAPH_EVIDENCE off (the default), nothing changes and Graph is never called', async () => {
    graph.users.set(USER, unlicensedUser());
    const { app, url } = await start({ GRAPH_ENDPOINT: graph.url });
    expect(app.runtime.bot.services.evidence).toBeUndefined();
    const replies = await sender(url, 'conv-off')({ text: 'User License Type Invalid' });
    expect(visibleText(replies[0])).toContain(t('knowledge:symptoms.license-type-invalid.title'));
    expect(replies.some(isCauseCard)).toBe(true);
    expect(replies.map(visibleText).join(' ')).not.toContain(t('evidence.employee.license.title'));
    expect(graph.requests).toHaveLength(0);
    expect(graph.tokenRequests).toHaveLength(0);
  });
});
