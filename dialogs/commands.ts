import { normalize } from '../src/core/nlu/text';
import { DEFAULT_LOCALE } from '../src/core/knowledge/locales';
import { Command, readCommandFull } from '../src/core/replies/understand';

export type { Command };
export interface CommandMatch {
  command: Command;
  /** For "language": the language asked for. */
  locale?: string;
}

/**
 * A command typed at any point, in any supported language (help, cancel, start over, a language, a person), read by
 * the reply layer in the language of the chat.
 */
export function matchCommand(text: string, locale = DEFAULT_LOCALE): CommandMatch | undefined {
  if (!normalize(text) || text.length > 200) return undefined;
  return readCommandFull(text, locale);
}
