import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { ticketCard } from '../cards/ticket';
import { buttonData, buttons, visibleText } from './helpers/cards';
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
    '%s: a question re-asks about the handoff; then a plainer explanation; "didn\'t help" moves on; bye says IT was not contacted',
    async (locale) => {
      const t = translator(locale);
      const unclear = { en: 'what does that mean? can I fix it myself?', es: '¿y eso qué significa?', it: "perche? io la licenza ce l'ho" }[
        locale
      ]!;
      const convo = new Conversation(`${locale}-XX`);
      await convo.send(IT_ONLY[locale]!);
      expect(text(await convo.send(unclear))).toContain(t('cause.reaskHandoff'));
      // Still unclear: a plainer explanation (never the same line again), not "I couldn't tell whether that worked".
      const explained = text(await convo.send('hmm'));
      expect(explained).toContain(t('cause.explainHandoff'));
      expect(explained).not.toContain(t('cause.unclear'));
      const bye = { en: 'bye', es: 'gracias', it: 'grazie' }[locale]!;
      expect(text(await convo.send(bye))).toBe(t('cause.notSent'));
      expect(await tickets(convo)).toBe(0);
      const other = new Conversation(`${locale}-XX`);
      await other.send(IT_ONLY[locale]!);
      // "Didn't help" in so many words (a plain "no" declines the handoff: see test/causeCardReplies.test.ts).
      const r = await other.send({ en: "no, didn't help", es: 'no ha servido', it: 'non è servito' }[locale]!);
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
  it.each([['es', 'listo ya funciona!!']])('%s "%s" after a fix is fixed, not the help command', async (locale, typed) => {
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
    const asked = await convo.send(SERVER[locale]!);
    expect(question(asked)).toBe('enrollment-method');
    // Asked as an employee can answer it: whose device it is, not how IT enrolls devices.
    expect(text(asked)).toContain(t('questions.employee.enrollment-method.prompt'));
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

/** Two failed fixes' worth of conversation: the bot's own offer of a person after the last fix failed. */
const OFFERED: Record<string, string[]> = {
  en: ['Workplace Join failed', "didn't help"],
  es: ['la inscripcion ADE no empieza', 'no ha servido'],
  it: ['la registrazione ADE non parte', "non e' servito"],
};

describe('F9/F3: the offer of a person', () => {
  it.each([
    ['it', 'ok grazie lo stesso'],
    ['es', 'vale gracias'],
    ['es', 'no gracias'],
    ['en', 'thanks anyway'],
  ])('%s "%s" is a polite no: no description asked, no ticket', async (locale, typed) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    for (const line of OFFERED[locale]!) await convo.send(line);
    expect(text(await convo.send(typed))).toBe(t('person.declined'));
    expect(text(await convo.send({ it: 'ciao', es: 'adios', en: 'bye' }[locale]!))).not.toMatch(/IOS-\d+/);
    expect(await tickets(convo)).toBe(0);
  });

  it('it: "non ha funzionato" is not a no: the offer is asked again, and stays open', async () => {
    const t = translator('it');
    const convo = new Conversation('it-IT');
    for (const line of OFFERED.it!) await convo.send(line);
    expect(text(await convo.send('non ha funzionato'))).toBe(t('person.reask'));
    expect(text(await convo.send('boh, vediamo'))).toBe(t('person.reask'));
    expect(text(await convo.send('sì'))).toContain(t('escalation.describe'));
  });

  it('es: a recognisable symptom typed at the offer is troubleshot as a new description', async () => {
    const t = translator('es');
    const convo = new Conversation('es-ES');
    await convo.send('asdf');
    await convo.send('qwer');
    const r = await convo.send('mi ipad de la empresa se queda colgado despues de poner la contraseña');
    expect(text(r)).toContain(t('knowledge:symptoms.ade-stuck-at-login.title'));
    expect(r.some(isCauseCard)).toBe(true);
  });
});

describe('F8/F9/F14: the description before a ticket, and the facts asked for it', () => {
  it.each([
    ['es', 'quiero hablar con una persona', 'no me deja inscribirlo desde el lunes'],
    ['es', 'quiero hablar con una persona', 'no lo tengo claro, el error sale en ingles'],
    ['it', 'voglio parlare con un operatore', 'il mio ipad non si registra'],
  ])('%s: "%s" → yes → "%s" is the description, kept verbatim', async (locale, ask, description) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(ask);
    await convo.send('si');
    const r = await convo.send(description);
    expect(text(r)).not.toContain(t('escalation.skipped'));
    // The exact error is the one fact asked (the platform is inferred); then the ticket, with the description.
    expect(question(r)).toBe('error-message');
    const done = await convo.send(t('knowledge:questions.error-message.answers.dontknow'));
    const id = /IOS-\d+/.exec(text(done))![0];
    const ticket = await convo.bot.services.escalation.tickets.get(id);
    expect(ticket!.description).toBe(description);
    expect(ticket!.record.answers.platform).toMatchObject({ value: 'ios', source: 'inferred' });
  });

  it.each([
    ['es', 'adios', 'adios'],
    ['it', 'ciao', 'grazie'],
    ['en', 'bye', 'thanks'],
  ])('%s: a bare goodbye is asked again, a second one creates no ticket', async (locale, first, second) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send({ es: 'hablar con una persona', it: 'parlare con una persona', en: 'talk to a person' }[locale]!);
    expect(text(await convo.send({ es: 'sí', it: 'sì', en: 'yes' }[locale]!))).toContain(t('escalation.describe'));
    expect(text(await convo.send(first))).toBe(t('escalation.describeAgain'));
    expect(text(await convo.send(second))).toBe(t('escalation.notCreated'));
    expect(await tickets(convo)).toBe(0);
  });

  it('es: an extra "sí por favor" is not the description; "omitir" skips it', async () => {
    const t = translator('es');
    const convo = new Conversation('es-ES');
    await convo.send('Device Cap Reached');
    await convo.send('no ha servido');
    await convo.send('quiero hablar con una persona');
    expect(text(await convo.send('sí por favor'))).toBe(t('escalation.describeAgain'));
    const r = await convo.send('omitir');
    expect(text(r)).toContain(t('escalation.skipped'));
    // Device cap: no key fact changes anything for the employee's ticket, so none is asked.
    const id = /IOS-\d+/.exec(text(r))![0];
    const ticket = await convo.bot.services.escalation.tickets.get(id);
    expect(ticket).not.toHaveProperty('description');
    expect(ticket!.record.answers.platform).toMatchObject({ value: 'ios', source: 'inferred' });
  });
});

