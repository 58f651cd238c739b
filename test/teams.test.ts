/**
 * Teams-specific shapes through the real HTTP entry point: the messaging extension's card and the invokes its Start
 * button sends (`adaptiveCard/action` with Action.Execute; `composeExtension/onCardButtonClicked` from cards dropped
 * with an Action.Submit), and the languages of Teams clients (es-MX, es-419, it-CH…).
 */
import { Activity } from 'botbuilder';
import { cardToText } from '../cards/text';
import { resolveLocale, translator } from '../src/core/knowledge/locales';
import { cardIssues, visibleText } from './helpers/cards';
import { FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';

const TEAM = '19:helpdesk-team@thread.tacv2';
const TENANT = '0d9b645f-597b-41f0-a2a3-ef103fbd91bb';
const AGENT = { id: '29:agent-1', name: 'Marco Rossi', aadObjectId: 'b130c271-d2eb-45f9-83ab-9eb3fe3788bc' };
const COLLEAGUE = { id: '29:colleague-1', name: 'Giulia Bianchi', aadObjectId: '7faf8ab2-3d56-4244-b585-20c8a42ed2b8' };

/** An invoke as Teams sends it from a group chat (the shape of a recorded composeExtension/fetchTask). */
function invoke(
  serviceUrl: string,
  chat: string,
  who: { id: string; name: string; aadObjectId?: string },
  locale: string,
  name: string,
  value: unknown,
): Partial<Activity> {
  return {
    type: 'invoke',
    name,
    id: `f:${Math.random().toString(36).slice(2)}`,
    timestamp: new Date(),
    channelId: 'msteams',
    serviceUrl,
    locale,
    from: who,
    recipient: { id: '28:bot', name: 'Enrollment bot' },
    conversation: { id: chat, isGroup: true, conversationType: 'groupChat', tenantId: TENANT } as Activity['conversation'],
    channelData: { tenant: { id: TENANT }, source: { name: 'compose' } },
    value,
  };
}

/** Action.Execute pressed on a card: the `adaptiveCard/action` value Teams sends (action, trigger). */
const execute = (verb: string, data: unknown): unknown => ({ action: { type: 'Action.Execute', id: '', verb, data }, trigger: 'manual' });

describe('the messaging extension card over HTTP', () => {
  const connector = new FakeConnector();
  let app: Awaited<ReturnType<typeof startApp>>['app'];
  let url: string;

  beforeAll(async () => {
    await connector.start();
    connector.rosters.set(TEAM, new Set([AGENT.id]));
    ({ app, url } = await startApp({ HELPDESK_TEAM_ID: TEAM }));
  });
  afterAll(async () => {
    await stopApp(app);
    await connector.stop();
  });
  beforeEach(() => connector.received.splice(0));

  const sentTo = (chat: string): Partial<Activity>[] => connector.received.filter((a) => a.conversationId === chat);

  /** The agent opens the extension, picks the symptom, and gets the card to drop into the chat. */
  async function dropCard(chat: string, symptom: string): Promise<Record<string, unknown>> {
    const fetched = await post(
      `${url}/api/messages`,
      invoke(connector.url, chat, AGENT, 'en-US', 'composeExtension/fetchTask', {
        commandId: 'startGuidedFlow',
        commandContext: 'compose',
        requestId: '213167a1e3b6428b93e186ea5407c759',
        context: { theme: 'default' },
      }),
    );
    expect(fetched.status).toBe(200);
    const task = JSON.parse(fetched.text).task;
    expect(task.type).toBe('continue');
    const choices = (task.value.card.content.body as { type: string; choices?: unknown[] }[]).find((b) => b.type === 'Input.ChoiceSet');
    expect(choices?.choices).toHaveLength(15);
    const submitted = await post(
      `${url}/api/messages`,
      invoke(connector.url, chat, AGENT, 'en-US', 'composeExtension/submitAction', {
        commandId: 'startGuidedFlow',
        commandContext: 'compose',
        context: { theme: 'default' },
        data: { action: 'pick-symptom', symptom },
      }),
    );
    expect(submitted.status).toBe(200);
    const result = JSON.parse(submitted.text).composeExtension;
    expect(result.type).toBe('result');
    return result.attachments[0].content as Record<string, unknown>;
  }

  it('only helpdesk agents may open the extension', async () => {
    const refused = await post(
      `${url}/api/messages`,
      invoke(connector.url, '19:any-chat@thread.v2', COLLEAGUE, 'it-IT', 'composeExtension/fetchTask', { commandId: 'startGuidedFlow' }),
    );
    expect(JSON.parse(refused.text).task).toEqual({ type: 'message', value: translator('it')('agent.notAgent') });
  });

  it('Start is an Action.Execute with its own verb; pressing it starts the flow for the presser, in their language', async () => {
    const chat = '19:d77be72390a1416e9644261e9064fa00@thread.skype';
    const card = await dropCard(chat, 'payload-mismatch');
    expect(cardIssues(card)).toEqual({ parse: [], validation: [], unbound: [] });
    const start = (card.actions as Record<string, unknown>[])[0]!;
    expect(start).toMatchObject({ type: 'Action.Execute', verb: 'startFlow', data: { symptom: 'payload-mismatch' } });

    // An Italian colleague in Switzerland presses Start: Teams sends adaptiveCard/action with the button's verb and data.
    const it = translator('it');
    const pressed = await post(
      `${url}/api/messages`,
      invoke(connector.url, chat, COLLEAGUE, 'it-CH', 'adaptiveCard/action', execute(start.verb as string, start.data)),
    );
    expect(pressed.status).toBe(200);
    const title = it('knowledge:symptoms.payload-mismatch.title');
    expect(JSON.parse(pressed.text)).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: it('extension.cardTitle', { title }),
    });
    const replies = sentTo(chat);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.map(visibleText).join('\n')).toContain(title);
    expect(replies.map(visibleText).join('\n')).not.toContain(translator('en')('knowledge:symptoms.payload-mismatch.title'));

    // A Mexican colleague presses the same card in another chat: Spanish there.
    const other = '19:another-chat@thread.v2';
    const again = await post(
      `${url}/api/messages`,
      invoke(
        connector.url,
        other,
        { id: '29:colleague-2', name: 'Lucía' },
        'es-MX',
        'adaptiveCard/action',
        execute('startFlow', start.data),
      ),
    );
    expect(again.status).toBe(200);
    expect(sentTo(other).map(visibleText).join('\n')).toContain(translator('es')('knowledge:symptoms.payload-mismatch.title'));
  });

  it('pressed in a chat the bot is not a member of: the presser is told in their language, and nothing is half-started', async () => {
    const chat = '19:chat-without-the-bot@thread.v2';
    const press = (): Promise<{ status: number; text: string }> =>
      post(
        `${url}/api/messages`,
        invoke(connector.url, chat, COLLEAGUE, 'es-MX', 'adaptiveCard/action', execute('startFlow', { symptom: 'device-cap-reached' })),
      );
    // The Bot Connector refuses messages into a conversation the bot is not part of (403).
    connector.failNext = { status: 403, count: 1 };
    const refused = await press();
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.text)).toMatchObject({
      type: 'application/vnd.microsoft.activity.message',
      value: translator('es')('extension.notInChat'),
    });
    expect(sentTo(chat)).toEqual([]);
    // Nothing of the refused press was kept: no dialog and no transcript in the chat's stored state.
    const key = `msteams/conversations/${chat}/`;
    const stored = (await app.runtime.storage.read([key]))[key] as Record<string, unknown> | undefined;
    expect(Object.keys(stored ?? {}).filter((k) => k !== 'eTag')).toEqual([]);
    // Once the bot is there, the same Start begins the flow.
    expect((await press()).status).toBe(200);
    expect(sentTo(chat).map(visibleText).join('\n')).toContain(translator('es')('knowledge:symptoms.device-cap-reached.title'));
  });

  it('a card dropped with the old Action.Submit Start: composeExtension/onCardButtonClicked starts the flow (was 501)', async () => {
    const chat = '19:old-card-chat@thread.v2';
    const pressed = await post(
      `${url}/api/messages`,
      invoke(connector.url, chat, COLLEAGUE, 'es-419', 'composeExtension/onCardButtonClicked', {
        action: 'choose-symptom',
        symptom: 'device-cap-reached',
      }),
    );
    expect(pressed.status).toBe(200);
    expect(sentTo(chat).map(visibleText).join('\n')).toContain(translator('es')('knowledge:symptoms.device-cap-reached.title'));
  });

  it('a Start whose card names no known symptom says so and starts nothing', async () => {
    const chat = '19:broken-card@thread.v2';
    const en = translator('en');
    const pressed = await post(
      `${url}/api/messages`,
      invoke(connector.url, chat, COLLEAGUE, 'en-US', 'adaptiveCard/action', execute('startFlow', { symptom: 'no-such-problem' })),
    );
    expect(pressed.status).toBe(200);
    expect(JSON.parse(pressed.text)).toMatchObject({ value: en('errors.missingFields') });
    expect(sentTo(chat)).toEqual([]);

    const clicked = await post(
      `${url}/api/messages`,
      invoke(connector.url, chat, COLLEAGUE, 'en-US', 'composeExtension/onCardButtonClicked', {}),
    );
    expect(clicked.status).toBe(200);
    expect(sentTo(chat).map((a) => a.text)).toEqual([en('errors.missingFields')]);
  });

  it('every other Action.Execute verb still goes to the helpdesk ticket actions', async () => {
    const chat = `${TEAM};messageid=thread-1`;
    const pressed = await post(
      `${url}/api/messages`,
      invoke(connector.url, chat, AGENT, 'it-IT', 'adaptiveCard/action', execute('assign', { ticket: 'IOS-9999' })),
    );
    expect(pressed.status).toBe(200);
    // The helpdesk answers in HELPDESK_LOCALE (default en), whatever the agent's client language.
    expect(JSON.parse(pressed.text)).toMatchObject({ value: translator('en')('ticket.notFound') });
    expect(sentTo(chat)).toEqual([]);
  });
});

