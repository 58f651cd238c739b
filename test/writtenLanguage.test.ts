import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { languageName } from '../src/core/replies/languageRequest';
import { buttons, visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

/**
 * R3-9 of the third exploratory round: a problem described in another language the bot speaks than the chat's is
 * understood and answered in that language, with one line on how to go back. Through the real bot, router and dialogs.
 */

type Replies = Partial<Activity>[];
const text = (r: Replies): string => r.map(visibleText).join('\n');
const isCauseCard = (a: Partial<Activity>): boolean =>
  buttons(a).some((b) => typeof (b.data as { cause?: unknown } | undefined)?.cause === 'string');

describe('R3-9: a first message clearly in another supported language is answered in it', () => {
  it.each([
    ['es', 'ciao, il mio iphone dice nome utente non riconosciuto', 'it', 'user-name-not-recognized'],
    ['it', 'mi iphone dice nombre de usuario no reconocido', 'es', 'user-name-not-recognized'],
    ['en', 'hola, mi ipad no se inscribe, dice que alcance el limite de dispositivos', 'es', 'device-cap-reached'],
    ['it', 'my ipad does not enroll, the company portal says device limit reached', 'en', 'device-cap-reached'],
    ['en', 'il mio ipad non si registra, dice che è stato raggiunto il limite di dispositivi', 'it', 'device-cap-reached'],
  ])('a %s chat, "%s": answered in %s', async (chat, typed, written, symptom) => {
    const t = translator(written);
    const convo = new Conversation(`${chat}-XX`);
    const r = await convo.send(typed);
    // Once: in the new language, how to continue in the chat's.
    const back = translator(chat)('commands.language').split('|')[0]!;
    expect(visibleText(r[0])).toBe(t('language.detected', { language: languageName(chat, written), command: back }));
    expect(text(r)).toContain(t(`knowledge:symptoms.${symptom}.title`));
    expect(r.some(isCauseCard)).toBe(true);
    // The next problem is in that language too, and the line is not repeated.
    const next = await convo.send(t('commands.restart').split('|')[0]!);
    expect(text(next)).toContain(t('control.restarted'));
    // Switching back is the usual command.
    const switched = await convo.send(back);
    expect(visibleText(switched[0])).toBe(translator(chat)('language.switched'));
  });

  it.each([
    ['en', 'ok'],
    ['es', 'iphone'],
    ['it', 'AccountNotOnboarded'],
    ['es', 'Profile Installation Failed'],
    ['es', 'Profile Installation Failed. Connection to the server could not be established'],
    ['en', 'my iphone says No se pudo establecer conexion con el servidor'],
    ['it', 'hola'],
    ['en', 'ciao'],
    ['es', 'perdón, en realidad dice Device Cap Reached'],
    ['it', 'scusa, mi dice Device Cap Reached'],
  ])('a %s chat, "%s": short, shared or quoted from the device, it never switches', async (chat, typed) => {
    const convo = new Conversation(`${chat}-XX`);
    const r = await convo.send(typed);
    for (const other of ['en', 'es', 'it'].filter((l) => l !== chat)) {
      expect(text(r)).not.toContain(
        translator(other)('language.detected', { language: languageName(chat, other), command: '' }).split('.')[0]!,
      );
    }
    // The chat's language still: the help command of that language answers in it.
    const help = await convo.send(translator(chat)('commands.help').split('|')[0]!);
    expect(text(help)).toContain(translator(chat)('help.title'));
  });
});
