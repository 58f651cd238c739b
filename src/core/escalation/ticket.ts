import { DiagnosticRecord } from '../diagnostics/record';

export type TicketStatus = 'open' | 'assigned' | 'resolved';

export interface Person {
  name: string;
  /** Teams user id (29:…). */
  id: string;
  aadObjectId?: string;
}

export interface Requester extends Person {
  tenantId?: string;
  locale: string;
  /** The user principal name (Teams' roster at escalation): what Teams' chat deep link and the ITSM need. */
  upn?: string;
}

export interface TranscriptEntry {
  from: 'user' | 'bot';
  text: string;
  at: string;
}

export interface TicketEvent {
  at: string;
  status: TicketStatus;
  by?: Person;
  note?: string;
}

/** A case handed to the helpdesk: who, what, everything the bot collected, and what the agents did. */
export interface Ticket {
  id: string;
  status: TicketStatus;
  /** Increases with every change; with the ticket id it makes the idempotency key of deliveries. */
  version: number;
  requester: Requester;
  /** The 1:1 conversation to notify the requester in (a botbuilder ConversationReference, kept opaque here). */
  requesterConversation: unknown;
  record: DiagnosticRecord;
  description?: string;
  transcript: TranscriptEntry[];
  /** The tenant-wide incident this ticket joined (its case is one of the incident's symptoms). */
  incidentId?: string;
  assignee?: Person;
  resolution?: { note: string; by: Person; at: string };
  history: TicketEvent[];
  createdAt: string;
  updatedAt: string;
  /**
   * What the requester said from their chat after the ticket was made: that it works now (the agents resolve it), or
   * that they cancelled it (it is then resolved, by them).
   */
  requesterUpdate?: { kind: 'works' | 'withdrawn'; at: string };
  /** What the requester added from their chat while the ticket was open ("still the same", the problem told again). */
  requesterNotes?: { text: string; at: string }[];
  /** The ticket card in the helpdesk channel, once posted. */
  channelMessage?: { conversationId: string; activityId: string };
  /**
   * Set just before the card is posted: a later attempt that finds it without `channelMessage` knows a post may
   * have reached Teams (the process stopped before recording it) and does not post a second card.
   */
  channelPostStartedAt?: string;
}

export const TRANSCRIPT_LIMIT = 50;
/** The longest piece of user text kept (a message, a description, a typed answer). */
export const USER_TEXT_LIMIT = 2000;
/** Appended to user text cut at USER_TEXT_LIMIT, so nobody takes it for the whole message. */
export const CUT_MARK = ' […]';

/** User text bounded to USER_TEXT_LIMIT characters, marked when cut. */
export function boundText(text: string, limit = USER_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  return text.slice(0, limit - CUT_MARK.length) + CUT_MARK;
}

export function appendTranscript(transcript: TranscriptEntry[], entry: TranscriptEntry): TranscriptEntry[] {
  const next = [...transcript, { ...entry, text: boundText(entry.text) }];
  return next.slice(-TRANSCRIPT_LIMIT);
}

export type TransitionResult =
  | { ok: true; ticket: Ticket }
  | {
      ok: false;
      reason: 'already-assigned' | 'already-resolved' | 'not-resolved' | 'not-assigned' | 'missing-note' | 'not-requester';
      ticket: Ticket;
    };

function touch(ticket: Ticket, event: TicketEvent): Ticket {
  return { ...ticket, version: ticket.version + 1, updatedAt: event.at, history: [...ticket.history, event] };
}

/** open → assigned. Someone else already holding it wins: the caller is told who. */
export function assign(ticket: Ticket, agent: Person, now = new Date()): TransitionResult {
  if (ticket.status === 'resolved') return { ok: false, reason: 'already-resolved', ticket };
  if (ticket.status === 'assigned' && ticket.assignee?.id !== agent.id) return { ok: false, reason: 'already-assigned', ticket };
  if (ticket.status === 'assigned') return { ok: true, ticket };
  const at = now.toISOString();
  return { ok: true, ticket: { ...touch(ticket, { at, status: 'assigned', by: agent }), status: 'assigned', assignee: agent } };
}