describe('Teams client languages over HTTP', () => {
  const connector = new FakeConnector();
  let app: Awaited<ReturnType<typeof startApp>>['app'];
  let url: string;

  beforeAll(async () => {
    await connector.start();
    ({ app, url } = await startApp({}));
  });
  afterAll(async () => {
    await stopApp(app);
    await connector.stop();
  });

  test.each([
    ['es-MX', 'es'],
    ['es-419', 'es'],
    ['es-AR', 'es'],
    ['es-ES', 'es'],
    ['es_US', 'es'],
    ['it-CH', 'it'],
    ['IT-it', 'it'],
    ['it', 'it'],
    ['en-GB', 'en'],
    ['fr-CA', 'en'],
    ['pt-BR', 'en'],
    ['', 'en'],
    ['-', 'en'],
    ['español', 'en'],
    ['e', 'en'],
    ['123', 'en'],
    ['x-es', 'en'],
  ])('locale %j: the help card is in %s', async (locale, lng) => {
    const conversation = `a:lang-${encodeURIComponent(locale) || 'empty'}`;
    const res = await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, locale, { text: 'help' }));
    expect(res.status).toBe(200);
    const reply = connector.received.filter((a) => a.conversationId === conversation);
    expect(reply).toHaveLength(1);
    expect(cardToText(reply[0]!.attachments![0]!.content).text.split('\n')[0]).toBe(translator(lng)('help.title'));
  });

  test('resolveLocale: the primary language subtag of a BCP 47 or POSIX locale, else English', () => {
    for (const [raw, lng] of [
      ['es-MX', 'es'],
      ['ES-419', 'es'],
      [' it-CH ', 'it'],
      ['it_IT.UTF-8', 'it'],
      ['es.UTF-8', 'es'],
      ['esp', 'en'],
      ['es MX', 'en'],
      ['fr', 'en'],
      ['', 'en'],
    ] as const)
      expect([raw, resolveLocale(raw)]).toEqual([raw, lng]);
    expect(resolveLocale(undefined)).toBe('en');
    expect(resolveLocale(42 as unknown as string)).toBe('en');
  });
});

