import { Activity, MemoryStorage } from 'botbuilder';
import { DiagnosticRecord } from '../src/core/diagnostics/record';
import { availableLocales, translator } from '../src/core/knowledge/locales';
import { readAside } from '../src/core/replies/asides';
import { readTold } from '../src/core/replies/told';
import { ticketCard } from '../cards/ticket';
import { buttons, visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

/**
 * What the first messages and the answers to the bot's questions say about the problem, found by an exploratory
 * tester (each group names its finding): through the real bot, router, dialogs and cards, in every language.
 */

type Replies = Partial<Activity>[];
const text = (r: Replies): string => r.map(visibleText).join('\n');
const question = (r: Replies): string | undefined =>
  r
    .flatMap((a) => buttons(a))
    .map((b) => b.data as { action?: string; question?: string } | undefined)
    .find((d) => d?.action === 'answer')?.question;

interface Saved {
  conversationData: { record: DiagnosticRecord; history?: DiagnosticRecord[] };
}

/** A memory store whose keys a test can list, to read the conversation's saved record. */
class ListedStorage extends MemoryStorage {
  keys = (): string[] => Object.keys(this.memory);
}

async function saved(storage: ListedStorage): Promise<Saved['conversationData']> {
  const key = storage.keys().find((k) => k.includes('/conversations/'))!;
  return ((await storage.read([key]))[key] as Saved).conversationData;
}

describe('N9: another problem typed at a question before the fixes is that problem, on a new record', () => {
  it.each([
    ['en', "can't connect to the server", 'actually it says Device Cap Reached', 'device-cap-reached'],
    ['en', "can't connect to the server", 'Device Cap Reached', 'device-cap-reached'],
    ['es', 'no se pudo conectar con el servidor', 'perdón, en realidad dice Device Cap Reached', 'device-cap-reached'],
    ['it', 'connessione al server non riuscita', 'scusa, il messaggio è Tipo di licenza utente non valido', 'license-type-invalid'],
  ])('%s: "%s", then at the question "%s"', async (locale, first, correction, symptom) => {
    const t = translator(locale);
    const storage = new ListedStorage();
    const convo = new Conversation(`${locale}-XX`, storage);
    const asked = await convo.send(first);
    expect(text(asked)).toContain(t('knowledge:symptoms.server-connection-failed.title'));
    expect(question(asked)).toBeDefined();
    const r = await convo.send(correction);
    expect(text(r)).toContain(t('recognize.recognized', { title: t(`knowledge:symptoms.${symptom}.title`) }));
    expect(text(r)).not.toContain(t('knowledge:symptoms.server-connection-failed.title'));
    expect(text(r)).not.toContain(t('questions.skipped'));
    const data = await saved(storage);
    expect(data.record.symptom).toBe(symptom);
    expect(data.history?.at(-1)?.symptom).toBe('server-connection-failed');
  });

  it('an answer is still the answer: "the company gave it to me" keeps the case and records it', async () => {
    const storage = new ListedStorage();
    const convo = new Conversation('en-US', storage);
    const q = question(await convo.send("can't connect to the server"))!;
    await convo.send('the company gave it to me');
    const data = await saved(storage);
    expect(data.record.symptom).toBe('server-connection-failed');
    expect(data.record.answers[q as keyof DiagnosticRecord['answers']]).toMatchObject({ source: 'question' });
    expect(data.history ?? []).toEqual([]);
  });
});

const isCauseCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => typeof (b.data as { cause?: unknown } | undefined)?.cause === 'string');

