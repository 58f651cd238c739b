import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

/**
 * A paraphrase typed at a card moves the conversation exactly as pressing the button it means: the same next card,
 * through the real bot, router, dialogs and cards. The paraphrases share no word with the button's label.
 */

type Replies = Partial<Activity>[];
const text = (r: Replies): string => r.map(visibleText).join('\n');
const pressable = (r: Replies): Partial<Activity> => r.find((a) => buttons(a).length > 0)!;

/** The server-connection symptom asks the employee whose device it is; the answer decides the causes tried. */
const SERVER: Record<string, string> = {
  en: "can't connect to the server",
  es: 'no se pudo conectar con el servidor',
  it: 'connessione al server non riuscita',
};

/** What employees typed at "Is this iPhone/iPad your own, or one the company gave you?" (found by the tester). */
const OWNER: Record<string, { own: string[]; company: string[] }> = {
  en: { own: ['I bought it', 'paid for it myself'], company: ['company', 'my employer'] },
  es: { own: ['lo compré yo', 'lo pagué yo'], company: ['de la oficina', 'la empresa'] },
  it: { own: ["l'ho comprato io", "l'ho pagato io"], company: ["dell'ufficio", 'della ditta'] },
};

/** At the did-you-mean card of "Profile Installation Failed", the network error in other words. */
const NETWORK: Record<string, string> = {
  en: "it's the wifi",
  es: 'es por el wifi',
  it: 'colpa del wifi',
};

describe.each(['en', 'es', 'it'])('a paraphrase typed at a card does what its button does, in %s', (locale) => {
  const t = translator(locale);

  async function afterButton(first: string, data: (d: Record<string, unknown>) => boolean): Promise<Replies> {
    const convo = new Conversation(`${locale}-XX`);
    const asked = await convo.send(first);
    return convo.send(buttonData(pressable(asked), data));
  }

  async function afterTyping(first: string, typed: string): Promise<Replies> {
    const convo = new Conversation(`${locale}-XX`);
    await convo.send(first);
    return convo.send(typed);
  }

  it.each([
    ...OWNER[locale]!.own.map((typed) => [typed, 'company-portal'] as const),
    ...OWNER[locale]!.company.map((typed) => [typed, 'ade'] as const),
  ])('"%s" at whose device it is, as the %s button', async (typed, answer) => {
    const pressed = await afterButton(SERVER[locale]!, (d) => d.action === 'answer' && d.answer === answer);
    const typedReplies = await afterTyping(SERVER[locale]!, typed);
    expect(text(typedReplies)).not.toContain(t('questions.reask', { answers: '' }).split(':')[0]!);
    expect(text(typedReplies)).toBe(text(pressed));
  });

  it(`"${NETWORK[locale]}" at the did-you-mean card, as the network error's button`, async () => {
    const pressed = await afterButton('Profile Installation Failed', (d) => d.action === 'choose-symptom' && d.symptom === 'network-error');
    const typedReplies = await afterTyping('Profile Installation Failed', NETWORK[locale]!);
    expect(text(typedReplies)).toContain(t('knowledge:symptoms.network-error.title'));
    expect(text(typedReplies)).toBe(text(pressed));
  });
});
