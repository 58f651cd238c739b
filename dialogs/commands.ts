import { supportedLocales, translator } from '../src/core/knowledge/locales';
import { normalize } from '../src/core/nlu/text';

export type Command = 'help' | 'cancel' | 'restart' | 'person' | 'language';
export interface CommandMatch {
  command: Command;
  /** For "language": the language asked for. */
  locale?: string;
}

const COMMANDS: Command[] = ['help', 'cancel', 'restart', 'person', 'language'];
let table: { phrase: string; command: Command; locale: string }[] | undefined;

function phrases(): { phrase: string; command: Command; locale: string }[] {
  if (table) return table;
  table = [];
  for (const locale of supportedLocales()) {
    const t = translator(locale);
    for (const command of COMMANDS) {
      for (const p of t(`commands.${command}`).split('|')) {
        const phrase = normalize(p);
        if (phrase) table.push({ phrase, command, locale });
      }
    }
  }
  // Longest phrases first, so "talk to a person" wins over shorter overlaps.
  table.sort((a, b) => b.phrase.length - a.phrase.length);
  return table;
}

/**
 * A command typed at any point, in any supported language: the whole message must be the command
 * ("ayuda", "annulla", "english"), except asking for a person, which may be part of a sentence.
 */
export function matchCommand(text: string): CommandMatch | undefined {
  const n = normalize(text.replace(/^\//, ''));
  if (!n || n.length > 200) return undefined;
  for (const p of phrases()) {
    const whole = n === p.phrase;
    const inside = p.command === 'person' && p.phrase.includes(' ') && ` ${n} `.includes(` ${p.phrase} `);
    if (whole || inside) return p.command === 'language' ? { command: 'language', locale: p.locale } : { command: p.command };
  }
  return undefined;
}