describe('N12: a first message that asks for a person, or says the fix was already done', () => {
  it.each([
    ['en', 'it says Device Cap Reached, I want to talk to a person'],
    ['es', 'me sale Device Cap Reached, quiero hablar con una persona'],
    ['it', 'mi dice Device Cap Reached, voglio parlare con una persona'],
  ])('%s: "%s" offers the handoff, with the symptom on the record, and no fix', async (locale, first) => {
    const t = translator(locale);
    const storage = new ListedStorage();
    const r = await new Conversation(`${locale}-XX`, storage).send(first);
    expect(text(r)).toContain(t('recognize.recognized', { title: t('knowledge:symptoms.device-cap-reached.title') }));
    expect(text(r)).toContain(t('escalation.confirmTitle'));
    expect(r.some(isCauseCard)).toBe(false);
    expect((await saved(storage)).record.symptom).toBe('device-cap-reached');
  });

  it.each([
    ['en', 'Device Cap Reached, I already removed one and it still fails'],
    ['es', 'Device Cap Reached, ya borré uno y sigue igual'],
    ['it', 'Device Cap Reached, ho già rimosso un dispositivo ma niente'],
  ])('%s: "%s" (the only fix of its own) is past that fix: the offer of a person, "already tried" on the record', async (locale, first) => {
    const t = translator(locale);
    const storage = new ListedStorage();
    const r = await new Conversation(`${locale}-XX`, storage).send(first);
    const title = t('knowledge:causes.device-cap-reached.too-many-devices.title');
    expect(text(r)).toContain(t('cause.triedBefore', { title }));
    expect(text(r)).toContain(t('cause.offerPerson'));
    expect(r.some(isCauseCard)).toBe(false);
    const { record } = await saved(storage);
    expect(record.triedBefore).toBe(first);
    expect(record.attempts).toEqual([expect.objectContaining({ cause: 'too-many-devices', outcome: 'not-fixed', before: true })]);
  });

  it.each([
    ['en', 'Device Cap Reached, I already removed one and it still fails', 'yes'],
    ['es', 'Device Cap Reached, ya borré uno y sigue igual', 'sí'],
    ['it', 'Device Cap Reached, ho già rimosso un dispositivo ma niente', 'sì'],
  ])('%s: "%s", then yes to a person: the ticket says it was tried before asking', async (locale, first, yes) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(first);
    let r = await convo.send(yes);
    expect(text(r)).toContain(t('escalation.describe'));
    r = await convo.send(t('escalation.skip'));
    for (let i = 0; i < 5 && question(r); i++) r = await convo.send(t('knowledge:questions.error-message.answers.dontknow'));
    const id = /IOS-\d+/.exec(text(r))![0];
    const ticket = (await convo.bot.services.escalation.tickets.get(id))!;
    const card = visibleText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: ticketCard(t, ticket) }] });
    expect(card).toContain(`${t('knowledge:causes.device-cap-reached.too-many-devices.title')}: ${t('ticket.outcome.before')}`);
  });

  it.each([
    ['en', 'Company Portal Temporarily Unavailable, I already reinstalled the app and it still fails'],
    ['es', 'Company Portal Temporarily Unavailable, ya reinstalé la app y sigue igual'],
    ['it', "Company Portal Temporarily Unavailable, ho già reinstallato l'app ma niente"],
  ])('%s: "%s" goes on to the next possible cause', async (locale, first) => {
    const t = translator(locale);
    const r = await new Conversation(`${locale}-XX`).send(first);
    expect(text(r)).toContain(t('cause.triedBefore', { title: t('knowledge:causes.company-portal-unavailable.app-outdated.title') }));
    expect(text(r)).toContain(t('cause.relatedSymptom', { title: t('knowledge:symptoms.device-cap-reached.title') }));
    const card = r.find(isCauseCard);
    expect(buttons(card).map((b) => (b.data as { symptom?: string } | undefined)?.symptom)).toContain('device-cap-reached');
  });

  it.each([
    ['en', 'my iPad says Device Cap Reached'],
    ['en', 'I tried to enroll and it says Device Cap Reached'],
    ['es', 'ya no puedo inscribir mi iphone, dice Device Cap Reached'],
    ['it', 'ho già 15 dispositivi, dice Device Cap Reached'],
    ['en', "Device Cap Reached, I don't want to talk to a person, just tell me what to do"],
  ])('%s: "%s" says neither: the first fix, as always', async (locale, first) => {
    const r = await new Conversation(`${locale}-XX`).send(first);
    expect(r.some(isCauseCard)).toBe(true);
  });
});

describe('the words for "I already did it" in every locale', () => {
  it.each(availableLocales())('%s has them (its nlu-told.json)', (locale) => {
    expect(() => readTold('Device Cap Reached', locale, 'Device Cap Reached')).not.toThrow();
  });
});

describe('a lost device, a factory reset, getting Company Portal: one line, not the menu', () => {
  it.each([
    ['it', 'ho perso il mio iphone aziendale'],
    ['es', 'me robaron el iphone de la empresa'],
    ['en', 'I lost my company iPhone'],
  ])('%s: "%s" says to tell IT at once', async (locale, first) => {
    const r = await new Conversation(`${locale}-XX`).send(first);
    expect(r.map(visibleText)).toEqual([translator(locale)('asides.lostDevice')]);
  });

  it.each([
    ['es', 'quiero resetear mi iphone de fábrica'],
    ['en', 'how do I factory reset my iPhone'],
    ['it', "voglio fare il ripristino di fabbrica dell'iphone"],
    ['en', 'where can I download the company portal app for Windows'],
  ])('%s: "%s" gets the out-of-scope line', async (locale, first) => {
    const r = await new Conversation(`${locale}-XX`).send(first);
    expect(r.map(visibleText)).toEqual([translator(locale)('outOfScope.reply')]);
  });

  it.each([
    ['es', 'cómo instalo el portal de empresa?'],
    ['en', 'how do I install Company Portal?'],
    ['it', 'come installo il portale aziendale?'],
  ])('%s: "%s" is in scope: the App Store step of the knowledge, and what comes next', async (locale, first) => {
    const t = translator(locale);
    const r = await new Conversation(`${locale}-XX`).send(first);
    const install = t('knowledge:causes.workplace-join-failed.app-outdated.steps.install-app');
    expect(r.map(visibleText)).toEqual([t('asides.getCompanyPortal', { install })]);
  });

  it('a factory reset named in a report of an enrollment problem is that problem', async () => {
    const t = translator('en');
    const r = await new Conversation('en-US').send("factory reset the corporate ipad and it still doesn't pick up the enrollment profile");
    expect(text(r)).toContain(t('knowledge:symptoms.ade-enrollment-doesnt-start.title'));
  });

  it.each(availableLocales())('%s has the words of every kind (its nlu-asides.json)', (locale) => {
    expect(() => readAside('hello', locale)).not.toThrow();
  });
});
