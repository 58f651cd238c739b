/**
 * A helpdesk agent's requests typed as people type them, through the real HTTP entry point with real Teams mentions:
 * sending a flow to a user, the open tickets and deleting a user's data, in a sentence, in every language; a message
 * that mentions someone is never run here as a problem of the agent's own.
 */
import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { buttons, visibleText } from './helpers/cards';
import { FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';

const TEAM = '19:helpdesk-team@thread.tacv2';
const AGENT = { id: '29:agent-1', name: 'Marco Rossi', aadObjectId: 'b130c271-d2eb-45f9-83ab-9eb3fe3788bc' };
/** The employee teamsMessage writes as, by default. */
const EMPLOYEE = { id: '29:user-1', name: 'Ana García' };
const SYMPTOM = 'device-cap-reached';

/**
 * Each language's sentences ("@" is where the agent picks the user from Teams' list); the first of each kind is a
 * sentence, not the command as the help card spells it.
 */
const SENTENCES: Record<string, { send: string[]; tickets: string[]; forget: string[]; unplaced: string[] }> = {
  en: {
    send: ['can you send the device cap flow to @ please', 'please send @ the device cap reached check'],
    tickets: ['what tickets are open?', 'show me the open tickets please', 'any unassigned tickets?', 'show the tickets assigned to me'],
    forget: ['please forget @', "delete @'s data", 'forget @'],
    unplaced: ['@ device cap reached', 'hi @, how are you?'],
  },
  es: {
    send: [
      'enviale a @ el de limite de dispositivos',
      'mándale a @ el flujo de límite de dispositivos, porfa',
      '¿puedes mandarle a @ lo del límite de dispositivos?',
    ],
    tickets: ['que tickets hay abiertos?', '¿qué tickets siguen abiertos?', 'muéstrame los tickets pendientes', 'hay tickets sin asignar?'],
    forget: ['olvida a @', 'borra los datos de @', 'olvidar @'],
    unplaced: ['@ limite de dispositivos', 'hola @, ¿qué tal?'],
  },
  it: {
    send: [
      'puoi mandare a @ il flusso per il limite dispositivi?',
      'invia a @ la verifica numero massimo dispositivi',
      'manda a @ il flusso numero massimo dispositivi per favore',
    ],
    tickets: [
      'mostrami i ticket aperti',
      'quali ticket sono ancora aperti?',
      'ci sono ticket non assegnati?',
      'fammi vedere i miei ticket',
    ],
    forget: ['cancella i dati di @', 'per favore elimina i dati di @', 'dimentica @'],
    unplaced: ['@ limite dispositivi', 'ciao @, come va?'],
  },
};

const isQuestion = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === 'answer');

