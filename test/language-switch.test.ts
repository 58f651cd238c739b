import { translator } from '../src/core/knowledge/locales';
import { readCommandFull } from '../src/core/replies/understand';
import { visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

describe('switching language in a sentence, in either language', () => {
  it.each([
    ['en', 'en español por favor', 'es'],
    ['en', 'puedes hablar en español?', 'es'],
    ['es', 'in inglese per favore', 'en'],
    ['es', 'parli inglese?', 'en'],
    ['en', 'can you answer in Italian', 'it'],
    ['it', 'habla en ingles', 'en'],
    ['es', 'habla en ingles', 'en'],
    ['it', 'switch to english', 'en'],
  ])('in a %s chat "%s" switches to %s', (chat, text, to) => {
    expect(readCommandFull(text, chat)).toEqual({ command: 'language', locale: to });
  });

  it.each([
    ['es', 'me sale en inglés'],
    ['it', 'il messaggio esce in inglese'],
    ['en', 'my iphone is in spanish'],
  ])('in a %s chat "%s" describes the device, it is not a switch', (chat, text) => {
    expect(readCommandFull(text, chat)?.command).not.toBe('language');
  });

  it('through the bot: "en español por favor" in an English chat answers in Spanish', async () => {
    const r = await new Conversation('en-US').send('en español por favor');
    expect(visibleText(r[0])).toBe(translator('es')('language.switched'));
  });
});