describe('F6: a question about a step keeps the card open and repeats its caution', () => {
  it.each([
    ['it', 'devo davvero cancellare tutto?'],
    ['it', 'ma così perdo le foto?'],
    ['it', 'come faccio il backup?'],
    ['es', 'y si no quiero borrar mi iphone?'],
    ['en', 'how do I back it up'],
  ])('%s "%s": the restore warning and the backup link, then the outcome is asked again', async (locale, typed) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(t('knowledge:symptoms.network-error.seen'));
    const r = await convo.send(typed);
    expect(text(r)).toContain(t('knowledge:causes.network-error.ios-problem.warnings.restore-erases'));
    expect(text(r)).toContain(t('knowledge:links.apple-restore'));
    expect(text(r)).toContain(t('cause.reask'));
    // The card is still waiting: the user can now say how it went.
    expect(text(await convo.send(t('cause.fixed')))).toContain(t('outcome.fixed'));
  });
});

describe('F7: an agent on Configuration Manager is asked its version; it goes on the ticket', () => {
  const HELPDESK = { HELPDESK_TEAM_ID: 'team-1' };
  const channel = {
    conversation: { id: 'ch-version', conversationType: 'channel', isGroup: true, name: 'helpdesk' },
    channelData: { team: { id: 'team-1' } },
    entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Bot' }, text: '<at>Bot</at>' }],
  } as Partial<Activity>;

  it.each(['en', 'es', 'it'])('%s', async (locale) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`, undefined, HELPDESK);
    let r = await convo.send('<at>Bot</at> Device Cap Reached', channel);
    for (let i = 0; i < 10 && question(r) && question(r) !== 'mdm-authority'; i++) {
      const q = question(r)!;
      r = await convo.send(
        buttonData(
          r.find((a) => question([a]) === q),
          (d) => d.answer === 'dontknow',
        ),
        channel,
      );
    }
    expect(question(r)).toBe('mdm-authority');
    r = await convo.send(
      buttonData(
        r.find((a) => question([a]) === 'mdm-authority'),
        (d) => d.answer === 'configmgr',
      ),
      channel,
    );
    expect(text(r)).toBe(t('questions.configmgrVersion'));
    r = await convo.send('2309', channel);
    for (let i = 0; i < 10 && question(r); i++) {
      const q = question(r)!;
      r = await convo.send(
        buttonData(
          r.find((a) => question([a]) === q),
          (d) => d.answer === 'dontknow',
        ),
        channel,
      );
    }
    const card = r.find(isCauseCard)!;
    r = await convo.send(
      buttonData(card, (d) => d.outcome === 'person'),
      channel,
    );
    r = await convo.send({ en: 'yes', es: 'sí', it: 'sì' }[locale]!, channel);
    r = await convo.send(t('escalation.skip'), channel);
    for (let i = 0; i < 5 && question(r); i++) {
      const q = question(r)!;
      r = await convo.send(
        buttonData(
          r.find((a) => question([a]) === q),
          (d) => d.answer === 'dontknow',
        ),
        channel,
      );
    }
    const id = /IOS-\d+/.exec(text(r))![0];
    const ticket = (await convo.bot.services.escalation.tickets.get(id))!;
    expect(ticket.record.answers['mdm-authority']).toMatchObject({ value: 'configmgr', raw: '2309' });
    expect(
      visibleText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: ticketCard(t, ticket) }] }),
    ).toContain(`${t('questions.configmgrVersionLabel')}: 2309`);
  });
});

describe("F21: another problem's error typed at a cause card is that problem", () => {
  const CASES: [string, string, string, string][] = [
    ['en', 'Device cap reached', 'actually it says User Name Not Recognized', 'user-name-not-recognized'],
    ['es', 'Device Cap Reached', 'perdona, me equivoqué, en realidad me sale Workplace Join failed', 'workplace-join-failed'],
    ['it', 'numero massimo dispositivi raggiunto', 'no aspetta, il messaggio è AccountNotOnboarded', 'accountnotonboarded'],
  ];
  it.each(CASES)('%s: "%s", then "%s"', async (locale, first, correction, symptom) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    expect((await convo.send(first)).some(isCauseCard)).toBe(true);
    const r = await convo.send(correction);
    expect(text(r)).toContain(t(`knowledge:symptoms.${symptom}.title`));
    expect(text(r)).not.toContain(t('outcome.fixed'));
    expect(text(r)).not.toContain(t('cause.lastFixFailed'));
  });
});

describe('round 2: what is typed just before the ticket, and "se queda colgado"', () => {
  const TAKEN_BACK: [string, string, string][] = [
    ['en', 'Device cap reached', "don't send it"],
    ['en', 'Device cap reached', 'it works now'],
    ['es', 'Device Cap Reached', 'no lo envíes'],
    ['es', 'Device Cap Reached', 'ah espera, ya funciona'],
    ['it', 'Numero massimo dispositivi raggiunto', 'no grazie, non inviare'],
    ['it', 'Numero massimo dispositivi raggiunto', 'ora funziona'],
  ];
  it.each(TAKEN_BACK)('%s: %s, a person, yes, then at the description prompt "%s": no ticket', async (locale, first, takenBack) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(first);
    await convo.send(t('commands.person').split('|')[0]!);
    expect(text(await convo.send({ en: 'yes', es: 'sí', it: 'sì' }[locale]!))).toContain(t('escalation.describe'));
    const before = await tickets(convo);
    const r = await convo.send(takenBack);
    expect(text(r)).toContain(t('escalation.notCreated'));
    expect(await tickets(convo)).toBe(before);
  });

  it('es: "se queda cargando" at a cause card is still failing, never fixed', async () => {
    const t = translator('es');
    const convo = new Conversation('es-ES');
    expect((await convo.send('Workplace Join failed')).some(isCauseCard)).toBe(true);
    const r = await convo.send('se queda cargando');
    expect(text(r)).not.toContain(t('outcome.fixed'));
  });
});

describe('round 2: a bare "ok" or "wait" at a cause card', () => {
  const START: Record<string, string> = { en: 'Device cap reached', es: 'Device Cap Reached', it: 'Numero massimo dispositivi raggiunto' };
  it.each([
    ['en', 'ok', 'yes'],
    ['es', 'vale', 'sí'],
    ['es', 'listo', 'sí'],
    ['it', 'ok', 'sì'],
  ])('%s: "%s" is asked about first; "%s" to that question is fixed', async (locale, ack, yes) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(START[locale]!);
    const asked = await convo.send(ack);
    expect(text(asked)).toBe(t('cause.reask'));
    expect(text(await convo.send(yes))).toContain(t('outcome.fixed'));
  });

  it.each([
    ['en', 'hold on'],
    ['es', 'espera un momento'],
    ['it', 'aspetta'],
  ])('%s: "%s" keeps the card: neither the next cause nor the last-fix offer', async (locale, wait) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(START[locale]!);
    const r = await convo.send(wait);
    expect(text(r)).not.toContain(t('cause.lastFixFailed'));
    expect(r.some(isCauseCard)).toBe(false);
  });
});

describe('round 2: "send it" typed at a card that has the handoff button beside its steps', () => {
  it.each([
    ['es', 'Device Cap Reached', 'envíalo a TI'],
    ['es', 'Device Cap Reached', 'mandalo a TI'],
    ['it', 'Numero massimo dispositivi raggiunto', 'ok mandalo'],
    ['en', 'Device cap reached', 'send it to IT'],
  ])('%s: %s, then "%s" is the handoff, never fixed', async (locale, first, send) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    const card = await convo.send(first);
    expect(card.some(isCauseCard)).toBe(true);
    const r = await convo.send(send);
    expect(text(r)).not.toContain(t('outcome.fixed'));
    expect(text(r)).toContain(t('escalation.describe'));
  });
});

describe('round 2: "it works now" at the offer of a person', () => {
  it.each([
    ['es', 'Device Cap Reached', 'no ha servido', 'ya funciona'],
    ['it', 'Numero massimo dispositivi raggiunto', 'non è servito', 'ora funziona'],
    ['en', 'Device cap reached', "didn't help", 'it works now'],
  ])('%s: %s, "%s", then "%s" is fixed: the rating, no handoff', async (locale, first, failed, works) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(first);
    expect(text(await convo.send(failed))).toContain(t('cause.lastFixFailed'));
    const r = await convo.send(works);
    expect(text(r)).toContain(t('outcome.fixed'));
    expect(text(r)).not.toContain(t('escalation.describe'));
  });
});

describe('commands said the way people say them, at a question card', () => {
  /** A symptom that asks how the device is enrolled before its causes: the reply lands at a question card. */
  const ASKS: Record<string, string> = {
    en: "can't connect to the server",
    es: 'no se pudo conectar con el servidor',
    it: 'connessione al server non riuscita',
  };
  const CASES: [string, string, 'control.cancelled' | 'control.restarted' | 'escalation.confirmTitle'][] = [
    ['en', "stop, I'll do it later", 'control.cancelled'],
    ['en', 'quit, I changed my mind', 'control.cancelled'],
    ['en', 'go back to the first question', 'control.restarted'],
    ['en', 'who can I talk to?', 'escalation.confirmTitle'],
    ['en', 'can IT call me by phone?', 'escalation.confirmTitle'],
    ['es', 'para, lo hago luego', 'control.cancelled'],
    ['es', 'déjalo, no tengo tiempo ahora', 'control.cancelled'],
    ['es', 'regresa a la primera pregunta', 'control.restarted'],
    ['es', '¿me pueden atender por teléfono?', 'escalation.confirmTitle'],
    ['es', '¿con quién puedo hablar?', 'escalation.confirmTitle'],
    ['it', 'ho cambiato idea, annulla', 'control.cancelled'],
    ['it', 'fine', 'control.cancelled'],
    ['it', 'ritorna alla prima domanda', 'control.restarted'],
    ['it', 'con chi posso parlare?', 'escalation.confirmTitle'],
    ['it', 'mi potete chiamare al telefono?', 'escalation.confirmTitle'],
  ];

  it.each(CASES)('%s "%s" is %s, and no ticket is made without asking', async (locale, typed, key) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    expect(question(await convo.send(ASKS[locale]!))).toBeDefined();
    const r = await convo.send(typed);
    expect(text(r)).toContain(t(key));
    expect(await tickets(convo)).toBe(0);
  });

  it.each([
    ['en', 'fine'],
    ['it', 'alla fine'],
    ['it', 'a fine mese'],
    ['it', 'cancella'],
    ['es', 'lo hago luego'],
  ])('%s "%s" at a question card neither cancels, restarts nor offers a person', async (locale, typed) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    expect(question(await convo.send(ASKS[locale]!))).toBeDefined();
    const r = await convo.send(typed);
    for (const key of ['control.cancelled', 'control.restarted', 'escalation.confirmTitle']) expect(text(r)).not.toContain(t(key));
  });
});

describe('round 3: asking why, or "let me try", never stops the case; polite openers are greeted', () => {
  const ASKED: Record<string, string> = {
    en: 'Could not connect to the server',
    es: 'No se pudo conectar al servidor',
    it: 'connessione al server non riuscita',
  };
  const CAP: Record<string, string> = { en: 'Device cap reached', es: 'Device Cap Reached', it: 'Numero massimo dispositivi raggiunto' };
  it.each([
    ['it', 'perché me lo chiedi?'],
    ['it', 'me lo chiedi perché?'],
    ['it', 'perche lo chiedi'],
    ['es', '¿por qué me lo preguntas?'],
    ['en', 'why do you ask?'],
  ])('%s: "%s" at a question keeps the question open', async (locale, why) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    const first = await convo.send(ASKED[locale]!);
    const asked = question(first);
    expect(asked).toBeDefined();
    const r = await convo.send(why);
    expect(text(r)).not.toContain(t('control.cancelled'));
    expect(question(r) ?? question(first)).toBe(asked);
  });

  it.each([
    ['it', 'perché me lo chiedi?'],
    ['it', 'lascia che provi'],
    ['es', 'déjame intentarlo'],
    ['en', 'let me try that'],
  ])('%s: "%s" at a cause card keeps the card', async (locale, reply) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    expect((await convo.send(CAP[locale]!)).some(isCauseCard)).toBe(true);
    const r = await convo.send(reply);
    expect(text(r)).not.toContain(t('control.cancelled'));
    expect(text(r)).not.toContain(t('cause.lastFixFailed'));
  });

  it.each([
    ['es', 'buenas tardes, disculpe la molestia'],
    ['es', 'hola buenas, tengo una consulta'],
    ['it', 'salve, avrei bisogno di una mano'],
    ['it', 'buongiorno, avrei una domanda'],
    ['en', 'hello, sorry to bother you, quick question'],
  ])('%s: "%s" is greeted, not told it was not understood', async (locale, opener) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    const r = text(await convo.send(opener));
    expect(r).toContain(t('smallTalk.hello'));
    expect(r).not.toContain(t('recognize.notUnderstood'));
  });
});
