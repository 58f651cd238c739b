import {
  causeCard,
  didYouMeanCard,
  helpCard,
  menuCard,
  offerPersonCard,
  pickSymptomCard,
  questionCard,
  ratingCard,
  startFlowCard,
  welcomeCard,
} from '../cards';
import { cardToText } from '../cards/text';
import { ticketCard } from '../cards/ticket';
import { sampleTicket } from '../cards/samples';
import { loadCatalog } from '../src/core/knowledge/catalog';
import { supportedLocales, translator } from '../src/core/knowledge/locales';
import { cardIssues } from './helpers/cards';

const catalog = loadCatalog();

/** Every card the bot can send, in one locale. */
function allCards(locale: string): [string, unknown][] {
  const t = translator(locale);
  const cards: [string, unknown][] = [
    ['welcome', welcomeCard(t)],
    ['help', helpCard(t)],
    ['did-you-mean', didYouMeanCard(t, ['network-error', 'server-connection-failed'])],
    ['menu', menuCard(t)],
    ['rating', ratingCard(t, 'r1')],
    ['offer', offerPersonCard(t, 'r1')],
    ['pick symptom (messaging extension)', pickSymptomCard(t)],
    ['start flow (messaging extension)', startFlowCard(t, 'device-cap-reached')],
  ];
  const ticket = sampleTicket();
  const agent = { id: '29:a', name: 'Marco' };
  cards.push(['ticket open', ticketCard(t, ticket)]);
  cards.push(['ticket assigned', ticketCard(t, { ...ticket, status: 'assigned', assignee: agent })]);
  cards.push([
    'ticket resolved',
    ticketCard(t, { ...ticket, status: 'resolved', assignee: agent, resolution: { note: 'Done', by: agent, at: '2026-01-01T00:00:00Z' } }),
  ]);
  catalog.questions.forEach((q, i) => cards.push([`question ${q.id}`, questionCard(t, q, i + 1, 8, 'r1')]));
  for (const s of catalog.symptoms) {
    s.causes.forEach((c, i) =>
      cards.push([
        `cause ${s.id}/${c.id}`,
        causeCard(t, { symptom: s.id, cause: c.id, position: i + 1, total: s.causes.length, record: 'r1', locale }),
      ]),
    );
    s.causes.forEach((c, i) =>
      cards.push([
        `cause ${s.id}/${c.id} (agent)`,
        causeCard(t, { symptom: s.id, cause: c.id, position: i + 1, total: s.causes.length, record: 'r1', locale, role: 'agent' }),
      ]),
    );
  }
  return cards;
}

describe.each(supportedLocales())('cards in %s', (locale) => {
  it('parse and validate with the adaptivecards library, schema 1.5, nothing left unbound', () => {
    const cards = allCards(locale);
    expect(cards.length).toBe(8 + 3 + 8 + 19 * 2);
    for (const [name, card] of cards) {
      expect({ name, version: (card as { version: string }).version }).toEqual({ name, version: '1.5' });
      expect({ name, ...cardIssues(card) }).toEqual({ name, parse: [], validation: [], unbound: [] });
    }
  });

  it('show a cause with what the user sees, numbered steps, warnings, links and the three outcome buttons', () => {
    const t = translator(locale);
    const card = causeCard(t, { symptom: 'network-error', cause: 'ios-problem', position: 1, total: 1, record: 'r1', locale });
    const { text, buttons } = cardToText(card);
    expect(text).toContain(t('knowledge:symptoms.network-error.seen'));
    expect(text).toContain(`1. ${t('knowledge:causes.network-error.ios-problem.steps.backup')}`);
    expect(text).toContain(`3. ${t('knowledge:causes.network-error.ios-problem.steps.reenroll')}`);
    expect(text).toContain(t('knowledge:causes.network-error.ios-problem.warnings.restore-erases'));
    const urls = buttons.filter((b) => b.url).map((b) => b.url);
    expect(urls).toContain('https://support.apple.com/HT201263');
    // The current article has no section for this error any more: its top.
    expect(urls.some((u) => u!.includes(`/${catalog.article.locales[locale]}/`) && u!.endsWith('troubleshoot-ios-enrollment-errors'))).toBe(
      true,
    );
    expect(buttons.filter((b) => b.data).map((b) => (b.data as { outcome: string }).outcome)).toEqual(['fixed', 'not-fixed', 'person']);
  });

  it('bind user-looking text literally (no template evaluation of ${...} in data)', () => {
    const t = (key: string): string => (key === 'recognize.didYouMeanTitle' ? '${1+1} ${title}' : translator(locale)(key));
    const card = didYouMeanCard(t, ['network-error']);
    expect(cardToText(card).text).toContain('${1+1} ${title}');
  });
});

describe('expanded cards are reused, each user still gets their own record id', () => {
  it('the same cause card for two records: identical but for the id in every button; a card is never shared by reference', () => {
    const t = translator('it');
    const input = { symptom: 'device-cap-reached' as const, cause: 'too-many-devices', position: 1, total: 1, locale: 'it' };
    const first = causeCard(t, { ...input, record: 'rec-"one"' });
    const second = causeCard(t, { ...input, record: 'rec-two' });
    const ids = (card: unknown): string[] =>
      [...JSON.stringify(card).matchAll(/"record":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(ids(first).length).toBeGreaterThanOrEqual(3);
    expect(new Set(ids(first))).toEqual(new Set(['rec-"one"']));
    expect(new Set(ids(second))).toEqual(new Set(['rec-two']));
    expect(JSON.stringify(first).replaceAll('rec-\\"one\\"', 'rec-two')).toBe(JSON.stringify(second));
    (first.body as unknown[]).length = 0;
    expect(causeCard(t, { ...input, record: 'rec-two' })).toEqual(second);
    expect(JSON.stringify(second)).not.toContain('@@');
  });
});
