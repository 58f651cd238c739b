import { Activity, MemoryStorage, Storage, TestAdapter } from 'botbuilder';
import { localEscalation } from '../../src/bot';
import { readConfig } from '../../src/bot/config';
import { GuardedConversationState, LightUserState } from '../../src/bot/state';
import { EnrollmentBot } from '../../src/bot/teamsBot';
import { SymptomRecognizer } from '../../src/core/nlu/recognizer';

let recognizer: SymptomRecognizer | undefined;
export const sharedRecognizer = (): SymptomRecognizer => (recognizer ??= SymptomRecognizer.load());

/** One user talking to the real bot (router, dialogs, cards, state) through botbuilder's TestAdapter. */
export class Conversation {
  readonly adapter: TestAdapter;
  readonly bot: EnrollmentBot;

  constructor(
    readonly locale = 'en-US',
    storage: Storage = new MemoryStorage(),
    env: NodeJS.ProcessEnv = {},
  ) {
    this.bot = new EnrollmentBot(
      new GuardedConversationState(storage),
      new LightUserState(storage),
      sharedRecognizer(),
      readConfig({ STORAGE: 'memory', ...env }),
      localEscalation(storage),
    );
    this.adapter = new TestAdapter(async (context) => this.bot.run(context));
  }

  /** Sends text or a card submit and returns every reply of that turn (typing indicators left out). */
  async send(input: string | Record<string, unknown>, extra: Partial<Activity> = {}): Promise<Partial<Activity>[]> {
    const activity: Partial<Activity> =
      typeof input === 'string'
        ? { type: 'message', text: input, locale: this.locale, ...extra }
        : { type: 'message', value: input, locale: this.locale, ...extra };
    await this.adapter.receiveActivity(activity);
    const replies: Partial<Activity>[] = [];
    while (this.adapter.activeQueue.length > 0) {
      const r = this.adapter.activeQueue.shift()!;
      if (r.type !== 'typing') replies.push(r);
    }
    return replies;
  }
}
