import { Activity, MemoryStorage } from 'botbuilder';
import { DiagnosticRecord } from '../src/core/diagnostics/record';
import { translator } from '../src/core/knowledge/locales';
import { buttons, visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

/**
 * Asked a question, people ask back (R3-7b, R3-14 of the third exploratory round): "why do you need to know?" gets
 * one line on why, "how do I know?" a hint; then the same question again, numbered as before. Through the real bot,
 * router, dialogs and cards in each language.
 */

type Replies = Partial<Activity>[];
const text = (r: Replies): string => r.map(visibleText).join('\n');
const questionOf = (r: Replies): string | undefined =>
  r
    .flatMap((a) => buttons(a))
    .map((b) => b.data as { action?: string; question?: string } | undefined)
    .find((d) => d?.action === 'answer')?.question;
const isCauseCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => typeof (b.data as { cause?: unknown } | undefined)?.cause === 'string');

const SERVER: Record<string, string> = {
  en: 'connection to the server could not be established',
  es: 'no se pudo establecer conexion con el servidor',
  it: 'connessione al server non riuscita',
};

class KeyedStorage extends MemoryStorage {
  keys = (): string[] => Object.keys(this.memory);
}

async function recordOf(storage: KeyedStorage): Promise<DiagnosticRecord> {
  const key = storage.keys().find((k) => k.includes('/conversations/'))!;
  return ((await storage.read([key]))[key] as { conversationData: { record: DiagnosticRecord } }).conversationData.record;
}

describe('R3-7b: "why do you need to know?" at a question says why, then asks it again', () => {
  it.each([
    ['en', 'why do you need to know?'],
    ['en', 'why are you asking?'],
    ['en', 'what does it matter?'],
    ['es', '¿por qué me lo preguntas?'],
    ['es', '¿para qué necesitas saberlo?'],
    ['es', 'y eso para que'],
    ['it', 'a cosa serve saperlo?'],
    ['it', 'perché me lo chiedi?'],
    ['it', 'come mai?'],
  ])('%s "%s"', async (locale, typed) => {
    const t = translator(locale);
    const convo = new Conversation(`${locale}-XX`);
    const first = await convo.send(SERVER[locale]!);
    expect(questionOf(first)).toBe('enrollment-method');
    const r = await convo.send(typed);
    // One line on why, then the same question with the same numbering; not help, not cancelled, not "don't know".
    expect(visibleText(r[0])).toContain(t('questions.why.enrollment-method'));
    expect(questionOf(r)).toBe('enrollment-method');
    expect(text(r)).toContain(t('questions.progress', { current: 1, total: 1 }));
    expect(text(r)).not.toContain(t('control.cancelled'));
    expect(r.some(isCauseCard)).toBe(false);
    // The question still waits: a typed answer is taken.
    const next = await convo.send(t('questions.employee.enrollment-method.answers.company-portal'));
    expect(next.some(isCauseCard)).toBe(true);
  });
});

describe('R3-14: "how do I know?" at the ownership question gets a hint; asked again it is "don\'t know"', () => {
  it.each([
    ['en', 'how do I know?', 'no idea'],
    ['en', 'how can I tell?', 'how would I know'],
    ['es', '¿cómo lo sé?', 'no sé'],
    ['es', 'como puedo saberlo', '¿cómo lo sé?'],
    ['it', 'come faccio a saperlo?', 'non lo so'],
    ['it', 'come lo capisco?', 'come faccio a saperlo?'],
  ])('%s "%s", then "%s"', async (locale, typed, again) => {
    const t = translator(locale);
    const storage = new KeyedStorage();
    const convo = new Conversation(`${locale}-XX`, storage);
    await convo.send(SERVER[locale]!);
    const r = await convo.send(typed);
    expect(visibleText(r[0])).toContain(t('questions.how.enrollment-method'));
    expect(questionOf(r)).toBe('enrollment-method');
    expect(text(r)).not.toContain(t('questions.reask', { answers: '' }).split(':')[0]!);
    const next = await convo.send(again);
    expect(next.some(isCauseCard)).toBe(true);
    expect((await recordOf(storage)).answers['enrollment-method']).toMatchObject({ value: 'dontknow', source: 'question' });
  });

  it.each([
    ['en', 'how do I know?', "it's a company phone", 'ade'],
    ['es', '¿cómo lo sé?', 'lo compré yo, es mío', 'company-portal'],
    ['it', 'come faccio a saperlo?', "me l'ha dato l'azienda", 'ade'],
  ])('%s: after the hint "%s", "%s" answers the question', async (locale, typed, answer, value) => {
    const storage = new KeyedStorage();
    const convo = new Conversation(`${locale}-XX`, storage);
    await convo.send(SERVER[locale]!);
    await convo.send(typed);
    expect((await convo.send(answer)).some(isCauseCard)).toBe(true);
    expect((await recordOf(storage)).answers['enrollment-method']).toMatchObject({ value, source: 'question' });
  });
});

describe('R3-11: whose device the first message says it is answers the question: the card follows directly', () => {
  it.each([
    ['es', 'en mi iphone personal me sale que no se pudo establecer conexion con el servidor', 'company-portal'],
    ['es', 'el movil de la empresa dice no se pudo establecer conexion con el servidor', 'ade'],
    ['it', 'sul mio iphone aziendale esce impossibile stabilire una connessione al server', 'ade'],
    ['it', 'sul mio telefono personale: connessione al server non riuscita', 'company-portal'],
    ['en', 'on my personal iphone i get connection to the server could not be established', 'company-portal'],
    ['en', 'my work iphone says connection to the server could not be established', 'ade'],
  ])('%s "%s"', async (locale, typed, value) => {
    const storage = new KeyedStorage();
    const convo = new Conversation(`${locale}-XX`, storage);
    const r = await convo.send(typed);
    expect(questionOf(r)).toBeUndefined();
    expect(r.some(isCauseCard)).toBe(true);
    // Recorded as the employee's own words, so the ticket shows it as said, not inferred.
    expect((await recordOf(storage)).answers['enrollment-method']).toMatchObject({ value, source: 'message' });
  });

  it.each([
    ['en', 'my iphone says connection to the server could not be established'],
    ['es', 'mi iphone dice no se pudo establecer conexion con el servidor'],
    ['it', 'il mio iphone dice connessione al server non riuscita'],
    ['it', 'in azienda tutto ok, ma sul mio iphone: connessione al server non riuscita'],
    ['en', 'my personal iphone works but the company iphone says connection to the server could not be established'],
  ])('%s "%s" does not say whose it is: the question is asked', async (locale, typed) => {
    const r = await new Conversation(`${locale}-XX`).send(typed);
    expect(questionOf(r)).toBe('enrollment-method');
  });
});
