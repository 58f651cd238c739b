import { normalize } from '../src/core/nlu/text';
import { DEFAULT_LOCALE } from '../src/core/knowledge/locales';
import { matchErrorText } from '../src/core/nlu/errorTexts';
import { readOtherLanguage } from '../src/core/replies/languageRequest';
import { asksAboutOwnStep, Command, readCommandFull, readSmallTalk } from '../src/core/replies/understand';

export type { Command };
export interface CommandMatch {
  /** "other-language": a language the bot does not speak was asked for. */
  command: Command | 'other-language';
  /** For "language": the language asked for; for "other-language", its code. */
  locale?: string;
}

/**
 * A command typed at any point, in any supported language (help, cancel, start over, a language, a person), read by
 * the reply layer in the language of the chat; or a request for a language the bot does not speak ("deutsch bitte").
 */
export function matchCommand(text: string, locale = DEFAULT_LOCALE): CommandMatch | undefined {
  if (!normalize(text) || text.length > 200) return undefined;
  const command = readCommandFull(text, locale);
  if (!command) {
    const other = readOtherLanguage(text, locale);
    return other ? { command: 'other-language', locale: other } : undefined;
  }
  if (command.command === 'person' || command.command === 'language') return command;
  // A device's error pasted with it ("what do I do about NoEnrollmentPolicy") is a problem to solve, not a command;
  // a greeting that looks like a question ("qué tal") is small talk, not a request for help.
  if (matchErrorText(text)) return undefined;
  // "Should I cancel?", "devo annullare?": a question about a step the bot gave, which the prompt answers.
  if ((command.command === 'cancel' || (command.command === 'restart' && /[?¿]/.test(text))) && asksAboutOwnStep(text, locale))
    return undefined;
  if (command.command === 'help' && readSmallTalk(text, locale)) return undefined;
  return command;
}
