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
});