/**
 * A channel message as Teams sends it (the botbuilder-dotnet #4841 and Teams docs shapes): the text wrapped in
 * CR LF with the bot's `<at>` mention in it, a mention entity per person, the HTML rendering as an attachment, the
 * clientInfo entity, and the team, channel and tenant in channelData.
 */
function channelMessage(
  serviceUrl: string,
  team: string,
  who: { id: string; name: string; aadObjectId?: string },
  words: (at: (p: { id: string; name: string }) => string) => string,
  options: { mentionBot?: boolean } = {},
): Partial<Activity> {
  const bot = { id: '28:bot', name: 'Enrollment bot' };
  const mentioned: { id: string; name: string }[] = [];
  const at = (p: { id: string; name: string }): string => (mentioned.push(p), `<at>${p.name}</at>`);
  const text = `${options.mentionBot === false ? '' : `${at(bot)} `}${words(at)}`;
  const id = String(1_700_000_000_000 + Math.floor(Math.random() * 1e6));
  return {
    type: 'message',
    id,
    timestamp: new Date(),
    channelId: 'msteams',
    serviceUrl,
    from: who,
    recipient: bot,
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT,
      id: `${team};messageid=${id}`,
    } as Activity['conversation'],
    textFormat: 'plain',
    text: `\r\n${text}\r\n`,
    attachments: [{ contentType: 'text/html', content: `<div><div>${text.replace(/<\/?at>/g, '')}</div></div>` }],
    entities: [
      ...mentioned.map((p) => ({ type: 'mention', mentioned: p, text: `<at>${p.name}</at>` })),
      { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Rome' },
    ],
    channelData: { teamsChannelId: team, teamsTeamId: team, channel: { id: team }, team: { id: team }, tenant: { id: TENANT } },
    locale: 'en-US',
  };
}

