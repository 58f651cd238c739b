import { supportedLocales, translator } from '../src/core/knowledge/locales';
import { normalize } from '../src/core/nlu/text';

export type AgentCommand = 'flows' | 'startFlow' | 'sendFlow' | 'tickets' | 'forgetUser';
export interface AgentCommandMatch {
  command: AgentCommand;
  /** What follows the command word: the problem, and for sendFlow the user (a mention). */
  rest: string;
}

const WHOLE: AgentCommand[] = ['flows', 'tickets'];
const PREFIX: AgentCommand[] = ['startFlow', 'sendFlow', 'forgetUser'];
let table: { phrase: string; command: AgentCommand }[] | undefined;

function phrases(): { phrase: string; command: AgentCommand }[] {
  if (table) return table;
  table = [];
  for (const locale of supportedLocales()) {
    const t = translator(locale);
    for (const command of [...WHOLE, ...PREFIX]) {
      for (const p of t(`commands.${command}`).split('|')) if (normalize(p)) table.push({ phrase: normalize(p), command });
    }
  }
  table.sort((a, b) => b.phrase.length - a.phrase.length);
  return table;
}

/**
 * Helpdesk agent commands, in any language: "flows" and "tickets" as the whole message, "start <problem>" and
 * "send <problem> to @user", "forget @user" (delete that user's data) as a prefix. Whether the sender may use them is decided by the caller.
 */
export function matchAgentCommand(text: string): AgentCommandMatch | undefined {
  const n = normalize(text);
  if (!n) return undefined;
  for (const p of phrases()) {
    if (WHOLE.includes(p.command) && n === p.phrase) return { command: p.command, rest: '' };
    if (PREFIX.includes(p.command) && (n === p.phrase || n.startsWith(`${p.phrase} `))) {
      // Keep the original text after the command word (accents, the mention) for recognition.
      const words = p.phrase.split(' ').length;
      const rest = text.trim().split(/\s+/).slice(words).join(' ');
      return { command: p.command, rest };
    }
  }
  return undefined;
}
