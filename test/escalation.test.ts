import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Activity } from 'botbuilder';
import { cardToText } from '../cards/text';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { eventually, FakeConnector, post, teamsMessage, startApp, stopApp, installInTeam, cardAction } from './helpers/http';

const TEAM = '19:helpdesk-team@thread.tacv2';
const AGENT = { id: '29:agent-1', name: 'Marco Rossi', aadObjectId: 'aad-agent-1' };
const OUTSIDER = { id: '29:outsider', name: 'Eve' };

const start = (env: NodeJS.ProcessEnv): ReturnType<typeof startApp> => startApp({ HELPDESK_TEAM_ID: TEAM, ...env }, { deliveryMs: 50 });

const stop = stopApp;

/** A Spanish user who asks for a person and answers what is missing; returns the ticket id the bot gives. */
async function escalateInSpanish(url: string, connector: FakeConnector, conversation: string): Promise<string> {
  const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
    expect((await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, 'es-ES', payload))).status).toBe(200);
    return connector.received.filter((a) => a.conversationId === conversation).splice(0);
  };
  const fromUser = (): Partial<Activity>[] => {
    const mine = connector.received.filter((a) => a.conversationId === conversation);
    for (const a of mine) connector.received.splice(connector.received.indexOf(a), 1);
    return mine;
  };
  await say({ text: 'Se alcanzó el límite de dispositivos en mi iPhone' });
  fromUser();
  await say({ text: 'hablar con una persona' });
  expect(visibleText(fromUser()[0])).toContain(translator('es')('escalation.confirmTitle'));
  await say({ text: 'sí' });
  fromUser();
  await say({ text: 'Necesito el móvil para un viaje el lunes' });
  let replies = fromUser();
  for (let i = 0; i < 5 && !replies.some((a) => /IOS-\d+/.test(a.text ?? '')); i++) {
    const q = replies.find((a) => buttons(a).some((b) => (b.data as { action?: string })?.action === 'answer'));
    await say({ value: buttonData(q, (d) => d.answer === 'company-portal' || d.answer === 'dontknow') });
    replies = fromUser();
  }
  const created = replies.find((a) => /IOS-\d+/.test(a.text ?? ''));
  expect(created?.text).toContain(translator('es')('escalation.created', { id: '' }).split('**')[0]!);
  return /IOS-\d+/.exec(created!.text!)![0];
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
    expect(cardToText(assigned.value).text).toContain(en('ticket.assignedTo', { name: AGENT.name }));
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
      const replies = connector.received.filter((a) => a.conversationId === `${TEAM};messageid=root`);
      for (const r of replies) connector.received.splice(connector.received.indexOf(r), 1);
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
