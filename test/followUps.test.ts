import { Activity } from 'botbuilder';
import { ticketCard } from '../cards/ticket';
import { cardToText } from '../cards/text';
import { supportedLocales, translator } from '../src/core/knowledge/locales';
import { Ticket } from '../src/core/escalation/ticket';
import { readWorksNow } from '../src/core/replies/worksNow';
import { buttonData, buttons, cardIssues, visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

/**
 * The conversation after a case ends, found by an exploratory tester (each group names its finding): after "fixed"
 * (taking it back, a bare no, thanks), after "no" to a person (changing one's mind), after a ticket (asking about
 * it, still failing, the same problem again), and a language the bot does not speak. Through the real bot, router,
 * dialogs and cards, in every language.
 */

type Replies = Partial<Activity>[];
const text = (r: Replies): string => r.map(visibleText).join('\n');
const isCauseCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => typeof (b.data as { cause?: unknown } | undefined)?.cause === 'string');
const LOCALES = ['en', 'es', 'it'];

const START: Record<string, string> = { en: 'Device cap reached', es: 'Device Cap Reached', it: 'Numero massimo dispositivi raggiunto' };
const FIXED: Record<string, string> = { en: 'fixed', es: 'ya funciona', it: 'risolto' };
const FAILED: Record<string, string> = { en: 'didnt help', es: 'no ha servido', it: 'non è servito' };
const SKIP: Record<string, string> = { en: 'skip', es: 'omitir', it: 'salta' };

async function allTickets(convo: Conversation): Promise<Ticket[]> {
  return convo.bot.services.escalation.tickets.list(() => true);
}

/** The device cap, handed to IT from its card ("Send it to IT now" pressed), no description: one ticket. */
async function ticketed(locale: string): Promise<{ convo: Conversation; ticket: Ticket }> {
  const convo = new Conversation(`${locale}-XX`);
  const card = (await convo.send(START[locale]!)).find(isCauseCard);
  await convo.send(buttonData(card, (d) => d.action === 'person'));
  const done = await convo.send(SKIP[locale]!);
  expect(text(done)).toMatch(/IOS-\d{8}/);
  const [ticket] = await allTickets(convo);
  return { convo, ticket: ticket! };
}

describe('N4: after "fixed", taking it back reopens the same symptom where it was', () => {
  it.each([
    ['es', 'no, espera, sigue sin funcionar'],
    ['it', 'no scusa, non funziona ancora'],
    ['en', 'actually it still fails'],
  ])(
    '%s: at the rating card "%s": the last fix failed, a person is offered; the ticket says it was reported fixed first',
    async (locale, takeBack) => {
      const t = translator(locale);
      const convo = new Conversation(`${locale}-XX`);
      await convo.send(START[locale]!);
      expect(text(await convo.send(FIXED[locale]!))).toContain(t('outcome.fixed'));
      const r = await convo.send(takeBack);
      expect(text(r)).toContain(t('outcome.reopened'));
      expect(text(r)).toContain(t('cause.lastFixFailed'));
      expect(text(r)).not.toContain(t('recognize.notUnderstood'));
      expect(text(await convo.send({ en: 'yes', es: 'sí', it: 'sì' }[locale]!))).toContain(t('escalation.describe'));
      await convo.send(SKIP[locale]!);
      const [ticket] = await allTickets(convo);
      const attempt = ticket!.record.attempts.find((a) => a.cause === 'too-many-devices' || a.symptom === 'device-cap-reached')!;
      expect(attempt.outcome).toBe('not-fixed');
      expect(attempt.reportedFixedAt).toBeDefined();
      const card = ticketCard(translator('en'), ticket!);
      expect(cardIssues(card)).toEqual({ parse: [], validation: [], unbound: [] });
      const at = `${attempt.reportedFixedAt!.replace('T', ' ').slice(0, 16)} UTC`;
      expect(cardToText(card).text).toContain(translator('en')('ticket.reportedFixedFirst', { at }));
    },
  );

  it('en: with another cause left, taking it back shows that cause (2 of 2), even once the rating is given', async () => {
    const t = translator('en');
    const convo = new Conversation('en-US');
    await convo.send('Company Portal temporarily unavailable');
    await convo.send('that fixed it');
    expect(text(await convo.send('4 stars'))).toContain(t('outcome.rated'));
    const r = await convo.send('actually it still fails');
    expect(text(r)).toContain(t('outcome.reopened'));
    const card = r.find(isCauseCard);
    expect(visibleText(card)).toContain(t('cause.progress', { current: 2, total: 2 }));
  });

  it.each(['my printer still does not work', 'User Name Not Recognized'])(
    'en: at the rating card "%s" is something else: the case is not reopened',
    async (other) => {
      const t = translator('en');
      const convo = new Conversation('en-US');
      await convo.send(START.en!);
      await convo.send(FIXED.en!);
      const r = await convo.send(other);
      expect(text(r)).not.toContain(t('outcome.reopened'));
      expect(text(r)).not.toContain(t('cause.lastFixFailed'));
    },
  );

  it.each(LOCALES)('%s: a bare "no" at the rating card skips the rating; it does not ask what the device shows', async (locale) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(START[locale]!);
    await convo.send(FIXED[locale]!);
    const r = await convo.send('no');
    expect(text(r)).toBe(t('outcome.noRating'));
  });
});

