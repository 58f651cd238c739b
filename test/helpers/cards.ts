import { Activity } from 'botbuilder';
import { cardToText, TextButton } from '../../cards/text';

// The real adaptivecards library (its CommonJS bundle: the package's ESM entry can't load in Node).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

export interface CardIssues {
  parse: string[];
  validation: string[];
  unbound: string[];
}

/** Parses a card with the adaptivecards library and lists parse events, validation failures and ${} left unbound. */
export function cardIssues(card: unknown): CardIssues {
  const ctx = new AC.SerializationContext();
  ctx.targetVersion = AC.Versions.v1_5;
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  const parse: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) parse.push(ctx.getEventAt(i).message);
  const results = parsed.validateProperties();
  const validation: string[] = (results.validationEvents ?? []).map((e: { message: string }) => e.message);
  const unbound = (JSON.stringify(card).match(/\$\{[^}]*\}|"\$data"|"\$when"/g) ?? []).slice(0, 5);
  return { parse, validation, unbound };
}

export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> | undefined {
  const att = activity?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return att?.content as Record<string, unknown> | undefined;
}

/** All the text a user sees in a reply: message text plus every text block of its card. */
export function visibleText(activity: Partial<Activity> | undefined): string {
  const card = cardOf(activity);
  return [activity?.text ?? '', card ? cardToText(card).text : ''].filter(Boolean).join('\n');
}

export function buttons(activity: Partial<Activity> | undefined): TextButton[] {
  const card = cardOf(activity);
  return card ? cardToText(card).buttons : [];
}

export function buttonData(
  activity: Partial<Activity> | undefined,
  predicate: (d: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  const b = buttons(activity).find((x) => x.data && predicate(x.data as Record<string, unknown>));
  if (!b) throw new Error(`No matching button in: ${JSON.stringify(buttons(activity).map((x) => x.data ?? x.url))}`);
  return b.data as Record<string, unknown>;
}
