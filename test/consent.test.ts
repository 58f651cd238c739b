/**
 * No ticket without consent, and no consent lost (exploratory round 3: R3-00, R3-1a, R3-2, R3-3, R3-10), through the
 * real HTTP entry point, in English, Spanish and Italian: a yes to a person is a yes, never "glad it works"; taking it
 * back at the note makes no ticket; "send it as it is" and "nothing more, thanks" send it without a note; an error
 * typed in the note is not asked again.
 */
import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { buttons, visibleText } from './helpers/cards';
import { FakeConnector, installInTeam, post, startApp, stopApp, teamsMessage } from './helpers/http';

const TEAM = '19:helpdesk-team@thread.tacv2';

type Replies = Partial<Activity>[];
const text = (r: Replies): string => r.map(visibleText).join('\n');
const isRating = (r: Replies): boolean =>
  r.some((a) => buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === 'rate'));
const question = (r: Replies): string | undefined =>
  r
    .flatMap((a) => buttons(a))
    .map((b) => b.data as { action?: string; question?: string } | undefined)
    .find((d) => d?.action === 'answer')?.question;

/** Per language: a failed fix that ends at the bot's offer of a person, asking for one, a symptom only IT can fix. */
const START: Record<string, { failed: string[]; person: string; itOnly: string; yes: string }> = {
  en: { failed: ['workplace join failed', "didn't help"], person: 'talk to a person', itOnly: 'user license type invalid', yes: 'yes' },
  es: {
    failed: ['workplace join failed', 'no ha servido'],
    person: 'quiero hablar con una persona',
    itOnly: 'tipo de licencia no valido',
    yes: 'si',
  },
  it: {
    failed: ['workplace join non riuscito', 'non è servito'],
    person: 'voglio parlare con una persona',
    itOnly: 'tipo di licenza utente non valido',
    yes: 'sì',
  },
};

/** A yes to the offer of a person, as people type it: a yes with "send it", "please", "that works" or thanks. */
const YES: [string, string][] = [
  ['en', 'yes, that works'],
  ['en', 'ok send it'],
  ['en', 'that works for me, thanks'],
  ['es', 'si, por fa'],
  ['es', 'si por fa'],
  ['es', 'gracias, si'],
  ['es', 'vale, mandalo'],
  ['it', 'va bene, invialo'],
  ['it', 'ok invialo pure'],
  ['it', 'grazie, volentieri'],
  ['it', 'va bene grazie'],
  ['it', 'invialo'],
];

/** Taking the yes back at "Anything to add for the helpdesk?". */
const TAKEN_BACK: [string, string][] = [
  ['en', 'no wait'],
  ['en', 'on second thought, no'],
  ['es', 'cambie de opinion'],
  ['es', 'no espera'],
  ['es', 'pensándolo mejor, no'],
  ['it', 'aspetta, no, ci ho ripensato'],
  ['it', 'ci ho ripensato'],
  ['it', 'no aspetta'],
];

/** "No note, send it" at that prompt, in one reply or two. */
const NO_NOTE: [string, string[]][] = [
  ['en', ['just send it']],
  ['en', ['nothing else, thanks']],
  ['en', ['yes', 'send it as is']],
  ['es', ['envialo asi']],
  ['es', ['nada más, gracias']],
  ['es', ['gracias']],
  ['es', ['vale, mandalo', 'nada mas, gracias']],
  ['es', ['si', 'si']],
  ['it', ['no niente, grazie']],
  ['it', ['niente altro grazie']],
  ['it', ['invialo così']],
  ['it', ['sì', 'mandalo pure']],
];

/** A note that names the exact error, and one that says the user doesn't know it. */
const NOTES: Record<string, { error: string; symptom: string; dontKnow: string }> = {
  en: { error: 'Device Cap Reached on my ipad', symptom: 'device-cap-reached', dontKnow: "I don't know what it says, just error" },
  es: {
    error: 'me sale Device Cap Reached cuando intento inscribir el ipad',
    symptom: 'device-cap-reached',
    dontKnow: 'no lo sé, solo dice error',
  },
  it: {
    error: 'il portale aziendale dice Numero massimo dispositivi raggiunto',
    symptom: 'device-cap-reached',
    dontKnow: 'non lo so, dice solo errore',
  },
};