describe('N10: after a ticket, follow-ups about it', () => {
  const STILL: Record<string, string> = {
    en: "I removed another one and it's still the same",
    es: 'ya borré otro y sigue igual',
    it: 'non funziona ancora',
  };
  const NEWS: Record<string, string[]> = {
    en: ['any news?', 'how long will it take?'],
    es: ['¿hay novedades?', '¿cuánto va a tardar?'],
    it: ['novità?', 'quanto ci vuole?'],
  };
  it.each(LOCALES)(
    '%s: "still not working" goes on the ticket as a note the agent sees; asking for news says where the case is',
    async (locale) => {
      const t = translator(locale);
      const { convo, ticket } = await ticketed(locale);
      const noted = await convo.send(STILL[locale]!);
      expect(text(noted)).toBe(t('followUp.noted', { id: ticket.id }));
      const after = (await allTickets(convo))[0]!;
      expect(after.requesterNotes?.map((n) => n.text)).toEqual([STILL[locale]]);
      const card = ticketCard(translator('en'), after);
      expect(cardIssues(card)).toEqual({ parse: [], validation: [], unbound: [] });
      expect(cardToText(card).text).toContain(STILL[locale]!);
      for (const question of NEWS[locale]!) {
        const r = await convo.send(question);
        expect(text(r)).toBe(t('followUp.status', { id: ticket.id }));
      }
      expect(await allTickets(convo)).toHaveLength(1);
    },
  );

  it('es: "sigue sin funcionar" right after the ticket is a note, not a new problem', async () => {
    const t = translator('es');
    const { convo, ticket } = await ticketed('es');
    const r = await convo.send('sigue sin funcionar');
    expect(text(r)).toBe(t('followUp.noted', { id: ticket.id }));
    expect(text(r)).not.toContain(t('recognize.notUnderstood'));
  });

  it('en: once an agent takes it, asking for news names the agent', async () => {
    const t = translator('en');
    const { convo, ticket } = await ticketed('en');
    await convo.bot.services.escalation.assign(ticket.id, { id: '29:agent', name: 'Marta Ruiz' });
    expect(text(await convo.send('any news?'))).toBe(t('followUp.statusAssigned', { id: ticket.id, name: 'Marta Ruiz' }));
  });
});

describe('N16: the same problem described again while its ticket is open', () => {
  it.each(LOCALES)(
    '%s: told again, then handed over again, also after "start over": still one ticket, the new words added to it',
    async (locale) => {
      const t = translator(locale);
      const { convo, ticket } = await ticketed(locale);
      expect(text(await convo.send(START[locale]!))).toBe(t('followUp.already', { id: ticket.id }));
      await convo.send(t('commands.restart').split('|')[0]!);
      expect(text(await convo.send(START[locale]!))).toBe(t('followUp.already', { id: ticket.id }));
      // Picked from the menu instead, after another start over, and sent to IT from its card: the same ticket.
      await convo.send(t('commands.restart').split('|')[0]!);
      const card = (await convo.send({ action: 'choose-symptom', symptom: 'device-cap-reached' })).find(isCauseCard);
      const r = await convo.send(buttonData(card, (d) => d.action === 'person'));
      expect(text(r)).toContain(ticket.id);
      expect(text(r)).not.toContain(t('escalation.describe'));
      expect(await allTickets(convo)).toHaveLength(1);
      expect((await allTickets(convo))[0]!.requesterNotes?.length).toBeGreaterThanOrEqual(2);
    },
  );

  it('en: a different problem gets its own ticket', async () => {
    const { convo } = await ticketed('en');
    const card = (await convo.send('User License Type Invalid')).find(isCauseCard);
    expect(card).toBeDefined();
    await convo.send(buttonData(card, (d) => d.action === 'person'));
    await convo.send('skip');
    expect(await allTickets(convo)).toHaveLength(2);
  });
});