describe.each(['en', 'es', 'it'])('an agent typing requests as sentences, over HTTP, in %s', (locale) => {
  const connector = new FakeConnector();
  const tr = translator(locale);
  const phrases = SENTENCES[locale]!;
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

  /** The replies sent into a conversation so far (taken off the list). */
  const repliesIn = (conversation: string): Partial<Activity>[] => {
    return connector.takeFrom(conversation);
  };

  /** A message from the agent (or the employee) in their 1:1 chat; "@" becomes a Teams mention of `mentioned`. */
  const say = async (
    conversation: string,
    text: string,
    options: { from?: typeof AGENT | typeof EMPLOYEE; mentioned?: { id: string; name: string } } = {},
  ): Promise<Partial<Activity>[]> => {
    const who = options.mentioned;
    const activity = teamsMessage(connector.url, conversation, `${locale}-XX`, {
      text: who ? text.replace('@', `<at>${who.name}</at>`) : text,
    });
    activity.from = options.from ?? AGENT;
    if (who) activity.entities = [{ type: 'mention', mentioned: who, text: `<at>${who.name}</at>` }];
    expect((await post(`${url}/api/messages`, activity)).status).toBe(200);
    return repliesIn(conversation);
  };

  it.each(phrases.send)('"%s" starts the flow in the mentioned user\'s chat, and tells the agent; nothing runs here', async (sentence) => {
    const userChat = `employee-${locale}`;
    await say(userChat, 'hi', { from: EMPLOYEE });
    const agentChat = `agent-${locale}`;
    const toAgent = await say(agentChat, sentence, { mentioned: EMPLOYEE });
    const title = tr(`knowledge:symptoms.${SYMPTOM}.title`);
    expect(toAgent.map(visibleText)).toEqual([tr('agent.sent', { title, user: EMPLOYEE.name })]);
    expect(toAgent.some(isQuestion)).toBe(false);

    const toEmployee = repliesIn(userChat);
    expect(toEmployee[0]!.text).toBe(tr('agent.fromAgent', { agent: AGENT.name }));
    expect(toEmployee.map(visibleText).join('\n')).toContain(title);
  });

  it("a send sentence naming a user who never chatted with the bot says they can't be reached, and runs nothing here", async () => {
    const bob = { id: '29:never-chatted', name: 'Bob' };
    const replies = await say(`agent-${locale}`, phrases.send[0]!, { mentioned: bob });
    expect(replies.map(visibleText)).toEqual([tr('agent.unreachable', { user: bob.name })]);
  });

  it('a send sentence with the name typed after "@" (not picked from Teams\' list) asks for a real mention', async () => {
    const replies = await say(`agent-${locale}`, phrases.send[0]!.replace('@', '@Bob'));
    expect(replies.map(visibleText)).toEqual([tr('agent.needsMention', { example: tr('agent.sendExample') })]);
  });

  it.each(phrases.tickets)('"%s" lists the open tickets, as the tickets command does', async (sentence) => {
    const command = (await say(`agent-${locale}`, tr('commands.tickets').split('|')[0]!)).map(visibleText);
    const replies = (await say(`agent-${locale}`, sentence)).map(visibleText);
    expect(replies).toEqual(command);
    expect(replies.join('\n')).toMatch(new RegExp(`${tr('agent.noTickets')}|${tr('agent.ticketsTitle')}`));
  });

  it.each(phrases.forget)('"%s" deletes the mentioned user\'s data and confirms it', async (sentence) => {
    // A user has one 1:1 chat with the bot; it is what their data is kept for.
    const userChat = `employee-${locale}`;
    await say(userChat, 'hi', { from: EMPLOYEE });
    expect(await app.runtime.storage.read([`msteams/conversations/${userChat}/`])).not.toEqual({});
    const replies = await say(`agent-${locale}`, sentence, { mentioned: EMPLOYEE });
    expect(replies.map(visibleText)).toEqual([tr('agent.forgotten', { user: EMPLOYEE.name, tickets: 0 })]);
    expect(await app.runtime.storage.read([`msteams/conversations/${userChat}/`, `msteams/users/${EMPLOYEE.id}/`])).toEqual({});
  });

  it.each(phrases.unplaced)(
    '"%s" (someone mentioned, nothing asked for them) gets the commands, not a flow or the menu',
    async (sentence) => {
      const replies = await say(`agent-${locale}`, sentence, { mentioned: EMPLOYEE });
      expect(replies.map(visibleText)).toEqual([tr('agent.mentionUsage')]);
    },
  );

  it('from an employee, the same sentences are not agent commands: no refusal, nothing sent to anyone', async () => {
    const bob = { id: '29:never-chatted', name: 'Bob' };
    for (const sentence of [phrases.send[0]!, phrases.forget[0]!, phrases.tickets[0]!]) {
      const replies = (await say(`employee-${locale}`, sentence, { from: EMPLOYEE, mentioned: bob })).map(visibleText).join('\n');
      expect(replies).not.toContain(tr('agent.notAgent'));
      expect(replies).not.toContain(tr('agent.unreachable', { user: bob.name }));
      expect(replies).not.toContain(tr('agent.forgotten', { user: bob.name, tickets: 0 }));
    }
  });
});
