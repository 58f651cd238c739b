import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { buttons, visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

/**
 * What employees typed instead of pressing, found by an exploratory tester (each group names its finding): the
 * conversation through the real bot, router, dialogs and cards, in the language it was found in and the others.
 */

type Replies = Partial<Activity>[];
const text = (r: Replies): string => r.map(visibleText).join('\n');
const isCauseCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => typeof (b.data as { cause?: unknown } | undefined)?.cause === 'string');
const question = (r: Replies): string | undefined =>
  r
    .flatMap((a) => buttons(a))
    .map((b) => b.data as { action?: string; question?: string } | undefined)
    .find((d) => d?.action === 'answer')?.question;

async function tickets(convo: Conversation): Promise<number> {
  return (await convo.bot.services.escalation.tickets.list(() => true)).length;
}

/** A symptom whose only cause is one only IT can fix: its card offers the handoff and nothing to try. */
const IT_ONLY: Record<string, string> = {
  en: 'User License Type Invalid',
  es: 'Tipo de licencia de usuario no válido',
  it: 'Tipo di licenza utente non valido',
};

describe('F10/F13: at a card whose only action is "Send it to IT now", typing agrees to the handoff', () => {
  it.each([
    ['en', 'send it to IT now'],
    ['en', 'send it'],
    ['en', 'ok'],
    ['en', 'yes please'],
    ['en', 'please send it to IT'],
    ['es', 'enviarlo a TI ahora'],
    ['es', 'envíalo a TI'],
    ['es', 'vale, envíalo'],
    ['es', 'si por favor'],
    ['it', "invia subito all'IT"],
    ['it', "mandalo all'IT"],
    ['it', 'ok mandalo'],
    ['it', 'sì grazie'],
    ['it', 'va bene'],
  ])('%s "%s" starts the handoff, never "fixed"', async (locale, typed) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    const card = (await convo.send(IT_ONLY[locale]!)).find(isCauseCard);
    expect(buttons(card).map((b) => b.title)[0]).toBe(t('cause.handoff'));
    const r = await convo.send(typed);
    expect(text(r)).toContain(t('escalation.describe'));
    expect(text(r)).not.toContain(t('outcome.fixed'));
  });

  it.each(['en', 'es', 'it'])(
    '%s: an unclear reply re-asks about the handoff; "no" moves on; bye says IT was not contacted',
    async (locale) => {
      const t = translator(locale);
      const unclear = { en: 'what does that mean? can I fix it myself?', es: '¿y eso qué significa?', it: "perche? io la licenza ce l'ho" }[
        locale
      ]!;
      const convo = new Conversation(`${locale}-XX`);
      await convo.send(IT_ONLY[locale]!);
      expect(text(await convo.send(unclear))).toBe(t('cause.reaskHandoff'));
      const bye = { en: 'bye', es: 'gracias', it: 'grazie' }[locale]!;
      expect(text(await convo.send(bye))).toBe(t('cause.notSent'));
      expect(await tickets(convo)).toBe(0);
      const other = new Conversation(`${locale}-XX`);
      await other.send(IT_ONLY[locale]!);
      const r = await other.send({ en: "no, didn't help", es: 'no', it: 'no' }[locale]!);
      // The last (only) cause: the honest offer of a person, not "glad it's fixed".
      expect(text(r)).toContain(t('cause.lastFixFailed'));
      expect(text(r)).not.toContain(t('outcome.fixed'));
    },
  );

  it.each([
    ['en', "Didn't help"],
    ['es', 'No ha servido'],
    ['it', 'Non è servito'],
  ])('%s: a button label typed at an ordinary card acts as that button ("%s")', async (locale, label) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(t('knowledge:symptoms.workplace-join-failed.seen'));
    expect(text(await convo.send(label))).toContain(t('cause.lastFixFailed'));
    const fixed = new Conversation(`${locale}-XX`);
    await fixed.send(t('knowledge:symptoms.workplace-join-failed.seen'));
    // The same words without the negation are the other button.
    expect(text(await fixed.send(t('cause.fixed')))).toContain(t('outcome.fixed'));
  });
});

describe('F2/F6: a common word of the language is never a typo of a command', () => {
  it.each([
    ['es', 'listo ya funciona!!'],
    ['es', 'listo'],
  ])('%s "%s" after a fix is fixed, not the help command', async (locale, typed) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send('Device Cap Reached');
    const r = await convo.send(typed);
    expect(text(r)).toContain(t('outcome.fixed'));
    expect(text(r)).not.toContain(t('help.title'));
  });

  it.each([
    ['it', 'cancella'],
    ['it', 'devo davvero cancellare tutto?'],
    ['es', 'es mi celular personal'],
    ['en', 'personal'],
  ])('%s "%s" at a cause card neither cancels nor asks for a person', async (locale, typed) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(t('knowledge:symptoms.network-error.seen'));
    const r = await convo.send(typed);
    expect(text(r)).not.toContain(t('control.cancelled'));
    expect(text(r)).not.toContain(t('escalation.confirmTitle'));
  });
});

describe('F1/F12/F7: typed answers to how the device is enrolled', () => {
  /** The server-connection symptom asks it; the personal-device path has one cause more than the ADE path. */
  const SERVER: Record<string, string> = {
    en: "can't connect to the server",
    es: 'no se pudo conectar con el servidor',
    it: 'connessione al server non riuscita',
  };
  const progress = (r: Replies): string => visibleText(r.find(isCauseCard));

  it.each([
    ['es', 'personal', 'own'],
    ['es', 'es mi celular personal', 'own'],
    ['es', 'es mío', 'own'],
    ['es', 'me lo dio la empresa', 'company'],
    ['es', 'es de la empresa, nuevo de caja', 'company'],
    ['it', 'è il mio telefono personale', 'own'],
    ['it', 'aziendale', 'company'],
    ['en', "it's my personal phone", 'own'],
    ['en', "it's a company phone", 'company'],
    ['en', 'company owned', 'company'],
  ])('%s "%s" is the %s device', async (locale, typed, owner) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    expect(question(await convo.send(SERVER[locale]!))).toBe('enrollment-method');
    const r = await convo.send(typed);
    expect(text(r)).not.toContain(t('escalation.confirmTitle'));
    expect(progress(r)).toContain(t('cause.progress', { current: 1, total: owner === 'own' ? 5 : 4 }));
  });

  it('a reply that merely shares a word with an option ("Configuration Manager 2309") picks none: it is asked again', async () => {
    const convo = new Conversation('en-US');
    await convo.send(SERVER.en!);
    const r = await convo.send('Configuration Manager 2309');
    expect(r.some(isCauseCard)).toBe(false);
    expect(text(r)).toContain('Sorry');
  });
});
