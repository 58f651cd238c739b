import { TurnContext } from 'botbuilder';
import { NONE } from '../src/core/knowledge/catalog';
import { DiagnosticRecord } from '../src/core/diagnostics/record';
import { Ticket } from '../src/core/escalation/ticket';
import { readAcknowledgement } from '../src/core/replies/cardReplies';
import { readBareNo } from '../src/core/replies/ratingReply';
import { readOutcome, readOutOfScope, readSmallTalk } from '../src/core/replies/understand';
import { readWorksNow } from '../src/core/replies/worksNow';
import { REOPEN_DIALOG, ReopenOptions, takesBackFix } from './reopenDialog';
import { writer } from './requesterTicketDialog';
import { DialogContext } from './sdk';
import { BotServices, t, turnLocale } from './turn';

/*
 * A message when no prompt is waiting, about a case that ended: it still fails after all (the case reopens), or it
 * is about the ticket the case went to ("any news?", "sigue sin funcionar", the same problem told again). A new
 * problem, small talk or a request the bot does not cover is none of these: the router reads it afresh.
 */

/** The open tickets of this conversation's cases whose requester is the person writing, the newest case's first. */
export async function openTicketsOf(context: TurnContext, services: BotServices): Promise<Ticket[]> {
  const data = await services.conversationData.get(context, {});
  const ids = [data.record, ...[...(data.history ?? [])].reverse()].map((r) => r?.ticketId).filter((id): id is string => !!id);
  const from = context.activity.from?.id;
  const out: Ticket[] = [];
  for (const id of new Set(ids)) {
    const ticket = await services.escalation.tickets.get(id);
    if (ticket && ticket.status !== 'resolved' && ticket.requester.id === from) out.push(ticket);
  }
  return out;
}

/** The requester's open ticket for this case's symptom, if another case of the conversation already went to one. */
export async function ticketForSameProblem(
  context: TurnContext,
  services: BotServices,
  record: DiagnosticRecord,
): Promise<Ticket | undefined> {
  if (!record.symptom) return undefined;
  return (await openTicketsOf(context, services)).find((tk) => tk.record.symptom === record.symptom);
}

/** Adds the user's words to their ticket; says so. False when the ticket could not take it (resolved meanwhile). */
export async function noteOnTicket(
  context: TurnContext,
  services: BotServices,
  ticket: Ticket,
  text: string,
  key: 'noted' | 'already',
): Promise<boolean> {
  const result = text.trim() ? await services.escalation.addNote(ticket.id, writer(context), text) : undefined;
  if (!result?.ok) return false;
  await context.sendActivity(t(context)(`followUp.${key}`, { id: ticket.id }));
  return true;
}

/** Handles the message when it follows up on an ended case; false when it is something to read afresh. */
export async function followUp(dc: DialogContext, services: BotServices, text: string): Promise<boolean> {
  if (!text) return false;
  const locale = turnLocale(dc.context);
  const data = await services.conversationData.get(dc.context, {});
  // Fixed, then "it still fails" once the rating is done: the same case, where it was.
  if (takesBackFix(services, data.record, text, locale)) {
    await dc.beginDialog(REOPEN_DIALOG, { record: data.record!.id } satisfies ReopenOptions);
    return true;
  }
  const tickets = await openTicketsOf(dc.context, services);
  if (tickets.length === 0) return false;
  if (readSmallTalk(text, locale) || readAcknowledgement(text, locale) || readOutOfScope(text, locale)) return false;
  const r = services.recognizer.recognize(text, locale);
  const symptom = r.intent !== NONE && !r.ambiguous ? r.intent : undefined;
  const same = symptom ? tickets.find((tk) => tk.record.symptom === symptom) : undefined;
  // Another problem than the ticket's: a case of its own.
  if (symptom && !same) return false;
  // The problem told again, or still failing ("ya borré otro y sigue igual"): the agent sees it on the ticket.
  if (same && (await noteOnTicket(dc.context, services, same, text, 'already'))) return true;
  const still = readOutcome(text, locale) === 'not-fixed' && !readWorksNow(text, locale) && !readBareNo(text, locale);
  if (still && (await noteOnTicket(dc.context, services, tickets[0]!, text, 'noted'))) return true;
  if (r.ambiguous) return false;
  // Anything else ("any news?", "how long will it take?"): where the case is, and who will answer.
  const ticket = tickets[0]!;
  const tr = t(dc.context);
  await dc.context.sendActivity(
    ticket.status === 'assigned' && ticket.assignee
      ? tr('followUp.statusAssigned', { id: ticket.id, name: ticket.assignee.name })
      : tr('followUp.status', { id: ticket.id }),
  );
  return true;
}
