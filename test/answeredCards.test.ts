import { Activity } from 'botbuilder';
import { answeredCard } from '../cards/answered';
import { CardAction } from '../cards/actions';
import { cardToText } from '../cards/text';
import { DONT_KNOW, loadCatalog } from '../src/core/knowledge/catalog';
import { translator } from '../src/core/knowledge/locales';
import { App } from '../src/server/app';
import { buttonData, buttons, cardIssues, cardOf, visibleText } from './helpers/cards';
import { eventually, FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';

type Sent = Partial<Activity> & { conversationId?: string; activityId?: string };
const en = translator('en');

describe('employee cards whose button was answered are updated in place (over HTTP)', () => {
  const connector = new FakeConnector();
  let app: App;
  let url: string;

  beforeAll(() => connector.start());
  afterAll(() => connector.stop());
  beforeEach(async () => {
    connector.received.splice(0);
    connector.updated.splice(0);
    ({ app, url } = await startApp({}));
  });
  afterEach(() => stopApp(app));

  /** One message in a 1:1 chat (a press names the card it was on, as Teams does with replyToId): the bot's replies. */
  async function say(conversation: string, payload: { text?: string; value?: unknown; replyToId?: string }): Promise<Sent[]> {
    const res = await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, 'en-US', payload));
    expect(res.status).toBe(200);
    return connector.takeFrom(conversation);
  }
  const questionCard = (replies: Sent[]): Sent | undefined =>
    replies.find((a) => buttons(a).some((b) => (b.data as { action?: string })?.action === 'answer'));

  it('a pressed question card becomes "✓ <answer>" without buttons; pressing the old card again is answered as stale', async () => {
    const conv = 'conv-answered';
    const first = questionCard(await say(conv, { text: en('knowledge:symptoms.server-connection-failed.seen') }));
    expect(first).toBeDefined();
    const data = buttonData(first, (d) => d.action === 'answer' && d.answer !== 'dontknow');
    const question = data.question as string;
    const label = en(`knowledge:questions.${question}.answers.${data.answer as string}`);

    await say(conv, { value: data, replyToId: first!.activityId });
    const update = await eventually(() => connector.updated.find((u) => u.activityId === first!.activityId));
    expect(update.conversationId).toBe(conv);
    const card = cardOf(update)!;
    expect(cardIssues(card)).toEqual({ parse: [], validation: [], unbound: [] });
    expect(cardToText(card).buttons).toEqual([]);
    expect(cardToText(card).text).toContain(`✓ ${label}`);
    expect(cardToText(card).text).toContain(en(`knowledge:questions.${question}.prompt`));
    expect(connector.updated).toHaveLength(1);

    // A client still showing the old card: the press is named as stale, and that card is not rewritten again.
    const again = await say(conv, { value: data, replyToId: first!.activityId });
    expect(again.map((a) => visibleText(a)).join('\n')).toContain(en('cause.stale'));
    expect(connector.updated).toHaveLength(1);
  });

  it('a typed answer changes no card; a card the Bot Connector will not update leaves the turn answered', async () => {
    const conv = 'conv-answered-typed';
    const first = questionCard(await say(conv, { text: en('knowledge:symptoms.server-connection-failed.seen') }));
    const data = buttonData(first, (d) => d.action === 'answer' && d.answer === 'dontknow');
    await say(conv, { text: en(`knowledge:questions.${data.question as string}.answers.dontknow`) });
    expect(connector.updated).toEqual([]);

    const next = questionCard(await say('conv-answered-refused', { text: en('knowledge:symptoms.server-connection-failed.seen') }));
    connector.failUpdates = { status: 400, count: 1 };
    const replies = await say('conv-answered-refused', {
      value: buttonData(next, (d) => d.action === 'answer' && d.answer !== 'dontknow'),
      replyToId: next!.activityId,
    });
    expect(connector.failUpdates.count).toBe(0);
    expect(connector.updated).toEqual([]);
    // The conversation went on (the next question or a cause), not the generic error.
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.map((a) => visibleText(a)).join('\n')).not.toContain(en('control.recovered'));
    expect(replies.map((a) => visibleText(a)).join('\n')).not.toContain(en('cause.stale'));
  });
});

describe('the answered version of every employee card', () => {
  const catalog = loadCatalog();
  const presses: CardAction[] = [
    ...catalog.questions.flatMap((q) =>
      [...q.answers, DONT_KNOW].map((answer) => ({ action: 'answer' as const, question: q.id, answer, record: 'r' })),
    ),
    ...catalog.symptoms.flatMap((s) =>
      s.causes.flatMap((c) =>
        (['fixed', 'not-fixed', 'person'] as const).map((outcome) => ({
          action: 'outcome' as const,
          outcome,
          symptom: s.id,
          cause: c.id,
          record: 'r',
        })),
      ),
    ),
    ...catalog.symptoms.map((s) => ({ action: 'choose-symptom' as const, symptom: s.id })),
    { action: 'something-else' },
    ...[1, 2, 3, 4, 5].map((rating) => ({ action: 'rate' as const, rating, record: 'r' })),
    { action: 'person', record: 'r' },
    { action: 'person', record: 'r', symptom: 'device-cap-reached', cause: 'x' },
    { action: 'decline-person', record: 'r' },
    { action: 'skip' },
  ];

  it.each(['en', 'es', 'it'])('in %s: valid, without buttons, and says what was chosen in words (no missing text)', (lng) => {
    const t = translator(lng);
    for (const press of presses) {
      const card = answeredCard(t, press);
      expect(card).toBeDefined();
      expect(cardIssues(card)).toEqual({ parse: [], validation: [], unbound: [] });
      const { text, buttons: pressable } = cardToText(card);
      expect(pressable).toEqual([]);
      expect(text).toMatch(/✓ \S/);
      expect(text).not.toMatch(/knowledge:|\b(cause|causes|questions|symptoms|outcome|recognize|escalation)\.[a-z]/);
    }
  });

  it('a forged press naming nothing in the catalog, and buttons that start something new, leave their card as it is', () => {
    const t = translator('en');
    const kept: CardAction[] = [
      { action: 'answer', question: 'platform', answer: '<b>forged</b>', record: 'r' },
      { action: 'answer', question: 'no-such-question', answer: DONT_KNOW, record: 'r' },
      { action: 'outcome', outcome: 'fixed', symptom: 'device-cap-reached', cause: 'no-such-cause', record: 'r' },
      { action: 'choose-symptom', symptom: 'no-such-symptom' },
      { action: 'say', text: 'hello' },
      { action: 'menu' },
      { action: 'escalate' },
    ];
    for (const press of kept) expect(answeredCard(t, press)).toBeUndefined();
  });
});
