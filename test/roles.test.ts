/**
 * Who is asking, through the real HTTP entry point: an employee and a helpdesk agent (a member of the helpdesk team)
 * get what fits them, in every language.
 */
import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { visibleText } from './helpers/cards';
import { FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';

const TEAM = '19:helpdesk-team@thread.tacv2';

describe.each(['en', 'es', 'it'])('employee and agent views over HTTP, in %s', (locale) => {
  const connector = new FakeConnector();
  const tr = translator(locale);
  let app: Awaited<ReturnType<typeof startApp>>['app'];
  let url: string;

  beforeAll(async () => {
    await connector.start();
    ({ app, url } = await startApp({ HELPDESK_TEAM_ID: TEAM }));
  });
  afterAll(async () => {
    await stopApp(app);
    await connector.stop();
  });

  /** Sends one message as an employee, or as an agent (writing from the helpdesk team), and returns the replies. */
  const say = async (conversation: string, text: string, agent = false): Promise<Partial<Activity>[]> => {
    const activity = teamsMessage(connector.url, conversation, `${locale}-XX`, { text });
    if (agent) activity.channelData = { tenant: { id: 'tenant-1' }, team: { id: TEAM } };
    expect((await post(`${url}/api/messages`, activity)).status).toBe(200);
    const mine = connector.received.filter((a) => a.conversationId === conversation);
    for (const a of mine) connector.received.splice(connector.received.indexOf(a), 1);
    return mine;
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
    activity.channelData = { tenant: { id: 'tenant-1' }, team: { id: TEAM } };
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
});