/** open/assigned → resolved, with the agent's note for the user. */
export function resolve(ticket: Ticket, agent: Person, note: string, now = new Date()): TransitionResult {
  if (ticket.status === 'resolved') return { ok: false, reason: 'already-resolved', ticket };
  const clean = boundText(note.trim());
  if (!clean) return { ok: false, reason: 'missing-note', ticket };
  const at = now.toISOString();
  return {
    ok: true,
    ticket: {
      ...touch(ticket, { at, status: 'resolved', by: agent, note: clean }),
      status: 'resolved',
      resolution: { note: clean, by: agent, at },
      assignee: ticket.assignee ?? agent,
    },
  };
}

/** assigned → open, by its assignee only: the ticket waits for an agent again (to hand it to a colleague). */
export function release(ticket: Ticket, agent: Person, now = new Date()): TransitionResult {
  if (ticket.status === 'resolved') return { ok: false, reason: 'already-resolved', ticket };
  if (ticket.status !== 'assigned') return { ok: false, reason: 'not-assigned', ticket };
  if (ticket.assignee?.id !== agent.id) return { ok: false, reason: 'already-assigned', ticket };
  const { assignee: _a, ...rest } = ticket;
  return { ok: true, ticket: { ...touch(rest as Ticket, { at: now.toISOString(), status: 'open', by: agent }), status: 'open' } };
}

/** resolved → open again. */
export function reopen(ticket: Ticket, agent: Person, now = new Date()): TransitionResult {
  if (ticket.status !== 'resolved') return { ok: false, reason: 'not-resolved', ticket };
  const at = now.toISOString();
  const { resolution: _r, assignee: _a, ...rest } = ticket;
  return { ok: true, ticket: { ...touch(rest as Ticket, { at, status: 'open', by: agent }), status: 'open' } };
}

/** The requester says it works now: noted on the ticket (once) for the agents, who resolve it. Theirs only, while open. */
export function reportWorks(ticket: Ticket, requester: Person, now = new Date()): TransitionResult {
  if (ticket.requester.id !== requester.id) return { ok: false, reason: 'not-requester', ticket };
  if (ticket.status === 'resolved') return { ok: false, reason: 'already-resolved', ticket };
  if (ticket.requesterUpdate?.kind === 'works') return { ok: true, ticket };
  const at = now.toISOString();
  return { ok: true, ticket: { ...touch(ticket, { at, status: ticket.status, by: requester }), requesterUpdate: { kind: 'works', at } } };
}

/** The most recent requester notes a ticket keeps. */
export const REQUESTER_NOTES_LIMIT = 20;

/** The requester adds to their own open ticket from the chat ("ya borré otro y sigue igual"): the card shows it. */
export function addRequesterNote(ticket: Ticket, requester: Person, text: string, now = new Date()): TransitionResult {
  if (ticket.requester.id !== requester.id) return { ok: false, reason: 'not-requester', ticket };
  if (ticket.status === 'resolved') return { ok: false, reason: 'already-resolved', ticket };
  const clean = boundText(text.trim());
  if (!clean) return { ok: false, reason: 'missing-note', ticket };
  const at = now.toISOString();
  const requesterNotes = [...(ticket.requesterNotes ?? []), { text: clean, at }].slice(-REQUESTER_NOTES_LIMIT);
  return { ok: true, ticket: { ...touch(ticket, { at, status: ticket.status, by: requester }), requesterNotes } };
}

/** The requester cancels their own open ticket: resolved by them, with the note; whoever held it keeps the record of it. */
export function withdraw(ticket: Ticket, requester: Person, note: string, now = new Date()): TransitionResult {
  if (ticket.requester.id !== requester.id) return { ok: false, reason: 'not-requester', ticket };
  const resolved = resolve(ticket, requester, note, now);
  if (!resolved.ok) return resolved;
  // Resolved as an agent would, except that the requester does not become its assignee.
  const withdrawn: Ticket = { ...resolved.ticket, requesterUpdate: { kind: 'withdrawn', at: now.toISOString() } };
  if (ticket.assignee) withdrawn.assignee = ticket.assignee;
  else delete withdrawn.assignee;
  return { ok: true, ticket: withdrawn };
}
