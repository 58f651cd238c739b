import { createHmac } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Activity } from 'botbuilder';
import { cardToText } from '../cards/text';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { BotOptions, createBot } from '../src/bot';
import { readConfig } from '../src/bot/config';
import { App, createApp } from '../src/server/app';
import { FaultyStorage } from './helpers/faults';
import { FakeGraph } from './helpers/graph';
import { eventually, FakeConnector, groupOf, post, teamsMessage, startApp, stopApp, installInTeam, cardAction } from './helpers/http';
import { genericErrorStart } from './helpers/storage';

const TEAM = '19:helpdesk-team@thread.tacv2';
const AGENT = { id: '29:agent-1', name: 'Marco Rossi', aadObjectId: 'aad-agent-1' };
const OUTSIDER = { id: '29:outsider', name: 'Eve' };

const start = (env: NodeJS.ProcessEnv): ReturnType<typeof startApp> => startApp({ HELPDESK_TEAM_ID: TEAM, ...env }, { deliveryMs: 50 });

const stop = stopApp;

/** A Spanish user who asks for a person and answers what is missing; returns the ticket id the bot gives. */
async function escalateInSpanish(
  url: string,
  connector: FakeConnector,
  conversation: string,
  words = { first: 'Se alcanzó el límite de dispositivos en mi iPhone', description: 'Necesito el móvil para un viaje el lunes' },
): Promise<string> {
  const replies = await askForAPerson(url, connector, conversation, words);
  const created = replies.find((a) => /IOS-\d+/.test(a.text ?? ''));
  expect(created?.text).toContain(translator('es')('escalation.created', { id: '' }).split('**')[0]!);
  return /IOS-\d+/.exec(created!.text!)![0];
}

/** The Spanish user's escalation up to the bot's last answer (the ticket id, or why there is none). */
async function askForAPerson(
  url: string,
  connector: FakeConnector,
  conversation: string,
  words: { first: string; description: string },
): Promise<Partial<Activity>[]> {
  const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
    expect((await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, 'es-ES', payload))).status).toBe(200);
    return connector.received.filter((a) => a.conversationId === conversation).splice(0);
  };
  const fromUser = (): Partial<Activity>[] => {
    return connector.takeFrom(conversation);
  };
  if (words.first) {
    await say({ text: words.first });
    fromUser();
  }
  await say({ text: 'hablar con una persona' });
  expect(visibleText(fromUser()[0])).toContain(translator('es')('escalation.confirmTitle'));
  await say({ text: 'sí' });
  fromUser();
  await say({ text: words.description });
  let replies = fromUser();
  const question = (rs: Partial<Activity>[]): Partial<Activity> | undefined =>
    rs.find((a) => buttons(a).some((b) => (b.data as { action?: string })?.action === 'answer'));
  for (let i = 0; i < 5 && question(replies); i++) {
    await say({ value: buttonData(question(replies), (d) => d.answer === 'company-portal' || d.answer === 'dontknow') });
    replies = fromUser();
  }
  return replies;
}