describe('mentions, teams and tenants in the shapes Teams sends, over HTTP', () => {
  const OTHER_TEAM = '19:sales-team@thread.tacv2';
  const en = translator('en');
  const connector = new FakeConnector();
  let app: Awaited<ReturnType<typeof startApp>>['app'];
  let url: string;

  beforeAll(async () => {
    await connector.start();
    // AGENT is not on the roster: in the helpdesk team's channel, the team alone makes them an agent.
    connector.rosters.set(TEAM, new Set([COLLEAGUE.id]));
    connector.rosters.set(OTHER_TEAM, new Set([AGENT.id]));
    ({ app, url } = await startApp({ HELPDESK_TEAM_ID: TEAM, ALLOWED_TENANT_IDS: TENANT }));
  });
  afterAll(async () => {
    await stopApp(app);
    await connector.stop();
  });
  beforeEach(() => connector.received.splice(0));

  const say = async (activity: Partial<Activity>): Promise<Partial<Activity>[]> => {
    expect((await post(`${url}/api/messages`, activity)).status).toBe(200);
    return connector.received.splice(0).filter((a) => a.conversationId === activity.conversation!.id);
  };
  const firstLine = (a: Partial<Activity> | undefined): string | undefined =>
    a?.attachments?.[0] ? cardToText(a.attachments[0].content).text.split('\n')[0] : a?.text;

  it('in a channel the bot answers when mentioned, its mention taken out of the text; a message mentioning only others gets nothing', async () => {
    const answered = await say(channelMessage(connector.url, OTHER_TEAM, COLLEAGUE, () => 'help'));
    expect(answered.map(firstLine)).toEqual([en('help.title')]);
    const aside = await say(channelMessage(connector.url, OTHER_TEAM, COLLEAGUE, (at) => `${at(AGENT)} help`, { mentionBot: false }));
    expect(aside).toEqual([]);
  });

  it("the helpdesk team's channel makes its writer an agent; the people mentioned are the command's target, not part of the problem", async () => {
    const started = await say(channelMessage(connector.url, TEAM, AGENT, (at) => `start ${at(COLLEAGUE)} device cap reached`));
    expect(started.map(visibleText).join('\n')).toContain(en('knowledge:symptoms.device-cap-reached.title'));
    // The same words from another team's channel, by someone not on the helpdesk roster, are refused.
    const refused = await say(channelMessage(connector.url, OTHER_TEAM, AGENT, (at) => `start ${at(COLLEAGUE)} device cap reached`));
    expect(refused.map(visibleText)).toEqual([en('agent.notAgent')]);
    // Sending a flow names its target by mention: one who never chatted with the bot is unreachable, by name.
    const bob = { id: '29:never-chatted', name: 'Bob Kelly' };
    const sent = await say(channelMessage(connector.url, TEAM, AGENT, (at) => `send device cap reached to ${at(bob)}`));
    expect(sent.map(visibleText)).toEqual([en('agent.unreachable', { user: bob.name })]);
  });

  it('ALLOWED_TENANT_IDS reads the tenant where Teams puts it: channelData.tenant, else conversation.tenantId', async () => {
    const personal = (conversation: string, tenant: { inChannelData?: string | null; inConversation?: string }): Partial<Activity> => {
      const base = teamsMessage(connector.url, conversation, 'en-US', { text: 'help' });
      const conv = { ...base.conversation } as Activity['conversation'];
      delete (conv as { tenantId?: string }).tenantId;
      if (tenant.inConversation) conv.tenantId = tenant.inConversation;
      return {
        ...base,
        conversation: conv,
        channelData: tenant.inChannelData === null ? null : tenant.inChannelData ? { tenant: { id: tenant.inChannelData } } : {},
      };
    };
    // message.personal.channelData-tenant.json: the tenant in channelData only.
    expect((await say(personal('a:only-channel-data', { inChannelData: TENANT }))).map(firstLine)).toEqual([en('help.title')]);
    expect((await say(personal('a:only-conversation', { inConversation: TENANT }))).map(firstLine)).toEqual([en('help.title')]);
    // "channelData": null is a valid activity; botbuilder's helpers would throw on it.
    expect((await say(personal('a:null-channel-data', { inChannelData: null, inConversation: TENANT }))).map(firstLine)).toEqual([
      en('help.title'),
    ]);
    expect(await say(personal('a:other-tenant', { inChannelData: 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f' }))).toEqual([]);
    expect(await say(personal('a:no-tenant', {}))).toEqual([]);
  });
});
