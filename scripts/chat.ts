/**
 * npm run chat -- --locale es [--agent]
 * Talks to the same bot, router, dialogs and cards in the terminal: cards as readable text, buttons as numbered
 * choices (type the number). State lives in memory for this session. Commands work as in Teams (help, español…).
 * Without --agent you are an employee; with it, a member of the helpdesk team: all eight questions, every step with
 * the admin links, and the agent commands (flows, start …, tickets, forget @user; send … to @user says that it
 * needs Teams: there is no other user's chat here).
 */
import * as readline from 'readline';
import {
  Activity,
  BotAdapter,
  ConversationReference,
  ConversationState,
  MemoryStorage,
  ResourceResponse,
  TurnContext,
  UserState,
} from 'botbuilder';
import { cardToText, TextButton } from '../cards/text';
import { readConfig } from '../src/bot/config';
import { localEscalation } from '../src/bot';
import { PersonalData } from '../src/bot/personalData';
import { EnrollmentBot } from '../src/bot/teamsBot';
import { Retention } from '../src/core/retention';
import { supportedLocales } from '../src/core/knowledge/locales';
import { SymptomRecognizer } from '../src/core/nlu/recognizer';

/** A minimal Bot Framework adapter whose "channel" is this terminal. */
class TerminalAdapter extends BotAdapter {
  buttons: TextButton[] = [];

  constructor(private readonly write: (s: string) => void) {
    super();
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const a of activities) {
      if (a.type !== 'message') continue;
      if (a.text) this.write(`\nbot> ${a.text}\n`);
      for (const att of a.attachments ?? []) {
        const { text, buttons } = cardToText(att.content);
        this.write(
          `\n${text
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n')}\n`,
        );
        const submit = buttons.filter((b) => b.data !== undefined);
        for (const b of buttons.filter((x) => x.url)) this.write(`  🔗 ${b.title}: ${b.url}\n`);
        const offset = this.buttons.length;
        submit.forEach((b, i) => this.write(`  [${offset + i + 1}] ${b.title}\n`));
        this.buttons.push(...submit);
      }
    }
    return activities.map((_, i) => ({ id: String(Date.now() + i) }));
  }

  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(_ref: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    void logic;
  }

  async process(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    this.buttons = [];
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }
}

/**
 * What Teams sends for a mention, simulated: each "@name" typed in the terminal becomes `<at>name</at>` with a mention
 * entity for a made-up user (id "terminal-user-<name>"), so "send device cap reached to @Ana" and "forget @Ana" work.
 */
function withMentions(line: string): Partial<Activity> {
  const entities: { type: 'mention'; mentioned: { id: string; name: string }; text: string }[] = [];
  const text = line.replace(/(^|\s)@([\p{L}\p{N}._-]+)/gu, (_m, before: string, name: string) => {
    entities.push({ type: 'mention', mentioned: { id: `terminal-user-${name.toLowerCase()}`, name }, text: `<at>${name}</at>` });
    return `${before}<at>${name}</at>`;
  });
  return entities.length ? { text, entities } : { text: line };
}

/** The helpdesk team id of the terminal chat with --agent. */
const TERMINAL_TEAM = 'terminal-helpdesk';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--locale');
  const locale = i >= 0 ? (args[i + 1] ?? 'en') : 'en';
  if (!supportedLocales().includes(locale.split('-')[0]!.toLowerCase())) {
    process.stderr.write(`chat: unsupported locale "${locale}": use one of ${supportedLocales().join(', ')}\n`);
    process.exit(2);
  }
  const agent = args.includes('--agent');
  const storage = new MemoryStorage();
  // An agent is whoever writes from the helpdesk team: this terminal's conversation says it belongs to that team.
  const config = readConfig({ STORAGE: 'memory', ...(agent ? { HELPDESK_TEAM_ID: TERMINAL_TEAM } : {}) });
  const escalation = localEscalation(storage);
  // "forget @Ana" deletes what this session keeps about that user (their state, their tickets), as in Teams.
  const personalData = new PersonalData(new Retention(storage, escalation.tickets, { days: config.retentionDays }), undefined);
  const bot = new EnrollmentBot(
    new ConversationState(storage),
    new UserState(storage),
    SymptomRecognizer.load(),
    config,
    escalation,
    undefined,
    undefined,
    personalData,
  );
  const adapter = new TerminalAdapter((s) => process.stdout.write(s));
  adapter.onTurnError = async (context, error) => {
    process.stderr.write(`error: ${error.message}\n`);
    await context.sendActivity('Something went wrong; try again.');
  };
  const base: Partial<Activity> = {
    channelId: 'terminal',
    serviceUrl: 'http://localhost/terminal',
    conversation: { id: `terminal-${process.pid}`, isGroup: false, conversationType: 'personal', name: 'terminal' },
    from: { id: 'user', name: 'You' },
    recipient: { id: 'bot', name: 'Intune enrollment bot' },
    locale,
    ...(agent ? { channelData: { team: { id: TERMINAL_TEAM } } } : {}),
  };
  process.stdout.write(
    agent
      ? '(you are a helpdesk agent; @name stands for a Teams @mention of a made-up user)\n'
      : '(you are an employee; --agent for the helpdesk view)\n',
  );
  const run = (a: Partial<Activity>): Promise<void> =>
    adapter.process({ ...base, id: String(Date.now()), timestamp: new Date(), ...a }, (c) => bot.run(c));
  await run({ type: 'conversationUpdate', membersAdded: [{ id: 'bot', name: 'bot' }] });
  process.stdout.write('\n(type a message, a button number, or Ctrl+D to quit)\n');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: '\nyou> ' });
  rl.prompt();
  for await (const line of rl) {
    const n = Number.parseInt(line.trim(), 10);
    const button = String(n) === line.trim() ? adapter.buttons[n - 1] : undefined;
    await run(button ? { type: 'message', value: button.data } : { type: 'message', ...withMentions(line) });
    rl.prompt();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`chat: ${(err as Error).message}\n`);
  process.exit(1);
});