describe('consent to a ticket, over HTTP', () => {
  const connector = new FakeConnector();
  let app: Awaited<ReturnType<typeof startApp>>['app'];
  let url: string;
  let n = 0;

  beforeAll(async () => {
    await connector.start();
    ({ app, url } = await startApp({ HELPDESK_TEAM_ID: TEAM }));
    expect((await post(`${url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);
  });
  afterAll(async () => {
    await stopApp(app);
    await connector.stop();
  });

  /** A new 1:1 chat in that language: each message through POST /api/messages, the bot's replies of that turn. */
  const chat = (locale: string): ((typed: string) => Promise<Replies>) => {
    const conversation = `consent-${locale}-${++n}`;
    return async (typed) => {
      expect((await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, `${locale}-XX`, { text: typed }))).status).toBe(
        200,
      );
      return connector.takeFrom(conversation) as Replies;
    };
  };
  const allTickets = async (): Promise<number> => (await app.runtime.escalation.tickets.list(() => true)).length;

  it.each(YES)('%s: "%s" at the offer after a failed fix is a yes: the note is asked, never "glad it works"', async (locale, typed) => {
    const tr = translator(locale);
    const say = chat(locale);
    for (const line of START[locale]!.failed) await say(line);
    const r = await say(typed);
    expect(text(r)).toContain(tr('escalation.describe'));
    expect(text(r)).not.toContain(tr('outcome.fixed'));
    expect(isRating(r)).toBe(false);
  });

  it.each(YES)('%s: "%s" right after asking for a person is a yes, then skipping the note makes the ticket', async (locale, typed) => {
    const tr = translator(locale);
    const say = chat(locale);
    await say(START[locale]!.person);
    const r = await say(typed);
    expect(text(r)).toContain(tr('escalation.describe'));
    expect(isRating(r)).toBe(false);
    const before = await allTickets();
    let done = await say(tr('escalation.skip'));
    for (let i = 0; i < 3 && question(done); i++) done = await say(tr('knowledge:questions.error-message.answers.dontknow'));
    expect(text(done)).toMatch(/IOS-\d+/);
    expect(await allTickets()).toBe(before + 1);
  });

  it.each([
    ['en', 'ok bye'],
    ['en', 'bye'],
    ['es', 'vale, adiós'],
    ['es', 'hasta luego'],
    ['it', 'ok, arrivederci'],
  ])('%s: "%s" at the offer after a failed fix takes leave: no handoff, no ticket, and how to ask later', async (locale, typed) => {
    const tr = translator(locale);
    const say = chat(locale);
    for (const line of START[locale]!.failed) await say(line);
    const before = await allTickets();
    const r = await say(typed);
    expect(text(r)).toContain(tr('person.declined'));
    expect(text(r)).not.toContain(tr('escalation.describe'));
    expect(await allTickets()).toBe(before);
  });

  it.each(['en', 'es', 'it'])('%s: "it works now" when nothing was tried makes no ticket and no rating', async (locale) => {
    const tr = translator(locale);
    const say = chat(locale);
    await say(START[locale]!.person);
    const r = await say({ en: 'actually it works now', es: 'ya funciona', it: 'ora funziona' }[locale]!);
    expect(text(r)).toBe(tr('escalation.notCreated'));
    expect(isRating(r)).toBe(false);
  });

  it.each(TAKEN_BACK)('%s: "%s" at the note prompt makes no ticket, and says so', async (locale, typed) => {
    const tr = translator(locale);
    const say = chat(locale);
    await say(START[locale]!.itOnly);
    expect(text(await say(START[locale]!.yes))).toContain(tr('escalation.describe'));
    const before = await allTickets();
    const r = await say(typed);
    expect(text(r)).toBe(tr('escalation.notCreated'));
    expect(text(r)).not.toMatch(/IOS-\d+/);
    expect(await allTickets()).toBe(before);
  });

  it.each(NO_NOTE)('%s: %j at the note prompt sends the ticket without a note', async (locale, typed) => {
    const tr = translator(locale);
    const say = chat(locale);
    await say(START[locale]!.itOnly);
    expect(text(await say(START[locale]!.yes))).toContain(tr('escalation.describe'));
    let r: Replies = [];
    for (const line of typed) r = [...r, ...(await say(line))];
    expect(text(r)).toContain(tr('escalation.skipped'));
    expect(text(r)).not.toContain(tr('escalation.notCreated'));
    const id = /IOS-\d+/.exec(text(r))?.[0];
    expect(id).toBeDefined();
    const ticket = await app.runtime.escalation.tickets.get(id!);
    expect(ticket).not.toHaveProperty('description');
  });

  it.each(['en', 'es', 'it'])('%s: an error named in the note is not asked again: the ticket has it, and its symptom', async (locale) => {
    const tr = translator(locale);
    const say = chat(locale);
    await say(START[locale]!.person);
    expect(text(await say(START[locale]!.yes))).toContain(tr('escalation.describe'));
    const { error, symptom } = NOTES[locale]!;
    const r = await say(error);
    expect(question(r)).toBeUndefined();
    const id = /IOS-\d+/.exec(text(r))![0];
    const ticket = (await app.runtime.escalation.tickets.get(id))!;
    expect(ticket.description).toBe(error);
    expect(ticket.record.symptom).toBe(symptom);
    expect(ticket.record.answers['error-message']?.source).not.toBe('inferred');
    expect(ticket.record.answers['error-message']?.value).toMatch(/device cap reached|numero massimo dispositivi raggiunto/i);
  });

  it.each(['en', 'es', 'it'])('%s: "I don\'t know what it says" in the note answers the exact error as not known', async (locale) => {
    const say = chat(locale);
    await say(START[locale]!.person);
    await say(START[locale]!.yes);
    const r = await say(NOTES[locale]!.dontKnow);
    expect(question(r)).toBeUndefined();
    const id = /IOS-\d+/.exec(text(r))![0];
    const ticket = (await app.runtime.escalation.tickets.get(id))!;
    expect(ticket.description).toBe(NOTES[locale]!.dontKnow);
    expect(ticket.record.answers['error-message']).toMatchObject({ value: 'dontknow', source: 'conversation' });
  });

  it.each([
    ['es', 'no lo tengo claro, el error sale en ingles'],
    ['en', 'not sure, it started on monday'],
  ])('%s: a note that says something else than "I don\'t know the message" still gets the question: "%s"', async (locale, note) => {
    const say = chat(locale);
    await say(START[locale]!.person);
    await say(START[locale]!.yes);
    expect(question(await say(note))).toBe('error-message');
  });
});
