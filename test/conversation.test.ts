import { Activity, MemoryStorage } from 'botbuilder';
import { causePlan, DiagnosticRecord } from '../src/core/diagnostics/record';
import { loadCatalog } from '../src/core/knowledge/catalog';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, cardOf, visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

const catalog = loadCatalog();
type Replies = Partial<Activity>[];

const isCauseCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === 'outcome');
const isQuestionCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === 'answer');
const last = (r: Replies): Partial<Activity> => r[r.length - 1]!;

/** Answers "I don't know" to every question until a cause card arrives; returns the questions asked and the card. */
async function answerAllDontKnow(convo: Conversation, replies: Replies): Promise<{ asked: string[]; card: Partial<Activity> }> {
  const asked: string[] = [];
  for (let i = 0; i < 10; i++) {
    const card = replies.find(isCauseCard);
    if (card) return { asked, card };
    const q = replies.find(isQuestionCard);
    if (!q) throw new Error(`Neither a question nor a cause: ${replies.map(visibleText).join(' | ')}`);
    const data = buttonData(q, (d) => d.answer === 'dontknow');
    asked.push(String(data.question));
    replies = await convo.send(data);
  }
  throw new Error('Too many questions');
}

describe.each(['en', 'es', 'it'])('guided troubleshooting in %s', (locale) => {
  const t = translator(locale);

  it.each(catalog.symptoms.map((s) => s.id))('%s: recognition → questions → first cause card', async (symptomId) => {
    const convo = new Conversation(`${locale}-XX`);
    const seen = t(`knowledge:symptoms.${symptomId}.seen`);
    const replies = await convo.send(seen);
    expect(visibleText(replies[0])).toContain(t(`knowledge:symptoms.${symptomId}.title`));
    const { asked, card } = await answerAllDontKnow(convo, replies);
    // An end user is never asked the agent-only questions, nor the error already pasted.
    expect(asked).not.toContain('mdm-authority');
    expect(asked).not.toContain('users-affected');
    expect(asked).not.toContain('error-message');
    const symptom = catalog.symptoms.find((s) => s.id === symptomId)!;
    if (symptom.group === 'ade') expect(asked).not.toContain('enrollment-method');
    const first = symptom.causes[0]!;
    const text = visibleText(card);
    expect(text).toContain(t(`knowledge:causes.${symptomId}.${first.id}.title`));
    expect(text).toContain(
      `${first.steps.length}. ${t(`knowledge:causes.${symptomId}.${first.id}.steps.${first.steps[first.steps.length - 1]}`)}`,
    );
  });
});

