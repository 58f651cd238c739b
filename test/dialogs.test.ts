import { Activity, ConversationState, MemoryStorage, TurnContext, UserState } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { CauseDialog } from '../dialogs/causeDialog';
import { QuestionDialog } from '../dialogs/questionDialog';
import { QUESTION_LOOP_DIALOG, QuestionLoopDialog } from '../dialogs/questionLoopDialog';
import { ComponentDialog, Dialog } from '../dialogs/sdk';
import { TROUBLESHOOT_DIALOG, TroubleshootDialog } from '../dialogs/troubleshootDialog';
import { BotServices, ConversationData, UserProfile } from '../dialogs/turn';
import { causePlan, DiagnosticRecord, newRecord, prefill, Role } from '../src/core/diagnostics/record';
import { getSymptom, SymptomId } from '../src/core/knowledge/catalog';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, cardOf, visibleText } from './helpers/cards';
import { sharedRecognizer } from './helpers/harness';

const t = translator('en');

/** The case as the conversation holds it after the last turn (state is saved and read back every turn). */
let current: DiagnosticRecord | undefined;

/** A dialog under test with the dialogs it begins, and a case already in the conversation. */
function client(dialogs: Dialog[], initial: string, options: unknown, record: DiagnosticRecord): DialogTestClient {
  const conversationState = new ConversationState(new MemoryStorage());
  const conversationData = conversationState.createProperty<ConversationData>('conversationData');
  const services = {
    recognizer: sharedRecognizer(),
    conversationData,
    userProfile: new UserState(new MemoryStorage()).createProperty<UserProfile>('userProfile'),
  } as unknown as BotServices;
  const root = new (class extends ComponentDialog {
    constructor() {
      super('root');
      for (const d of dialogs) this.addDialog(typeof d === 'function' ? (d as (s: BotServices) => Dialog)(services) : d);
      this.initialDialogId = initial;
    }
  })();
  const seed = async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
    const data = await conversationData.get(context, {});
    data.record ??= record;
    await next();
    current = data.record;
  };
  return new DialogTestClient('msteams', root, options, [seed as never], conversationState);
}

/** A case as the main dialog starts it: the symptom recognized from the error the user pasted. */
function caseOf(symptom: SymptomId, role: Role = 'user'): DiagnosticRecord {
  const record = newRecord(role, 'en');
  prefill(record, getSymptom(symptom)!, {}, t(`knowledge:symptoms.${symptom}.seen`));
  return record;
}
const text = (a: Partial<Activity> | undefined): string => visibleText(a);
const replies = (c: DialogTestClient, first: Partial<Activity> | undefined): Partial<Activity>[] => {
  const out = first ? [first] : [];
  for (let r = c.getNextReply(); r; r = c.getNextReply()) out.push(r);
  return out;
};

describe('the question loop (DialogTestClient)', () => {
  // A helpdesk agent's case: agents are asked every prerequisite question (an employee only those that change the plan).
  const build = (record: DiagnosticRecord): DialogTestClient =>
    client(
      [((s: BotServices) => new QuestionLoopDialog(s)) as never, new QuestionDialog()],
      QUESTION_LOOP_DIALOG,
      { set: 'prerequisites' },
      record,
    );

  it('a typed answer is recorded and the next question comes', async () => {
    const record = caseOf('workplace-join-failed', 'agent');
    const c = build(record);
    let r = replies(c, await c.sendActivity('hi'));
    expect(text(r[0])).toContain(t('knowledge:questions.error-location.prompt'));
    r = replies(c, await c.sendActivity('in the company portal app'));
    expect(text(r[0])).toContain(t('knowledge:questions.started.prompt'));
    expect(current!.answers['error-location']).toMatchObject({ value: 'company-portal-app', source: 'question' });
  });

  it('a reply that fits no answer gets one line saying what is expected, and the question stays', async () => {
    const record = caseOf('workplace-join-failed', 'agent');
    const c = build(record);
    await c.sendActivity('hi');
    c.getNextReply();
    const r = replies(c, await c.sendActivity('purple elephant'));
    expect(r).toHaveLength(1);
    expect(cardOf(r[0])).toBeUndefined();
    for (const a of ['device-setup', 'company-portal-app', 'dontknow'])
      expect(text(r[0])).toContain(t(`knowledge:questions.error-location.answers.${a}`));
    expect(current!.answers['error-location']).toBeUndefined();
    // The re-asked question still takes an answer by number.
    const next = replies(c, await c.sendActivity('2'));
    expect(current!.answers['error-location']?.value).toBe('company-portal-app');
    expect(text(next[0])).toContain(t('knowledge:questions.started.prompt'));
  });

  it('a second miss records "don\'t know" with what was typed and moves on: never a loop', async () => {
    const record = caseOf('workplace-join-failed', 'agent');
    const c = build(record);
    await c.sendActivity('hi');
    c.getNextReply();
    await c.sendActivity('purple elephant');
    c.getNextReply();
    const r = replies(c, await c.sendActivity('banana'));
    expect(text(r[0])).toBe(t('questions.skipped'));
    expect(text(r[1])).toContain(t('knowledge:questions.started.prompt'));
    expect(current!.answers['error-location']).toMatchObject({ value: 'dontknow', raw: 'banana' });
  });

  it('ends when nothing is left to ask', async () => {
    const record = caseOf('ade-stuck-at-login', 'agent');
    const c = build(record);
    let r = replies(c, await c.sendActivity('hi'));
    for (let i = 0; i < 10 && c.dialogTurnResult.status !== DialogTurnStatus.complete; i++) {
      const card = r.find((a) => buttons(a).length > 0);
      r = replies(c, await c.sendActivity({ type: 'message', value: buttonData(card, (d) => d.answer === 'dontknow') }));
    }
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    expect(current!.answers['enrollment-method']?.value).toBe('ade');
    expect(current!.answers.platform?.value).toBe('dontknow');
  });
});