function channelMessage(
  serviceUrl: string,
  who: { id: string; name: string },
  text: string,
  mention?: { id: string; name: string },
): Partial<Activity> {
  const entities: { type: string; [k: string]: unknown }[] = [
    { type: 'mention', mentioned: { id: '28:bot', name: 'Enrollment bot' }, text: '<at>Enrollment bot</at>' },
  ];
  if (mention) entities.push({ type: 'mention', mentioned: mention, text: `<at>${mention.name}</at>` });
  return {
    type: 'message',
    id: `m-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
    from: who,
    recipient: { id: '28:bot', name: 'Enrollment bot' },
    conversation: { id: `${TEAM};messageid=root`, isGroup: true, conversationType: 'channel', tenantId: 'tenant-1', name: '' },
    channelData: { team: { id: TEAM }, channel: { id: TEAM }, tenant: { id: 'tenant-1' } },
    text: `<at>Enrollment bot</at> ${text}${mention ? ` <at>${mention.name}</at>` : ''}`,
    entities,
  };
}

describe('escalation to the helpdesk team over HTTP', () => {
  const connector = new FakeConnector();
  let dataDir: string;

  beforeAll(async () => {
    await connector.start();
    connector.rosters.set(TEAM, new Set([AGENT.id]));
    connector.upns.set('29:user-1', 'ana.garcia@contoso.example');
  });
  afterAll(() => connector.stop());
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-escalation-'));
    connector.received.splice(0);
    connector.created.splice(0);
    connector.updated.splice(0);
  });

  it('installed in the helpdesk team → a Spanish user escalates → ticket card in the channel → assign, refuse an outsider, resolve → the user hears it in Spanish', async () => {
    const { app, url } = await start({ STORAGE: 'file', STORAGE_DIR: dataDir });
    expect((await post(`${url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);

    const id = await escalateInSpanish(url, connector, 'conv-ana');
    const thread = await eventually(() => connector.created[0]);
    expect(thread.params.channelData).toMatchObject({ channel: { id: TEAM } });
    const card = (thread.params.activity as Partial<Activity>).attachments![0]!.content;
    const text = cardToText(card).text;
    const en = translator('en');
    expect(text).toContain(id);
    expect(text).toContain(en('knowledge:symptoms.device-cap-reached.title'));
    expect(text).toContain('Necesito el móvil para un viaje el lunes');
    expect(text).toContain('Se alcanzó el límite de dispositivos en mi iPhone');
    expect(text).toContain(en('knowledge:questions.platform.answers.ios'));
    expect(cardToText(card).buttons.map((b) => b.title)).toEqual(
      expect.arrayContaining([en('ticket.assign'), en('ticket.resolve'), en('ticket.chat')]),
    );

    // An agent takes it: the card updates for everyone and the user is told, in Spanish.
    const assign = await post(`${url}/api/messages`, cardAction(connector.url, TEAM, AGENT, 'assign', { ticket: id }));
    expect(assign.status).toBe(200);
    const assigned = JSON.parse(assign.text) as { type: string; value: unknown };
    expect(assigned.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardToText(assigned.value).text).toContain(en('ticket.assignedTo', { name: `<at>${AGENT.name}</at>` }));
    await eventually(() => connector.updated.find((u) => u.conversationId === thread.id));
    const toUser = await eventually(() => connector.received.find((a) => a.conversationId === 'conv-ana'));
    expect(toUser.text).toBe(translator('es')('escalation.assigned', { id, agent: AGENT.name }));
    connector.received.splice(0);

    // Someone outside the helpdesk team: refused, nothing changes.
    const refused = await post(`${url}/api/messages`, cardAction(connector.url, TEAM, OUTSIDER, 'resolve', { ticket: id, note: 'hacked' }));
    expect(JSON.parse(refused.text)).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: en('ticket.refused') });
    expect(await app.runtime.escalation.tickets.get(id)).toMatchObject({ status: 'assigned', assignee: { id: AGENT.id } });

    // Resolving needs a note; with one, the user gets it in Spanish.
    const noNote = await post(`${url}/api/messages`, cardAction(connector.url, TEAM, AGENT, 'resolve', { ticket: id, note: '  ' }));
    expect(JSON.parse(noNote.text)).toMatchObject({ value: en('ticket.missingNote') });
    const resolved = await post(
      `${url}/api/messages`,
      cardAction(connector.url, TEAM, AGENT, 'resolve', { ticket: id, note: 'He quitado dos dispositivos antiguos.' }),
    );
    expect(cardToText(JSON.parse(resolved.text).value).text).toContain('He quitado dos dispositivos antiguos.');
    const note = await eventually(() => connector.received.find((a) => a.conversationId === 'conv-ana'));
    expect(note.text).toBe(
      translator('es')('escalation.resolved', { id, agent: AGENT.name, note: 'He quitado dos dispositivos antiguos.' }),
    );

    // Reopen is possible.
    const reopened = await post(`${url}/api/messages`, cardAction(connector.url, TEAM, AGENT, 'reopen', { ticket: id }));
    expect(cardToText(JSON.parse(reopened.text).value).text).toContain(en('ticket.status.open'));
    await stop(app);
  });

  it('with the helpdesk channel unknown, the ticket is kept (also across a restart) and posted once the bot is installed', async () => {
    const first = await start({ STORAGE: 'file', STORAGE_DIR: dataDir });
    const id = await escalateInSpanish(first.url, connector, 'conv-luis');
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.created).toEqual([]);
    expect(await first.app.runtime.escalation.tickets.get(id)).toMatchObject({ status: 'open' });
    await stop(first.app);

    const second = await start({ STORAGE: 'file', STORAGE_DIR: dataDir });
    await post(`${second.url}/api/messages`, installInTeam(connector.url, TEAM));
    const thread = await eventually(() => connector.created[0]);
    expect(cardToText((thread.params.activity as Partial<Activity>).attachments![0]!.content).text).toContain(id);
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.created).toHaveLength(1);
    await stop(second.app);
  });

  it('agent commands: tickets, send a flow to a user (proactively, in their language), unreachable users, refusal for others', async () => {
    const { app, url } = await start({ STORAGE: 'file', STORAGE_DIR: dataDir });
    await post(`${url}/api/messages`, installInTeam(connector.url, TEAM));
    const id = await escalateInSpanish(url, connector, 'conv-ana');
    const inChannel = async (text: string, mention?: { id: string; name: string }): Promise<string> => {
      await post(`${url}/api/messages`, channelMessage(connector.url, AGENT, text, mention));
      const replies = connector.takeFrom(`${TEAM};messageid=root`);
      return replies.map(visibleText).join('\n');
    };
    expect(await inChannel('tickets')).toContain(id);

    const ana = { id: '29:user-1', name: 'Ana García' };
    expect(await inChannel('send device cap reached to', ana)).toBe(
      translator('en')('agent.sent', { title: translator('en')('knowledge:symptoms.device-cap-reached.title'), user: ana.name }),
    );
    const toAna = connector.received.filter((a) => a.conversationId === 'conv-ana');
    expect(toAna[0]!.text).toBe(translator('es')('agent.fromAgent', { agent: AGENT.name }));
    expect(toAna.map(visibleText).join('\n')).toContain(translator('es')('knowledge:symptoms.device-cap-reached.title'));
    connector.received.splice(0);

    expect(await inChannel('send device cap reached to', { id: '29:never-chatted', name: 'Bob' })).toBe(
      translator('en')('agent.unreachable', { user: 'Bob' }),
    );

    // A user who is not in the helpdesk team, in their 1:1 chat.
    const res = await post(`${url}/api/messages`, {
      ...teamsMessage(connector.url, 'conv-eve', 'en-US', { text: 'tickets' }),
      from: OUTSIDER,
    });
    expect(res.status).toBe(200);
    expect(visibleText(connector.received.find((a) => a.conversationId === 'conv-eve'))).toBe(translator('en')('agent.notAgent'));
    await stop(app);
  });

  it('an agent sending a flow to themselves in their own 1:1 chat gets it there (no waiting on their own turn)', async () => {
    const { app, url } = await start({ STORAGE: 'memory' });
    await post(`${url}/api/messages`, installInTeam(connector.url, TEAM));
    const inOwnChat = (text: string, mention?: { id: string; name: string }): Partial<Activity> => ({
      ...teamsMessage(connector.url, 'conv-agent-self', 'en-US', { text: mention ? `${text} <at>${mention.name}</at>` : text }),
      from: AGENT,
      ...(mention ? { entities: [{ type: 'mention', mentioned: mention, text: `<at>${mention.name}</at>` }] } : {}),
    });
    expect((await post(`${url}/api/messages`, inOwnChat('hello'))).status).toBe(200);
    connector.received.splice(0);
    const answered = await Promise.race([
      post(`${url}/api/messages`, inOwnChat('send device cap reached to', AGENT)).then((r) => r.status),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer after 10 s'), 10_000).unref()),
    ]);
    expect(answered).toBe(200);
    const replies = connector.received.filter((a) => a.conversationId === 'conv-agent-self');
    expect(replies.map(visibleText).join('\n')).toContain(translator('en')('knowledge:symptoms.device-cap-reached.title'));
    await stop(app);
  });

  it('with HANDOFF_EVENT=on, also emits handoff.initiate with the diagnostic record and transcript', async () => {
    const { app, url } = await start({ STORAGE: 'memory', HANDOFF_EVENT: 'on' });
    const id = await escalateInSpanish(url, connector, 'conv-handoff');
    const event = await eventually(() => connector.received.find((a) => a.conversationId === 'conv-handoff' && a.type === 'event'));
    expect(event.name).toBe('handoff.initiate');
    expect(event.value).toMatchObject({ ticketId: id, record: { symptom: 'device-cap-reached' } });
    expect((event.attachments?.[0]?.content as { activities: unknown[] }).activities.length).toBeGreaterThan(3);
    await stop(app);
  });
});