describe('the cause walk', () => {
  it('"didn\'t help" walks all five causes of server-connection-failed, then offers a person', async () => {
    const convo = new Conversation('en-US');
    let { card } = await answerAllDontKnow(
      convo,
      await convo.send('Profile Installation Failed. Connection to the server could not be established.'),
    );
    const t = translator('en');
    const seenCauses: string[] = [];
    for (const step of causePlan('server-connection-failed')) {
      expect(visibleText(card)).toContain(t(`knowledge:causes.${step.symptom}.${step.cause}.title`));
      seenCauses.push(step.cause);
      const replies = await convo.send(buttonData(card, (d) => d.outcome === 'not-fixed'));
      card = replies.find(isCauseCard) ?? last(replies);
    }
    expect(seenCauses).toEqual(['corporate-only', 'dns-cname', 'previous-user', 'other-mdm', 'no-license']);
    expect(visibleText(card)).toContain(t('cause.allTried'));
    expect(buttons(card).map((b) => (b.data as { action: string }).action)).toEqual(['person', 'decline-person']);
  });

  it('Company Portal: after its own cause, moves on to the device limit', async () => {
    const convo = new Conversation('it-IT');
    const t = translator('it');
    const { card } = await answerAllDontKnow(convo, await convo.send('Company Portal Temporarily Unavailable'));
    const replies = await convo.send(buttonData(card, (d) => d.outcome === 'not-fixed'));
    expect(replies.map(visibleText).join('\n')).toContain(t('knowledge:symptoms.device-cap-reached.title'));
    expect(visibleText(replies.find(isCauseCard))).toContain(t('knowledge:causes.device-cap-reached.too-many-devices.title'));
  });

  it('"That fixed it" closes with a one-tap rating, which is recorded', async () => {
    const convo = new Conversation('es-ES');
    const t = translator('es');
    const { card } = await answerAllDontKnow(convo, await convo.send('Se alcanzó el límite de dispositivos'));
    const replies = await convo.send(buttonData(card, (d) => d.outcome === 'fixed'));
    expect(visibleText(last(replies))).toContain(t('outcome.rateTitle'));
    const thanks = await convo.send(buttonData(last(replies), (d) => d.rating === 5));
    expect(visibleText(thanks[0])).toContain(t('outcome.rated'));
  });

  it('skips what the first message already told (platform, ADE, scope)', async () => {
    const convo = new Conversation('en-US');
    const { asked } = await answerAllDontKnow(
      convo,
      await convo.send('our new iPhones from Apple Business Manager say Workplace Join failed, everyone has it'),
    );
    expect(asked).not.toContain('platform');
    expect(asked).not.toContain('enrollment-method');
    expect(asked).toEqual(['error-location', 'started', 'devices-affected']);
  });

  it('asks a helpdesk agent all eight questions except those already known', async () => {
    const convo = new Conversation('en-US', undefined, { HELPDESK_TEAM_ID: 'team-1' });
    const channel = {
      conversation: { id: 'channel-1', conversationType: 'channel', isGroup: true, name: 'helpdesk' },
      channelData: { team: { id: 'team-1' } },
      entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Bot' }, text: '<at>Bot</at>' }],
    } as Partial<Activity>;
    const replies = await convo.send('<at>Bot</at> user reports Device Cap Reached', channel);
    const asked: string[] = [];
    let r = replies;
    for (let i = 0; i < 10 && !r.some(isCauseCard); i++) {
      const data = buttonData(r.find(isQuestionCard), (d) => d.answer === 'dontknow');
      asked.push(String(data.question));
      r = await convo.send(data, { conversation: channel.conversation!, channelData: channel.channelData });
    }
    expect(asked).toEqual([
      'error-location',
      'started',
      'platform',
      'users-affected',
      'devices-affected',
      'mdm-authority',
      'enrollment-method',
    ]);
  });

  it('an agent starting a flow by command is asked all eight questions', async () => {
    const convo = new Conversation('en-US', undefined, { HELPDESK_TEAM_ID: 'team-1' });
    const channel = {
      conversation: { id: 'channel-2', conversationType: 'channel', isGroup: true, name: 'helpdesk' },
      channelData: { team: { id: 'team-1' } },
    } as Partial<Activity>;
    const mention = { entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Bot' }, text: '<at>Bot</at>' }] } as Partial<Activity>;
    let r = await convo.send('<at>Bot</at> start device cap reached', { ...channel, ...mention });
    const asked: string[] = [];
    for (let i = 0; i < 10 && !r.some(isCauseCard); i++) {
      const data = buttonData(r.find(isQuestionCard), (d) => d.answer === 'dontknow');
      asked.push(String(data.question));
      r = await convo.send(data, channel);
    }
    expect(asked).toEqual(catalog.questions.map((q) => q.id));
    expect(visibleText(r.find(isCauseCard))).toContain(translator('en')('knowledge:causes.device-cap-reached.too-many-devices.title'));
  });

  it("the welcome card comes when the bot is installed, in the user's language, with example buttons that work", async () => {
    const convo = new Conversation('it-IT');
    await convo.adapter.receiveActivity({ type: 'conversationUpdate', locale: 'it-IT', membersAdded: [{ id: 'bot', name: 'Bot' }] });
    const welcome = convo.adapter.activeQueue.splice(0).find((a) => a.type === 'message');
    expect(visibleText(welcome)).toContain(translator('it')('welcome.title'));
    const example = buttonData(welcome, (d) => d.action === 'say');
    const r = await convo.send(example);
    expect(visibleText(r[0])).toContain(translator('it')('knowledge:symptoms.device-cap-reached.title'));
  });

  it('"did you mean…?" offers the close candidates and "something else"; picking one starts its flow', async () => {
    const convo = new Conversation('en-US');
    const t = translator('en');
    const r = await convo.send('Profile Installation Failed');
    const card = last(r);
    expect(visibleText(card)).toContain(t('recognize.didYouMeanTitle'));
    const offered = buttons(card).map(
      (b) => (b.data as { symptom?: string; action: string }).symptom ?? (b.data as { action: string }).action,
    );
    expect(offered).toEqual(expect.arrayContaining(['network-error', 'server-connection-failed', 'payload-mismatch', 'something-else']));
    const next = await convo.send(buttonData(card, (d) => d.symptom === 'payload-mismatch'));
    expect(visibleText(next[0])).toContain(t('knowledge:symptoms.payload-mismatch.title'));
    const other2 = new Conversation('en-US');
    const again = await other2.send('Profile Installation Failed');
    const other = await other2.send(buttonData(last(again), (d) => d.action === 'something-else'));
    expect(visibleText(other[0])).toBe(t('recognize.describeAgain'));
  });

  it('in a channel, ignores messages that do not mention the bot', async () => {
    const convo = new Conversation('en-US');
    const replies = await convo.send('Device Cap Reached', {
      conversation: { id: 'ch', conversationType: 'channel', isGroup: true, name: 'x' },
    } as Partial<Activity>);
    expect(replies).toEqual([]);
  });
});

describe('questions', () => {
  it('accepts typed answers, re-prompts once on a misfit, then moves on', async () => {
    const convo = new Conversation('en-US');
    const t = translator('en');
    let r = await convo.send('my iphone says Workplace Join failed');
    expect(visibleText(r.find(isQuestionCard))).toContain(t('knowledge:questions.error-location.prompt'));
    r = await convo.send('in the company portal app');
    expect(visibleText(r.find(isQuestionCard))).toContain(t('knowledge:questions.started.prompt'));
    r = await convo.send('purple elephant');
    expect(visibleText(r[0])).toContain(t('questions.reprompt'));
    expect(visibleText(r.find(isQuestionCard))).toContain(t('knowledge:questions.started.prompt'));
    r = await convo.send('banana');
    expect(visibleText(r[0])).toContain(t('questions.skipped'));
    expect(visibleText(r.find(isQuestionCard))).toContain(t('knowledge:questions.devices-affected.prompt'));
  });
});

describe('interruptions at any step, in every language', () => {
  it('help shows the commands and asks the current question again', async () => {
    const convo = new Conversation('es-ES');
    const t = translator('es');
    await convo.send('Workplace Join failed');
    const r = await convo.send('ayuda');
    expect(visibleText(r[0])).toContain(t('help.title'));
    expect(visibleText(last(r))).toContain(t('knowledge:questions.error-location.prompt'));
  });

  it('switching language mid-question re-asks in the new language and sticks', async () => {
    const convo = new Conversation('en-US');
    await convo.send('Workplace Join failed');
    const r = await convo.send('italiano');
    const it = translator('it');
    expect(visibleText(r[0])).toBe(it('language.switched'));
    expect(visibleText(last(r))).toContain(it('knowledge:questions.error-location.prompt'));
    const next = await convo.send(buttonData(last(r), (d) => d.answer === 'dontknow'));
    expect(visibleText(next.find(isQuestionCard))).toContain(it('knowledge:questions.started.prompt'));
  });

  it('cancel, start over and talk to a person work in the middle of a flow', async () => {
    const convo = new Conversation('it-IT');
    const t = translator('it');
    await convo.send('Workplace Join failed');
    expect(visibleText((await convo.send('annulla'))[0])).toBe(t('control.cancelled'));
    expect(visibleText((await convo.send('annulla'))[0])).toBe(t('control.nothingToCancel'));
    await convo.send('Workplace Join failed');
    expect(visibleText((await convo.send('ricomincia'))[0])).toContain(t('control.restarted'));
    await convo.send('Workplace Join failed');
    expect(visibleText((await convo.send('voglio parlare con una persona'))[0])).toContain(t('escalation.confirmTitle'));
  });
});

describe('bad input', () => {
  it('an unsupported locale gets English', async () => {
    const convo = new Conversation('fr-FR');
    const r = await convo.send('Device Cap Reached');
    expect(visibleText(r[0])).toContain(translator('en')('knowledge:symptoms.device-cap-reached.title'));
  });

  it('empty text and emoji only get a clear answer', async () => {
    const convo = new Conversation('en-US');
    expect(visibleText((await convo.send(''))[0])).toBe(translator('en')('recognize.emptyMessage'));
    const r = await convo.send('🙂🙂');
    expect(visibleText(r[0])).toBe(translator('en')('recognize.notUnderstood'));
    expect(cardOf(last(r))).toBeDefined();
  });

  it('a 10 000-character message is handled', async () => {
    const convo = new Conversation('en-US');
    const r = await convo.send(`Device Cap Reached ${'x'.repeat(10_000)}`);
    expect(r.map(visibleText).join('\n')).toContain(translator('en')('knowledge:symptoms.device-cap-reached.title'));
  });

  it('unknown card data and submits with missing fields get a clear answer', async () => {
    const convo = new Conversation('en-US');
    const t = translator('en');
    expect(visibleText((await convo.send({ action: 'launch-rockets' }))[0])).toContain(t('errors.unknownAction'));
    expect(visibleText((await convo.send({ action: 'choose-symptom' }))[0])).toBe(t('errors.missingFields'));
    expect(visibleText((await convo.send({ action: 'rate', rating: 'lots' }))[0])).toBe(t('errors.missingFields'));
    expect(visibleText((await convo.send({ nothing: true }))[0])).toContain(t('errors.unknownAction'));
  });

  it('a button from an old card after the dialog moved on is recognized as stale', async () => {
    const convo = new Conversation('en-US');
    const t = translator('en');
    const first = await convo.send('Workplace Join failed');
    const oldAnswer = buttonData(first.find(isQuestionCard), (d) => d.answer === 'dontknow');
    const second = await convo.send(oldAnswer);
    expect(visibleText(second.find(isQuestionCard))).toContain(t('knowledge:questions.started.prompt'));
    const r = await convo.send(oldAnswer);
    expect(visibleText(r[0])).toBe(t('cause.stale'));
    expect(visibleText(last(r))).toContain(t('knowledge:questions.started.prompt'));
  });
});

describe('a conversation saved by an earlier version of the bot', () => {
  it('whose dialogs this version does not have starts afresh on the next message, keeping the answers given', async () => {
    const storage = new (class extends MemoryStorage {
      keys = (): string[] => Object.keys(this.memory);
    })();
    const convo = new Conversation('es-ES', storage);
    const t = translator('es');
    let replies = await convo.send('Workplace Join failed');
    const oldCard = replies.find(isQuestionCard);
    replies = await convo.send(buttonData(oldCard, (d) => d.answer === 'company-portal-app'));
    replies = await convo.send(buttonData(replies.find(isQuestionCard), (d) => d.answer === 'never-worked'));
    // What the previous version stored: the whole flow inside one component dialog "main".
    const key = storage.keys().find((k) => k.includes('/conversations/'))!;
    const saved = (await storage.read([key]))[key] as { dialogState: { dialogStack: unknown[] } };
    saved.dialogState.dialogStack = [{ id: 'main', state: { dialogs: { dialogStack: saved.dialogState.dialogStack } } }];
    await storage.write({ [key]: { ...saved, eTag: '*' } });

    // A button of a card shown before the update: the user is told, and the card is recognized as old.
    replies = await convo.send(buttonData(oldCard, (d) => d.answer === 'dontknow'));
    expect(visibleText(replies[0])).toBe(t('control.updated'));
    expect(visibleText(replies[1])).toContain(t('cause.stale'));
    // Describing the problem again starts a new case, which does not ask again when it started.
    replies = await convo.send('Workplace Join failed');
    const { asked } = await answerAllDontKnow(convo, replies);
    expect(asked).not.toContain('started');
    const record = ((await storage.read([key]))[key] as { conversationData: { record: DiagnosticRecord } }).conversationData.record;
    expect(record.answers.started).toMatchObject({ value: 'never-worked', source: 'conversation' });
  });
});

describe('escalation in the conversation', () => {
  it('asks to confirm, takes a description, asks only the missing key facts, then gives the ticket id', async () => {
    const convo = new Conversation('es-ES');
    const t = translator('es');
    let r = await convo.send('hablar con una persona');
    expect(visibleText(r[0])).toContain(t('escalation.confirmTitle'));
    r = await convo.send('sí');
    expect(visibleText(r[0])).toContain(t('escalation.describe'));
    r = await convo.send('Lo he intentado tres veces desde el iPad de mi hija');
    // Nothing was recognized yet: the exact error, the platform and the enrollment method are missing.
    expect(visibleText(r.find(isQuestionCard))).toContain(t('knowledge:questions.error-message.prompt'));
    r = await convo.send('No sé, algo de perfil');
    expect(visibleText(r.find(isQuestionCard))).toContain(t('knowledge:questions.platform.prompt'));
    r = await convo.send(buttonData(r.find(isQuestionCard), (d) => d.answer === 'ios'));
    r = await convo.send(buttonData(r.find(isQuestionCard), (d) => d.answer === 'company-portal'));
    const id = /IOS-\d+/.exec(visibleText(r[0]))![0];
    const ticket = await convo.bot.services.escalation.tickets.get(id);
    expect(ticket).toMatchObject({
      status: 'open',
      description: 'Lo he intentado tres veces desde el iPad de mi hija',
      requester: { locale: 'es' },
    });
    expect(ticket!.record.answers.platform!.value).toBe('ios');
    expect(ticket!.record.personRequested!.reason).toBe('asked');
    expect(ticket!.transcript.some((e) => e.from === 'user' && e.text === 'hablar con una persona')).toBe(true);
    // Asking again for the same problem does not open a second ticket.
    expect(visibleText((await convo.send('hablar con una persona'))[0])).toContain(id);
  });

  it('after every cause failed, "talk to a person" on the offer skips the confirmation and asks nothing twice', async () => {
    const convo = new Conversation('en-US');
    let { card } = await answerAllDontKnow(convo, await convo.send('my iPhone says Workplace Join failed'));
    let r = await convo.send(buttonData(card, (d) => d.outcome === 'not-fixed'));
    card = last(r);
    r = await convo.send(buttonData(card, (d) => d.action === 'person'));
    expect(visibleText(r[0])).toContain(translator('en')('escalation.describe'));
    r = await convo.send(buttonData(r[0], (d) => d.action === 'skip'));
    const id = /IOS-\d+/.exec(visibleText(r[0]))![0];
    const ticket = await convo.bot.services.escalation.tickets.get(id);
    expect(ticket!.record.symptom).toBe('workplace-join-failed');
    expect(ticket!.record.personRequested!.reason).toBe('all-causes-tried');
    expect(ticket!.record.attempts).toEqual([expect.objectContaining({ cause: 'app-outdated', outcome: 'not-fixed' })]);
    expect(ticket).not.toHaveProperty('description');
  });

  it('two misunderstood messages in a row offer a person', async () => {
    const convo = new Conversation('it-IT');
    await convo.send('qwerty asdf');
    const r = await convo.send('zxcv uiop');
    const offer = r.find((a) => buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === 'person'));
    expect(visibleText(offer)).toContain(translator('it')('recognize.stillNotUnderstood'));
  });
});
