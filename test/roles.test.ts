/**
 * Who is asking, through the real HTTP entry point: an employee and a helpdesk agent (a member of the helpdesk team)
 * get what fits them, in every language.
 */
import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';

const TEAM = '19:helpdesk-team@thread.tacv2';
const AGENT = { id: '29:agent-1', name: 'Marco Rossi', aadObjectId: 'b130c271-d2eb-45f9-83ab-9eb3fe3788bc' };

const has = (action: string) => (a: Partial<Activity>) =>
  buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === action);
/** A yes of another language the bot speaks, typed in a chat of this language. */
const FOREIGN_YES: Record<string, string> = { en: 'sí', es: 'certo', it: 'claro' };

describe.each(['en', 'es', 'it'])('employee and agent views over HTTP, in %s', (locale) => {
  const connector = new FakeConnector();
  const tr = translator(locale);
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

  /** The replies the bot sent into a conversation so far (taken off the list). */
  const repliesIn = (conversation: string): Partial<Activity>[] => {
    return connector.takeFrom(conversation);
  };

  /** Sends text or a button press as an employee, or as an agent (in the helpdesk team's roster), in their 1:1 chat. */
  const say = async (conversation: string, input: string | Record<string, unknown>, agent = false): Promise<Partial<Activity>[]> => {
    const activity = teamsMessage(
      connector.url,
      conversation,
      `${locale}-XX`,
      typeof input === 'string' ? { text: input } : { value: input },
    );
    if (agent) activity.from = AGENT;
    expect((await post(`${url}/api/messages`, activity)).status).toBe(200);
    return repliesIn(conversation);
  };

  /** Answers every question card with "I don't know" (or `answers[question]`), until something else comes. */
  const answerAll = async (
    conversation: string,
    replies: Partial<Activity>[],
    agent: boolean,
    answers: Record<string, string> = {},
    asked: string[] = [],
  ): Promise<Partial<Activity>[]> => {
    for (let i = 0; i < 12; i++) {
      // The Configuration Manager version, asked after that MDM authority: typed.
      if (replies.some((r) => visibleText(r) === tr('questions.configmgrVersion'))) {
        replies = await say(conversation, '2309', agent);
        continue;
      }
      const question = replies.find(has('answer'));
      if (!question) return replies;
      const id = (buttons(question)[0]!.data as { question: string }).question;
      asked.push(id);
      replies = await say(
        conversation,
        buttonData(question, (d) => d.answer === (answers[id] ?? 'dontknow')),
        agent,
      );
    }
    throw new Error('too many questions');
  };

  it("the help card lists the helpdesk's commands to agents only", async () => {
    const help = tr('help.title');
    const employee = (await say(`help-user-${locale}`, tr('commands.help').split('|')[0]!)).map(visibleText).join('\n');
    expect(employee).toContain(help);
    expect(employee).toContain(tr('help.commandPerson'));
    expect(employee).not.toContain(tr('help.commandAgent'));
    for (const command of ['flows', 'tickets']) expect(employee).not.toContain(`**${tr(`commands.${command}`).split('|')[0]}**`);

    const agent = (await say(`help-agent-${locale}`, tr('commands.help').split('|')[0]!, true)).map(visibleText).join('\n');
    expect(agent).toContain(help);
    expect(agent).toContain(tr('help.commandPerson'));
    expect(agent).toContain(tr('help.commandAgent'));
  });

  it('"send <problem> to @user" with a typed @name (no Teams mention) says a real @mention is needed; a mention is used', async () => {
    const example = tr('agent.sendExample').replace(/\*\*/g, '');
    const typed = (await say(`send-typed-${locale}`, example, true)).map(visibleText).join('\n');
    expect(typed).toBe(tr('agent.needsMention', { example: tr('agent.sendExample') }));
    expect(typed).toContain('@');
    expect(typed).not.toBe(tr('agent.sendUsage'));

    // The same words with the user picked from Teams' list: a mention entity, which the bot uses.
    const name = /@(\S+)/.exec(example)![1]!;
    const activity = teamsMessage(connector.url, `send-mention-${locale}`, `${locale}-XX`, {
      text: example.replace(`@${name}`, `<at>${name}</at>`),
    });
    activity.from = AGENT;
    activity.entities = [{ type: 'mention', mentioned: { id: '29:never-chatted', name }, text: `<at>${name}</at>` }];
    expect((await post(`${url}/api/messages`, activity)).status).toBe(200);
    const replies = connector.received.filter((a) => a.conversationId === `send-mention-${locale}`);
    expect(replies.map(visibleText).join('\n')).toBe(tr('agent.unreachable', { user: name }));
  });

  it('"forget @user" with a typed @name says a real @mention is needed', async () => {
    const example = tr('agent.forgetExample').replace(/\*\*/g, '');
    const typed = (await say(`forget-typed-${locale}`, example, true)).map(visibleText).join('\n');
    expect(typed).toBe(tr('agent.needsMention', { example: tr('agent.forgetExample') }));
  });

  it('an agent gets a welcome of their own, an employee the employee welcome', async () => {
    const added = (conversation: string, who: { id: string; name: string }): Partial<Activity> => ({
      ...teamsMessage(connector.url, conversation, `${locale}-XX`, {}),
      type: 'conversationUpdate',
      from: who,
      membersAdded: [who],
    });
    expect((await post(`${url}/api/messages`, added(`welcome-agent-${locale}`, AGENT))).status).toBe(200);
    const agent = repliesIn(`welcome-agent-${locale}`).map(visibleText).join('\n');
    expect(agent).toContain(tr('welcome.agentTitle'));
    expect(agent).not.toContain(tr('welcome.body'));
    expect((await post(`${url}/api/messages`, added(`welcome-user-${locale}`, { id: '29:user-1', name: 'Ana García' }))).status).toBe(200);
    const employee = repliesIn(`welcome-user-${locale}`).map(visibleText).join('\n');
    expect(employee).toContain(tr('welcome.title'));
    expect(employee).not.toContain(tr('welcome.agentTitle'));
  });

  it('an agent flow picked from flows infers the error from the symptom; the hybrid route applies; the agent is told the ticket waits in the channel', async () => {
    const conversation = `flows-${locale}`;
    const menu = (await say(conversation, tr('commands.flows').split('|')[0]!, true)).find(has('choose-symptom'));
    const asked: string[] = [];
    let replies = await say(
      conversation,
      buttonData(menu, (d) => d.symptom === 'accountnotonboarded'),
      true,
    );
    replies = await answerAll(conversation, replies, true, { 'mdm-authority': 'configmgr' }, asked);
    expect(asked).not.toContain('error-message');
    expect(asked).toContain('mdm-authority');
    const card = visibleText(replies.find(has('outcome')));
    const k = 'knowledge:causes.accountnotonboarded.apns-problem.steps';
    expect(card).toContain(`1. ${tr(`${k}.renew-hybrid`)}`);
    expect(card).not.toContain(tr(`${k}.renew-standalone`));

    replies = await say(
      conversation,
      buttonData(replies.find(has('outcome')), (d) => d.outcome === 'person'),
      true,
    );
    if (replies.some(has('person')))
      replies = await say(
        conversation,
        buttonData(replies.find(has('person')), () => true),
        true,
      );
    replies = await say(
      conversation,
      buttonData(replies.find(has('skip')), () => true),
      true,
    );
    replies = await answerAll(conversation, replies, true);
    const done = replies.map(visibleText).join('\n');
    const id = /IOS-\d+/.exec(done)![0];
    expect(done).toBe(tr('escalation.createdForAgent', { id }));
    const ticket = (await app.runtime.escalation.tickets.get(id))!;
    expect(ticket.record.answers['error-message']).toMatchObject({ value: 'AccountNotOnboarded', source: 'inferred' });
  });

  it('an agent asking for a person straight away is told the ticket waits in the channel, not that someone will contact them', async () => {
    const conversation = `agent-person-${locale}`;
    let replies = await say(conversation, tr('commands.person').split('|')[0]!, true);
    replies = await say(
      conversation,
      buttonData(replies.find(has('person')), () => true),
      true,
    );
    replies = await say(
      conversation,
      buttonData(replies.find(has('skip')), () => true),
      true,
    );
    replies = await answerAll(conversation, replies, true);
    const done = replies.map(visibleText).join('\n');
    expect(done).toBe(tr('escalation.createdForAgent', { id: /IOS-\d+/.exec(done)![0] }));
  });

  it('a yes in another language the bot speaks is a yes at "hand this over?"', async () => {
    const conversation = `foreign-yes-${locale}`;
    expect((await say(conversation, tr('commands.person').split('|')[0]!)).map(visibleText).join('\n')).toContain(
      tr('escalation.confirmTitle'),
    );
    expect(visibleText((await say(conversation, FOREIGN_YES[locale]!))[0])).toContain(tr('escalation.describe'));
  });

  it('the re-ask at a cause card and the "changed your mind" line name the command as the button says it', async () => {
    const conversation = `reask-${locale}`;
    const card = (await say(conversation, 'Device Cap Reached')).find(has('outcome'));
    const person = buttons(card).find((b) => (b.data as { outcome?: string } | undefined)?.outcome === 'person')?.title;
    const label = person ?? tr('cause.person');
    const reask = (await say(conversation, 'zzz qqq')).map(visibleText).join('\n');
    expect(reask).toContain(`**${label.toLowerCase()}**`);
    expect(tr('person.declined')).toContain(`**${label.toLowerCase()}**`);
    expect(tr('help.commandPerson')).toContain(`**${label.toLowerCase()}**`);
  });

  it('a related symptom\'s cause keeps "What you see" as what the user sees', async () => {
    const conversation = `related-${locale}`;
    let replies = await say(conversation, 'Company Portal Temporarily Unavailable');
    replies = await say(
      conversation,
      buttonData(replies.find(has('outcome')), (d) => d.outcome === 'not-fixed'),
    );
    const card = visibleText(
      replies.find((a) => buttons(a).some((b) => (b.data as { symptom?: string })?.symptom === 'device-cap-reached')),
    );
    expect(card).toContain(tr('knowledge:symptoms.device-cap-reached.title'));
    expect(card).toContain(`${tr('cause.seenLabel')}\n${tr('knowledge:symptoms.company-portal-unavailable.seen')}`);
  });
});