describe("N11: changing one's mind right after declining the offer of a person", () => {
  it.each([
    ['es', 'no gracias', 'bueno sí, pásalo'],
    ['es', 'no gracias', 'si'],
    ['en', 'no', 'actually yes'],
    ['it', 'no', 'anzi sì'],
  ])('%s: "%s", then "%s" reopens the handoff at the description, with everything collected', async (locale, no, yes) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(START[locale]!);
    expect(text(await convo.send(FAILED[locale]!))).toContain(t('cause.lastFixFailed'));
    expect(text(await convo.send(no))).toBe(t('person.declined'));
    const r = await convo.send(yes);
    expect(text(r)).toContain(t('escalation.describe'));
    await convo.send(SKIP[locale]!);
    const [ticket] = await allTickets(convo);
    expect(ticket!.record.personRequested?.reason).toBe('all-causes-tried');
    expect(ticket!.record.attempts.map((a) => a.outcome)).toEqual(['not-fixed']);
  });

  it.each(LOCALES)('%s: asking for a person right after the decline needs no second confirmation', async (locale) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(START[locale]!);
    await convo.send(FAILED[locale]!);
    await convo.send({ en: 'no', es: 'no gracias', it: 'no' }[locale]!);
    const r = await convo.send(t('commands.person').split('|')[0]!);
    expect(text(r)).toContain(t('escalation.describe'));
    expect(text(r)).not.toContain(t('escalation.confirmTitle'));
  });

  it('en: anything else after the decline is read as a new message (thanks gets a friendly close, no ticket)', async () => {
    const t = translator('en');
    const convo = new Conversation('en-US');
    await convo.send(START.en!);
    await convo.send(FAILED.en!);
    await convo.send('no');
    expect(text(await convo.send('thanks'))).toBe(t('smallTalk.thanks'));
    expect(await allTickets(convo)).toHaveLength(0);
  });
});

describe('thanks at the rating card is a thanks, not a rating', () => {
  it.each([
    ['es', 'muchas gracias'],
    ['en', 'thanks a lot'],
    ['it', 'grazie mille'],
  ])('%s: "%s" gets the friendly close, and no rating is stored', async (locale, thanks) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(START[locale]!);
    await convo.send(FIXED[locale]!);
    expect(text(await convo.send(thanks))).toBe(t('outcome.welcome'));
  });

  it('en: "thanks, 5 stars" is still a rating', async () => {
    const convo = new Conversation('en-US');
    await convo.send(START.en!);
    await convo.send(FIXED.en!);
    expect(text(await convo.send('thanks, 5 stars'))).toContain(translator('en')('outcome.rated'));
  });
});

describe('a language the bot does not speak', () => {
  it.each([
    ['es', 'en français svp', 'francés'],
    ['es', 'deutsch bitte', 'alemán'],
    ['en', 'can you speak german?', 'German'],
    ['es', '¿hablas francés?', 'francés'],
    ['it', 'parli tedesco?', 'tedesco'],
  ])('%s: "%s" gets one line naming the languages it speaks and how to switch', async (locale, asked, name) => {
    const convo = new Conversation(`${locale}-XX`);
    const r = await convo.send(asked);
    expect(r).toHaveLength(1);
    expect(text(r)).toContain(name);
    // Every language folder, by its own switch word: nothing here lists them.
    for (const lng of supportedLocales()) expect(text(r)).toContain(translator(lng)('commands.language').split('|')[0]!);
  });

  it('es: asked at a cause card, the card keeps waiting for how the fix went', async () => {
    const t = translator('es');
    const convo = new Conversation('es-ES');
    await convo.send(START.es!);
    expect((await convo.send('deutsch bitte')).some(isCauseCard)).toBe(false);
    expect(text(await convo.send('ya funciona'))).toContain(t('outcome.fixed'));
  });

  it.each([
    ['en', 'my iphone is in french'],
    ['es', 'me sale en alemán'],
  ])('%s: "%s" describes the device; it is not a request', async (locale, said) => {
    const r = await new Conversation(`${locale}-XX`).send(said);
    expect(text(r)).not.toContain(translator(locale)('language.unsupported').split('{{')[0]!);
  });
});

describe('"it works now", one reader for the offer, the description and the requester\'s ticket', () => {
  it.each([
    ['en', 'it works now', true],
    ['en', 'it works, thanks', true],
    ['en', 'ah no, wait, it works now', true],
    ['en', 'ok thanks', false],
    ['en', 'perfect', false],
    ['en', 'thanks', false],
    ['es', 'ya funciona, gracias', true],
    ['es', 'vale gracias', false],
    ['es', 'sigue sin funcionar', false],
    ['it', 'funziona, grazie', true],
    ['it', 'ok grazie', false],
    ['it', 'non funziona ancora', false],
  ])('%s "%s": %s', (locale, said, works) => {
    expect(readWorksNow(said, locale)).toBe(works);
  });

  it('en: after the ticket, "it works, thanks" is noted on the ticket (the requester\'s rule used to reject it)', async () => {
    const t = translator('en');
    const { convo, ticket } = await ticketed('en');
    expect(text(await convo.send('it works, thanks'))).toBe(t('followUp.works', { id: ticket.id }));
    expect((await allTickets(convo))[0]!.requesterUpdate?.kind).toBe('works');
  });

  it('es: at the offer of a person, "no, espera, ya funciona" is fixed: the rating, no handoff', async () => {
    const t = translator('es');
    const convo = new Conversation('es-ES');
    await convo.send(START.es!);
    await convo.send(FAILED.es!);
    const r = await convo.send('no, espera, ya funciona');
    expect(text(r)).toContain(t('outcome.fixed'));
    expect(text(r)).not.toContain(t('person.declined'));
  });
});