describe('escalation hardening over HTTP', () => {
  const connector = new FakeConnector();
  const es = translator('es');
  const en = translator('en');
  const AGENT_2 = { id: '29:agent-2', name: 'Lucía Pérez' };
  const DAY = 24 * 60 * 60 * 1000;
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const apps: App[] = [];
  /** Polls an async condition (storage) until it holds. */
  const until = async <T>(fn: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error('condition not met in time');
      await sleep(25);
    }
  };

  beforeAll(async () => {
    await connector.start();
    connector.rosters.set(TEAM, new Set([AGENT.id, AGENT_2.id]));
  });
  afterAll(() => connector.stop());
  beforeEach(() => {
    connector.received.splice(0);
    connector.created.splice(0);
    connector.updated.splice(0);
    connector.failNext = undefined;
    connector.rosterFail = undefined;
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await stopApp(app);
  });

  /** The real HTTP app on a storage the test controls, installed in the helpdesk team. */
  async function startOn(
    storage: FaultyStorage,
    env: NodeJS.ProcessEnv = {},
    options: BotOptions = {},
  ): Promise<{ app: App; url: string }> {
    const config = readConfig({ PORT: '0', STORAGE: 'memory', HELPDESK_TEAM_ID: TEAM, DELIVERY_RETRY_BASE_MS: '20', ...env });
    const started = await startApp({}, { app: createApp(config, createBot(config, storage, options)), deliveryMs: 50 });
    apps.push(started.app);
    expect((await post(`${started.url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);
    return started;
  }
  const act = async (
    url: string,
    who: { id: string; name: string },
    verb: string,
    data: Record<string, unknown>,
  ): Promise<{ type: string; value: unknown }> =>
    JSON.parse((await post(`${url}/api/messages`, cardAction(connector.url, TEAM, who, verb, data))).text) as {
      type: string;
      value: unknown;
    };

  it('a non-member gets nothing of a ticket: "refresh" from their own chat or in the channel is refused like any action', async () => {
    const { url } = await startOn(new FaultyStorage());
    const id = await escalateInSpanish(url, connector, 'conv-ana');
    const fromOwnChat = {
      ...cardAction(connector.url, TEAM, OUTSIDER, 'refresh', { ticket: id }),
      conversation: { id: 'conv-eve', conversationType: 'personal', isGroup: false, tenantId: 'tenant-1', name: '' },
      channelData: { tenant: { id: 'tenant-1' } },
    };
    for (const invoke of [fromOwnChat, cardAction(connector.url, TEAM, OUTSIDER, 'refresh', { ticket: id })]) {
      const res = await post(`${url}/api/messages`, invoke);
      expect(JSON.parse(res.text)).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: en('ticket.refused') });
      expect(res.text).not.toContain('Ana');
      expect(res.text).not.toContain('Necesito');
    }
    // A member still gets the card.
    expect(cardToText((await act(url, AGENT, 'refresh', { ticket: id })).value).text).toContain('Necesito el móvil para un viaje el lunes');
  });

  it('"assigned" reaches the user although the Bot Connector refuses the first sends: retried, never the generic error', async () => {
    const { url } = await startOn(new FaultyStorage());
    const id = await escalateInSpanish(url, connector, 'conv-notify');
    await eventually(() => connector.created[0]);
    connector.received.splice(0);
    connector.failNext = { status: 403, count: 3 };
    expect((await act(url, AGENT, 'assign', { ticket: id })).type).toBe('application/vnd.microsoft.card.adaptive');
    const told = await eventually(() => connector.received.find((a) => a.conversationId === 'conv-notify'), 10_000);
    expect(told.text).toBe(es('escalation.assigned', { id, agent: AGENT.name }));
    await sleep(300);
    expect(connector.received.filter((a) => a.conversationId === 'conv-notify')).toHaveLength(1);
    expect(connector.received.some((a) => (a.text ?? '').startsWith(genericErrorStart('es')))).toBe(false);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('bot_delivery_failures_total{kind="user-notify"} 3');
  });

  it('one ticket card per ticket: failed bookkeeping after the post, or a process stopping there, posts no second card', async () => {
    const storage = new FaultyStorage();
    let failures = 3;
    storage.failWrite = (key, value) => key.startsWith('tickets/IOS-') && !!value.channelMessage && failures-- > 0;
    const first = await startOn(storage);
    const id = await escalateInSpanish(first.url, connector, 'conv-post-1');
    await until(async () => (await first.app.runtime.escalation.tickets.get(id))?.channelMessage);
    await eventually(() => failures < 0 || undefined);
    expect(connector.created).toHaveLength(1);

    // The bookkeeping never succeeds on this process, which then stops; the next one must not post again.
    storage.failWrite = (key, value) => key.startsWith('tickets/IOS-') && !!value.channelMessage;
    const other = await escalateInSpanish(first.url, connector, 'conv-post-2');
    await eventually(() => connector.created.length === 2);
    await sleep(300);
    await stopApp(apps.splice(0, 1)[0]!);
    const second = await startOn(new FaultyStorage(storage.inner));
    await sleep(500);
    expect(connector.created).toHaveLength(2);
    expect(await second.app.runtime.escalation.tickets.get(other)).toMatchObject({ status: 'open' });
  });

  it('one ticket card, never none, when a post goes unanswered: the channel is read back (Graph), the card found is kept, one that never arrived is posted once', async () => {
    const graph = new FakeGraph();
    await graph.start();
    try {
      // The helpdesk channel as Graph lists it: the threads the fake Teams created, each a root message of the bot's app.
      graph.channelMessages = (group, channel) =>
        group !== groupOf(TEAM) || channel !== TEAM
          ? []
          : connector.created.map((c) => ({
              id: c.activityId,
              replyToId: null,
              lastModifiedDateTime: new Date().toISOString(),
              from: { application: { id: 'bot', displayName: 'Enrollment bot' }, user: null },
              attachments: ((c.params.activity as Partial<Activity>).attachments ?? []).map((a) => ({
                contentType: a.contentType,
                content: JSON.stringify(a.content),
              })),
            }));
      const storage = new FaultyStorage();
      const options: BotOptions = { graphCredential: () => graph.credential('tenant-1'), postSettleMs: 600 };
      const env = { GRAPH_ENDPOINT: graph.url };

      // Teams creates the thread but the answer never comes: the bot finds it in the channel and keeps it.
      connector.cutCreates = { count: 1, created: true };
      const first = await startOn(storage, env, options);
      const found = await escalateInSpanish(first.url, connector, 'conv-cut-1');
      const message = await until(async () => (await first.app.runtime.escalation.tickets.get(found))?.channelMessage);
      expect(connector.created).toHaveLength(1);
      expect(message).toEqual({ conversationId: connector.created[0]!.id, activityId: connector.created[0]!.activityId });
      await act(first.url, AGENT, 'assign', { ticket: found });
      expect((await eventually(() => connector.updated[0])).activityId).toBe(connector.created[0]!.activityId);

      // The request is cut before Teams creates anything, and this process stops; the next one, while the channel
      // can't be read, posts nothing; once it can and the post has settled, it posts the card once.
      connector.cutCreates = { count: 1, created: false };
      const lost = await escalateInSpanish(first.url, connector, 'conv-cut-2');
      await until(async () => (await first.app.runtime.escalation.tickets.get(lost))?.channelPostStartedAt);
      const delta = `/v1.0/teams/${groupOf(TEAM)}/channels/${encodeURIComponent(TEAM)}/messages/delta`;
      graph.forbidden.add(delta);
      await stopApp(apps.splice(0, 1)[0]!);
      const second = await startOn(new FaultyStorage(storage.inner), env, options);
      await eventually(() => graph.graphRequests(delta).length >= 2 || undefined);
      await sleep(700);
      expect(connector.created).toHaveLength(1);
      graph.forbidden.delete(delta);
      const posted = await until(async () => (await second.app.runtime.escalation.tickets.get(lost))?.channelMessage);
      await sleep(400);
      expect(connector.created).toHaveLength(2);
      expect(posted).toEqual({ conversationId: connector.created[1]!.id, activityId: connector.created[1]!.activityId });
      expect(cardToText((connector.created[1]!.params.activity as Partial<Activity>).attachments![0]!.content).text).toContain(lost);
    } finally {
      connector.cutCreates = undefined;
      await graph.stop();
    }
  });

  it('no orphan ticket: with the outbox unwritable the user hears there is no ticket and none exists; the retry makes exactly one', async () => {
    const storage = new FaultyStorage();
    storage.failWrite = (key) => key.startsWith('outbox/');
    const { app, url } = await startOn(storage);
    const words = { first: 'Se alcanzó el límite de dispositivos en mi iPhone', description: 'Lo necesito hoy' };
    const replies = await askForAPerson(url, connector, 'conv-orphan', words);
    expect(replies.map((a) => a.text ?? '').join('\n')).toContain(es('escalation.failed', { correlationId: '' }).split('(')[0]!.trim());
    expect(await app.runtime.escalation.tickets.list()).toEqual([]);

    storage.failWrite = () => false;
    const id = await escalateInSpanish(url, connector, 'conv-orphan', { first: '', description: 'Lo necesito hoy' });
    await eventually(() => connector.created[0]);
    await sleep(300);
    expect((await app.runtime.escalation.tickets.list()).map((t) => t.id)).toEqual([id]);
    expect(connector.created).toHaveLength(1);
  });

  it('a ticket change and its notification exist together or not at all: storage refusing either, the agent hears it was not saved, the user nothing; the retry tells the user once', async () => {
    const storage = new FaultyStorage();
    const { app, url } = await startOn(storage);
    const id = await escalateInSpanish(url, connector, 'conv-change');
    await eventually(() => connector.created[0]);
    connector.received.splice(0);
    const notSaved = { type: 'application/vnd.microsoft.activity.message', value: en('ticket.saveFailed') };
    const toUser = (): Partial<Activity>[] => connector.received.filter((a) => a.conversationId === 'conv-change');

    // The outbox refuses the notification: the ticket is not changed.
    storage.failWrite = (key) => key.startsWith('outbox/');
    expect(await act(url, AGENT, 'assign', { ticket: id })).toMatchObject(notSaved);
    expect(await app.runtime.escalation.tickets.get(id)).toMatchObject({ status: 'open', version: 1 });
    // The notification is stored but the ticket write fails: nothing is sent for a change that never happened.
    storage.failWrite = (key, value) => key === `tickets/${id}` && value.status === 'assigned';
    expect(await act(url, AGENT, 'assign', { ticket: id })).toMatchObject(notSaved);
    expect(await app.runtime.escalation.tickets.get(id)).toMatchObject({ status: 'open', version: 1 });
    await sleep(400);
    expect(toUser()).toEqual([]);

    storage.failWrite = () => false;
    expect(cardToText((await act(url, AGENT, 'assign', { ticket: id })).value).text).toContain(
      en('ticket.assignedTo', { name: `<at>${AGENT.name}</at>` }),
    );
    await eventually(() => toUser()[0]);
    storage.failWrite = (key) => key.startsWith('outbox/');
    expect(await act(url, AGENT, 'resolve', { ticket: id, note: 'Listo.' })).toMatchObject(notSaved);
    expect(await app.runtime.escalation.tickets.get(id)).toMatchObject({ status: 'assigned' });
    storage.failWrite = () => false;
    expect(cardToText((await act(url, AGENT, 'resolve', { ticket: id, note: 'Listo.' })).value).text).toContain('Listo.');
    await eventually(() => toUser()[1]);
    await sleep(400);
    expect(toUser().map((a) => a.text)).toEqual([
      es('escalation.assigned', { id, agent: AGENT.name }),
      es('escalation.resolved', { id, agent: AGENT.name, note: 'Listo.' }),
    ]);
  });

  it('a roster error is not "not a member": the agent is asked to try again, the next press asks Teams again; a 429 waits for Retry-After', async () => {
    const { url } = await startOn(new FaultyStorage());
    const id = await escalateInSpanish(url, connector, 'conv-roster');
    connector.rosterFail = { status: 403, count: 1 };
    expect(await act(url, AGENT, 'assign', { ticket: id })).toMatchObject({ value: en('ticket.tryAgain') });
    const assigned = await act(url, AGENT, 'assign', { ticket: id });
    expect(cardToText(assigned.value).text).toContain(en('ticket.assignedTo', { name: `<at>${AGENT.name}</at>` }));

    connector.rosterFail = { status: 429, count: 1, retryAfter: 1 };
    const before = connector.rosterCalls.length;
    const resolved = await act(url, AGENT_2, 'resolve', { ticket: id, note: 'Hecho.' });
    expect(cardToText(resolved.value).text).toContain('Hecho.');
    const calls = connector.rosterCalls.slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(950);
  });

  it("the employee's markdown is shown as typed in the ticket card (no live link, no heading), and their text is bounded", async () => {
    const { url } = await startOn(new FaultyStorage());
    const first = 'Se alcanzó el límite de dispositivos en mi iPhone [Verify your account](https://phish.example/login) **URGENT**';
    const description = `# BIG\n[aquí](https://phish.example/x) ${'y'.repeat(5000)}`;
    await escalateInSpanish(url, connector, 'conv-md', { first, description });
    const card = (await eventually(() => connector.created[0])).params.activity as Partial<Activity>;
    const content = card.attachments![0]!.content;
    const rendered: string[] = [];
    const runs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const el = node as Record<string, unknown>;
      if (el.type === 'TextBlock') rendered.push(String(el.text));
      if (el.type === 'FactSet') for (const f of el.facts as { title: string; value: string }[]) rendered.push(f.title, f.value);
      if (el.type === 'TextRun') runs.push(String(el.text));
      Object.values(el).forEach(walk);
    };
    walk(content);
    expect(rendered.filter((t) => /phish\.example|# BIG|\*\*URGENT/.test(t))).toEqual([]);
    expect(runs.some((t) => t.includes('[Verify your account](https://phish.example/login) **URGENT**'))).toBe(true);
    expect(runs.some((t) => t.includes('# BIG'))).toBe(true);
    expect(runs.every((t) => t.length <= 2002)).toBe(true);
  });

  it('retention: after RETENTION_DAYS the sweep deletes state, user references and resolved tickets; open tickets stay', async () => {
    const storage = new FaultyStorage();
    const { app, url } = await startOn(storage, { RETENTION_DAYS: '30' });
    const resolvedId = await escalateInSpanish(url, connector, 'conv-old');
    await act(url, AGENT, 'resolve', { ticket: resolvedId, note: 'Hecho.' });
    const kept = { ...teamsMessage(connector.url, 'conv-other', 'es-ES', {}), from: { id: '29:user-2', name: 'Luis' } };
    const openId = await escalateInSpanish(url, connector, 'conv-other-ticket');
    expect((await post(`${url}/api/messages`, { ...kept, text: 'hola' })).status).toBe(200);
    const keys = ['msteams/conversations/conv-old/', 'msteams/users/29:user-1/', 'users/29:user-1', 'msteams/conversations/conv-other/'];
    expect(Object.keys(await storage.inner.read(keys)).sort()).toEqual([...keys].sort());

    expect(await app.runtime.retention.sweep(Date.now() + 29 * DAY)).toEqual({ items: 0, tickets: 0 });
    expect(await app.runtime.escalation.tickets.get(resolvedId)).toBeDefined();
    const swept = await app.runtime.retention.sweep(Date.now() + 31 * DAY);
    expect(swept.tickets).toBe(1);
    expect(await storage.inner.read(keys)).toEqual({});
    expect(await app.runtime.escalation.tickets.get(resolvedId)).toBeUndefined();
    expect(await app.runtime.escalation.tickets.get(openId)).toMatchObject({ status: 'open' });
    // The user comes back: a fresh conversation, no error.
    connector.received.splice(0);
    expect((await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-old', 'es-ES', { text: 'hola' }))).status).toBe(200);
    expect(connector.received.some((a) => (a.text ?? '').startsWith(genericErrorStart('es')))).toBe(false);
  });

  it('an agent deletes one user\'s data on request ("forget @user"): state, reference, 1:1 chat and tickets', async () => {
    const storage = new FaultyStorage();
    const { app, url } = await startOn(storage);
    const id = await escalateInSpanish(url, connector, 'conv-ana');
    const ana = { id: '29:user-1', name: 'Ana García' };
    await post(`${url}/api/messages`, channelMessage(connector.url, AGENT, 'forget', ana));
    const reply = connector.received.filter((a) => a.conversationId === `${TEAM};messageid=root`).map(visibleText);
    expect(reply).toEqual([en('agent.forgotten', { user: ana.name, tickets: 1 })]);
    expect(await storage.inner.read(['users/29:user-1', 'msteams/users/29:user-1/', 'msteams/conversations/conv-ana/'])).toEqual({});
    expect(await app.runtime.escalation.tickets.get(id)).toBeUndefined();
    expect(await app.runtime.escalation.tickets.list()).toEqual([]);
    // A user without a mention is not an agent command.
    connector.received.splice(0);
    await post(`${url}/api/messages`, { ...teamsMessage(connector.url, 'conv-eve', 'en-US', { text: 'forget it' }), from: OUTSIDER });
    expect(connector.received.map(visibleText)).not.toContain(en('agent.notAgent'));
  });
});

describe('a Teams-native helpdesk over HTTP: mentions, the requester UPN, the signed ITSM round trip', () => {
  const connector = new FakeConnector();
  const en = translator('en');
  const es = translator('es');
  const SECRET = 'test-only-webhook-secret';
  const apps: App[] = [];
  const itsm: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let itsmServer: http.Server;
  let itsmUrl = '';

  beforeAll(async () => {
    await connector.start();
    connector.rosters.set(TEAM, new Set([AGENT.id]));
    connector.upns.set('29:user-1', 'ana.garcia@contoso.example');
    itsmServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        itsm.push({ headers: req.headers, body });
        res.writeHead(200);
        res.end('{}');
      });
    });
    await new Promise<void>((r) => itsmServer.listen(0, '127.0.0.1', r));
    itsmUrl = `http://127.0.0.1:${(itsmServer.address() as AddressInfo).port}/itsm`;
  });
  afterAll(async () => {
    await connector.stop();
    await new Promise<void>((r) => {
      itsmServer.close(() => r());
      itsmServer.closeAllConnections();
    });
  });
  beforeEach(() => {
    connector.received.splice(0);
    connector.created.splice(0);
    connector.updated.splice(0);
    itsm.splice(0);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await stopApp(app);
  });

  async function startInTeam(env: NodeJS.ProcessEnv): Promise<string> {
    const started = await start({ STORAGE: 'memory', DELIVERY_RETRY_BASE_MS: '20', ...env });
    apps.push(started.app);
    await post(`${started.url}/api/messages`, installInTeam(connector.url, TEAM));
    return started.url;
  }
  type Entity = { type: string; text: string; mentioned: Record<string, string> };
  const entitiesOf = (card: unknown): Entity[] => ((card as { msteams?: { entities?: Entity[] } }).msteams?.entities ?? []) as Entity[];
  const postedCard = (i = 0): unknown => (connector.created[i]!.params.activity as Partial<Activity>).attachments![0]!.content;

  it('a new ticket mentions the helpdesk channel (or the HELPDESK_TAG tag), and an assigned one its assignee', async () => {
    const url = await startInTeam({});
    const id = await escalateInSpanish(url, connector, 'conv-ana');
    await eventually(() => connector.created[0]);
    const card = postedCard();
    expect(entitiesOf(card)).toEqual([
      expect.objectContaining({
        type: 'mention',
        text: '<at>General</at>',
        mentioned: expect.objectContaining({ id: TEAM, conversationIdentityType: 'channel' }),
      }),
    ]);
    expect(cardToText(card).text).toContain(`<at>General</at> ${en('ticket.newTicket')}`);

    await post(`${url}/api/messages`, cardAction(connector.url, TEAM, AGENT, 'assign', { ticket: id }));
    const updated = (await eventually(() => connector.updated[0])).attachments![0]!.content;
    expect(entitiesOf(updated)).toEqual([
      { type: 'mention', text: `<at>${AGENT.name}</at>`, mentioned: { id: AGENT.id, name: AGENT.name } },
    ]);
    expect(cardToText(updated).text).toContain(en('ticket.assignedTo', { name: `<at>${AGENT.name}</at>` }));
    await stopApp(apps.splice(0, 1)[0]!);

    connector.created.splice(0);
    const tagged = await startInTeam({ HELPDESK_TAG: 'tag-id-1|Intune helpdesk' });
    await escalateInSpanish(tagged, connector, 'conv-ana-2');
    await eventually(() => connector.created[0]);
    expect(entitiesOf(postedCard())).toEqual([
      { type: 'mention', text: '<at>Intune helpdesk</at>', mentioned: { id: 'tag-id-1', name: 'Intune helpdesk', type: 'tag' } },
    ]);
  });

  it('the requester UPN (from Teams at escalation) is on the ticket, in the chat deep link and in the signed webhook payload', async () => {
    const url = await startInTeam({ ESCALATION_WEBHOOK_URL: itsmUrl, ESCALATION_WEBHOOK_SECRET: SECRET });
    const id = await escalateInSpanish(url, connector, 'conv-ana');
    await eventually(() => connector.created[0]);
    const chat = cardToText(postedCard()).buttons.find((b) => b.title === en('ticket.chat'));
    expect(chat?.url).toBe('https://teams.microsoft.com/l/chat/0/0?users=ana.garcia%40contoso.example');
    const delivered = await eventually(() => itsm[0]);
    const payload = JSON.parse(delivered.body) as { ticket: { id: string; requester: { upn?: string } }; summary: { title: string } };
    expect(payload.ticket).toMatchObject({ id, requester: { upn: 'ana.garcia@contoso.example' } });
    expect(payload.summary.title).toContain(id);
    const ts = String(delivered.headers['x-signature-timestamp']);
    const expected = createHmac('sha256', SECRET).update(`${ts}.${delivered.body}`).digest('hex');
    expect(delivered.headers['x-signature']).toBe(`sha256=${expected}`);
    expect(Math.abs(Date.now() / 1000 - Number(ts))).toBeLessThan(60);
    // Each POST says what happened: the ticket was created, then assigned.
    expect((JSON.parse(delivered.body) as { event: string }).event).toBe('created');
    await post(`${url}/api/messages`, cardAction(connector.url, TEAM, AGENT, 'assign', { ticket: id }));
    const assigned = await eventually(() => itsm[1]);
    expect(JSON.parse(assigned.body) as { event: string; ticket: { status: string } }).toMatchObject({
      event: 'assigned',
      ticket: { status: 'assigned' },
    });
  });

  it('a status update signed by the ITSM resolves the ticket (card updated, user told); unsigned, tampered, stale or replayed ones change nothing', async () => {
    const url = await startInTeam({ ESCALATION_WEBHOOK_URL: itsmUrl, ESCALATION_WEBHOOK_SECRET: SECRET });
    const id = await escalateInSpanish(url, connector, 'conv-itsm');
    await eventually(() => connector.created[0]);
    connector.received.splice(0);
    const send = (body: string, headers: Record<string, string>): Promise<Response> =>
      fetch(`${url}/api/itsm/tickets/${encodeURIComponent(id)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const sign = (body: string, ts = Math.floor(Date.now() / 1000)): Record<string, string> => ({
      'x-signature-timestamp': String(ts),
      'x-signature': `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`,
    });
    const body = JSON.stringify({ ticketId: id, status: 'resolved', note: 'Licencia asignada en el portal.', by: 'Service Desk' });

    expect((await send(body, {})).status).toBe(401);
    expect((await send(body.replace('asignada', 'robada'), sign(body))).status).toBe(401);
    expect((await send(body, sign(body, Math.floor(Date.now() / 1000) - 3600))).status).toBe(401);
    expect((await send(body, { ...sign(body), 'x-signature': 'sha256=00' })).status).toBe(401);
    await expect(apps[0]!.runtime.escalation.tickets.get(id)).resolves.toMatchObject({ status: 'open' });

    const headers = sign(body);
    const ok = await send(body, headers);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id, status: 'resolved' });
    expect((await send(body, headers)).status).toBe(401);
    const told = await eventually(() => connector.received.find((a) => a.conversationId === 'conv-itsm'));
    expect(told.text).toBe(es('escalation.resolved', { id, agent: 'Service Desk', note: 'Licencia asignada en el portal.' }));
    const updated = await eventually(() => connector.updated[0]);
    expect(cardToText(updated.attachments![0]!.content).text).toContain('Licencia asignada en el portal.');
  });
});