describe('the troubleshooting dialog (DialogTestClient)', () => {
  const build = (record: DiagnosticRecord): DialogTestClient =>
    client(
      [((s: BotServices) => new TroubleshootDialog(s)) as never, ((s: BotServices) => new CauseDialog(s)) as never],
      TROUBLESHOOT_DIALOG,
      undefined,
      record,
    );

  it('"that worked!" typed at the cause card ends it fixed, and the record says which cause fixed it', async () => {
    const record = caseOf('workplace-join-failed');
    const c = build(record);
    const card = await c.sendActivity('hi');
    expect(text(card)).toContain(t('knowledge:causes.workplace-join-failed.app-outdated.title'));
    await c.sendActivity('that worked!');
    expect(c.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: { outcome: 'fixed' } });
    expect(current!.attempts).toEqual([expect.objectContaining({ cause: 'app-outdated', outcome: 'fixed' })]);
    expect(current!.closedAt).toBeDefined();
  });

  it('"yes, but it still fails" is not fixed: the next cause comes', async () => {
    const record = caseOf('server-connection-failed');
    const [first, second] = causePlan('server-connection-failed', record);
    const c = build(record);
    await c.sendActivity('hi');
    const r = replies(c, await c.sendActivity('yes, but it still fails'));
    expect(text(r[0])).toBe(t('cause.nextCause'));
    expect(text(r[1])).toContain(t(`knowledge:causes.server-connection-failed.${second!.cause}.title`));
    expect(current!.attempts[0]).toMatchObject({ cause: first!.cause, outcome: 'not-fixed' });
  });

  it('not fixed on the last cause ends exhausted, without promising another one', async () => {
    const record = caseOf('workplace-join-failed');
    const c = build(record);
    await c.sendActivity('hi');
    const r = replies(c, await c.sendActivity("didn't help"));
    expect(r.map(text).join('\n')).not.toContain(t('cause.nextCause'));
    expect(c.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: { outcome: 'exhausted' } });
  });

  it('a stale button (another case, another cause) is named as such and the current card comes again', async () => {
    const record = caseOf('server-connection-failed');
    const [first] = causePlan('server-connection-failed', record);
    const c = build(record);
    const card = await c.sendActivity('hi');
    const stale = { ...buttonData(card, (d) => d.outcome === 'fixed'), cause: 'dns-cname' };
    const r = replies(c, await c.sendActivity({ type: 'message', value: stale }));
    expect(text(r[0])).toBe(t('cause.stale'));
    expect(text(r[1])).toContain(t(`knowledge:causes.server-connection-failed.${first!.cause}.title`));
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
    expect(current!.attempts).toEqual([expect.objectContaining({ cause: first!.cause, outcome: 'pending' })]);
    const old = { ...buttonData(card, (d) => d.outcome === 'fixed'), record: 'an-earlier-case' };
    expect(text(await c.sendActivity({ type: 'message', value: old }))).toBe(t('cause.stale'));
  });
});
