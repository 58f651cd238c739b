/**
 * The data of every card button the conversation handles (Action.Submit): one type per action, the builders the
 * cards use to put it in their templates ("data": "${data}"), and the reader that checks what comes back.
 * Ticket cards (Action.Execute, verbs) are the helpdesk's and live in cards/ticket.ts.
 */

export type Outcome = 'fixed' | 'not-fixed' | 'person';

export type CardAction =
  /** An answer button of a prerequisite question. */
  | { action: 'answer'; question: string; answer: string; record: string }
  /** "That fixed it", "Didn't help", "Talk to a person" on a cause card. */
  | { action: 'outcome'; outcome: Outcome; symptom: string; cause: string; record: string }
  /** A symptom from the menu, "did you mean…?", or a card an agent dropped into a chat. */
  | { action: 'choose-symptom'; symptom: string }
  | { action: 'something-else' }
  | { action: 'rate'; rating: number; record: string }
  /** Yes / no on the offer of a person; "Send it to IT now" on a cause card also names the cause. */
  | { action: 'person'; record: string; symptom?: string; cause?: string }
  | { action: 'decline-person'; record: string }
  /** "Talk to a person" from the menu. */
  | { action: 'escalate' }
  /** An example problem on the welcome card: as if the user had typed it. */
  | { action: 'say'; text: string }
  | { action: 'menu' }
  /** Skip the description before a ticket. */
  | { action: 'skip' }
  /** Yes / no on cancelling one's own ticket from the chat. */
  | { action: 'withdraw-ticket'; ticket: string; confirm: boolean };

export type ActionId = CardAction['action'];
export type ActionOf<A extends ActionId> = Extract<CardAction, { action: A }>;

/** Builds the data of a button; the card puts it as is into the template. */
export const action = <A extends ActionId>(data: ActionOf<A>): ActionOf<A> => data;

const OUTCOMES: Outcome[] = ['fixed', 'not-fixed', 'person'];
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** What each action needs; a press without it is refused as incomplete. */
const CHECKS: { [A in ActionId]: (d: Record<string, unknown>) => boolean } = {
  answer: (d) => str(d.question) && str(d.answer),
  outcome: (d) => OUTCOMES.includes(d.outcome as Outcome) && str(d.symptom) && str(d.cause),
  'choose-symptom': (d) => str(d.symptom),
  'something-else': () => true,
  rate: (d) => Number.isInteger(Number(d.rating)) && Number(d.rating) >= 1 && Number(d.rating) <= 5,
  person: () => true,
  'decline-person': () => true,
  escalate: () => true,
  say: (d) => str(d.text) && d.text.trim().length > 0,
  menu: () => true,
  skip: () => true,
  'withdraw-ticket': (d) => str(d.ticket) && typeof d.confirm === 'boolean',
};

export type ReadAction = { kind: 'action'; data: CardAction } | { kind: 'incomplete'; action: ActionId } | { kind: 'unknown' };

/**
 * The button pressed, from an activity's value. Teams may add its own properties (msteams) beside the data; an
 * unknown action, or none, is "unknown"; a known one missing what it needs is "incomplete".
 */
export function readAction(value: unknown): ReadAction {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'unknown' };
  const d = value as Record<string, unknown>;
  const id = d.action;
  if (typeof id !== 'string' || !(id in CHECKS)) return { kind: 'unknown' };
  const a = id as ActionId;
  if (!CHECKS[a](d)) return { kind: 'incomplete', action: a };
  const data = (a === 'rate' ? { ...d, rating: Number(d.rating) } : d) as CardAction;
  return { kind: 'action', data };
}
