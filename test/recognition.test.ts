import { Activity, MemoryStorage } from 'botbuilder';
import { DiagnosticRecord } from '../src/core/diagnostics/record';
import { translator } from '../src/core/knowledge/locales';
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
