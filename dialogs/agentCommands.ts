import { supportedLocales, translator } from '../src/core/knowledge/locales';
import { normalize } from '../src/core/nlu/text';

/** `mentionUsage`: a user was @mentioned but the message asks for nothing the bot can do for them. */
export type AgentCommand = 'flows' | 'startFlow' | 'sendFlow' | 'tickets' | 'forgetUser' | 'mentionUsage';
export interface AgentCommandMatch {
  command: AgentCommand;
  /** What follows the command word: the problem, and for sendFlow the user (a mention). */
  rest: string;
  /**
   * Read from a sentence ("can you send the device cap flow to @Ana please") rather than typed as the command: only
   * an agent's. From anyone else it is ordinary text, read as a problem description.
   */
  sentence?: boolean;
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

/** The word classes of locales/<lng>/ui.json "agentWords" that agent requests are read from in a sentence. */
const WORD_CLASSES = ['send', 'forget', 'tickets', 'ticketsAsk', 'filler'] as const;
type WordClass = (typeof WORD_CLASSES)[number];
/** One class: whole words, and stems (a word written with a final "*" in the data: "envi*"). */
interface Words {
  exact: Set<string>;
  stems: string[];
}
let words: Record<WordClass, Words> | undefined;

/** Every language's words of each class: commands work in any language the bot speaks, so do these. */
function wordClasses(): Record<WordClass, Words> {
  if (words) return words;
  const classes = Object.fromEntries(WORD_CLASSES.map((c) => [c, { exact: new Set<string>(), stems: [] as string[] }])) as Record<
    WordClass,
    Words
  >;
  for (const locale of supportedLocales()) {
    const t = translator(locale);
    for (const c of WORD_CLASSES) {
      for (const raw of t(`agentWords.${c}`).split('|')) {
        const stem = raw.trim().endsWith('*');
        const w = normalize(raw);
        if (!w) continue;
        if (stem) classes[c].stems.push(w);
        else classes[c].exact.add(w);
      }
    }
  }
  return (words = classes);
}

const isIn = (word: string, c: Words): boolean => c.exact.has(word) || c.stems.some((s) => word.startsWith(s));

/** A Teams mention as it comes in the text ("<at>Ana García</at>"). */
const MENTION_TEXT = /<at>.*?<\/at>/g;

/**
 * Helpdesk agent commands, in any language: "flows" and "tickets" as the whole message, "start <problem>" and
 * "send <problem> to @user", "forget @user" (delete that user's data) as a prefix. Whether the sender may use them is
 * decided by the caller. Failing those, the same requests phrased as a sentence (see readAgentSentence). `mentioned`: the message mentions
 * someone besides the bot.
 */
export function matchAgentCommand(text: string, mentioned = false): AgentCommandMatch | undefined {
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
  return readAgentSentence(text, mentioned);
}

/**
 * The problem an agent named after a command or in a sentence: the text without the people mentioned and without
 * the filler around it ("send the device cap flow to @Ana please" → "device cap"). Empty when nothing is left.
 */
export function problemOf(rest: string): string {
  const tokens = rest.replace(MENTION_TEXT, ' ').trim().split(/\s+/).filter(Boolean);
  const filler = wordClasses().filler;
  const empty = (t: string): boolean => !normalize(t) || isIn(normalize(t), filler);
  let start = 0;
  let end = tokens.length;
  while (start < end && empty(tokens[start]!)) start++;
  while (end > start && empty(tokens[end - 1]!)) end--;
  // The words kept as written (accents, error codes) for recognition.
  return tokens.slice(start, end).join(' ');
}

/**
 * An agent's request in a sentence, in any language: a send word with someone named ("enviale a @Ana el de límite
 * de dispositivos", "can you send the device cap flow to @Ana please": rest is the problem, the words around it
 * taken off), a forget word with someone named ("olvida a @Ana"), or nothing but words asking for the tickets ("que
 * tickets hay abiertos?", "mostrami i ticket aperti"). Someone named counts when mentioned, or typed with an "@"
 * (the router then asks for a real mention). A message that mentions someone and asks for none of these, for both
 * send and forget, or for forget beside a ticket word, is `mentionUsage`: never a problem description, so no flow starts here for the agent.
 */
export function readAgentSentence(text: string, mentioned = false): AgentCommandMatch | undefined {
  if (text.length > 500) return mentioned ? { command: 'mentionUsage', rest: '', sentence: true } : undefined;
  const w = wordClasses();
  const tokens = normalize(text.replace(MENTION_TEXT, ' ')).split(' ').filter(Boolean);
  const named = mentioned || /(^|\s)@\S/.test(text.replace(MENTION_TEXT, ' '));
  if (named) {
    const send = tokens.some((t) => isIn(t, w.send));
    const forget = tokens.some((t) => isIn(t, w.forget));
    // Deleting someone's data is never read into a sentence about a ticket ("cancella il ticket di @Marco").
    const ticket = tokens.some((t) => isIn(t, w.tickets));
    if (forget && !send && !ticket) return { command: 'forgetUser', rest: '', sentence: true };
    if (send && !forget) {
      // What is left once the send words are out: the problem, with the filler around it (see problemOf).
      return { command: 'sendFlow', rest: tokens.filter((t) => !isIn(t, w.send)).join(' '), sentence: true };
    }
  }
  const asksTickets = tokens.some((t) => isIn(t, w.tickets)) && tokens.every((t) => isIn(t, w.tickets) || isIn(t, w.ticketsAsk));
  if (asksTickets) return { command: 'tickets', rest: '', sentence: true };
  return mentioned ? { command: 'mentionUsage', rest: '', sentence: true } : undefined;
}
