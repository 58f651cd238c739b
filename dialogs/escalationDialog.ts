import { TeamsInfo, TurnContext } from 'botbuilder';
import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { randomUUID } from 'crypto';
import { completeForTicket } from '../src/core/diagnostics/inference';
import { learnFromNote } from '../src/core/diagnostics/note';
import { DiagnosticRecord, newRecord, Role } from '../src/core/diagnostics/record';
import { DECLINED_DIALOG } from './declinedDialog';
import { DESCRIBE_DIALOG, DescribeResult } from './describeDialog';
import { noteOnTicket, ticketForSameProblem } from './followUps';
import { MAIN_DIALOG } from './ids';
import type { MainOptions } from './mainDialog';
import { OFFER_DIALOG, OfferOptions, OfferResult } from './offerDialog';
import { RATING_DIALOG, RatingOptions } from './ratingDialog';
import { QUESTION_LOOP_DIALOG, QuestionLoopOptions } from './questionLoopDialog';
import { tenantIdOf } from './teamsActivity';
import { BotServices, messageText, scratch, t, turnLocale } from './turn';

export const ESCALATION_DIALOG = 'escalation-flow';

export type EscalationReason = NonNullable<DiagnosticRecord['personRequested']>['reason'];

export interface EscalationOptions {
  reason: EscalationReason;
  /** The user already said yes (pressed "Talk to a person" on an offer): no confirmation. */
  confirmed?: boolean;
  /**
   * Why the bot offers a person, when it does so on its own: the last fix failed, it couldn't tell, or the tenant's
   * evidence confirmed a cause only IT can fix (evidenceCheck names the check).
   */
  offer?: 'exhausted' | 'unclear' | 'evidence' | 'refused';
  evidenceCheck?: string;
  /** Who asks, when no case is under way yet (an agent asking for a person straight away). */
  role?: Role;
}

interface Scratch {
  description: string;
}

/** The wording of the confirmation: asked by the user, or offered by the bot (and why). */
function confirmation(options: EscalationOptions): Omit<OfferOptions, 'record'> {
  if (options.offer === 'exhausted') return { title: 'cause.lastFixFailed', body: 'cause.offerPerson', yes: 'cause.person' };
  if (options.offer === 'refused') return { title: 'cause.refusedOnly', body: 'cause.offerPerson', yes: 'cause.person' };
  if (options.offer === 'evidence' && options.evidenceCheck) {
    const k = `evidence.employee.${options.evidenceCheck}`;
    return { title: `${k}.title`, body: `${k}.body`, yes: 'evidence.send' };
  }
  if (options.offer === 'unclear') return { title: 'cause.unclear', body: 'cause.offerPerson', yes: 'cause.person' };
  if (options.reason === 'not-understood') return { title: 'recognize.stillNotUnderstood', body: 'cause.offerPerson', yes: 'cause.person' };
  return { title: 'escalation.confirmTitle', body: 'escalation.confirmBody', yes: 'escalation.yes' };
}

/**
 * Hand-over to a person: the confirmation (or the bot's offer), one optional description in the user's words, only
 * the key facts still missing, then the ticket. No ticket without a yes. The user gets the ticket id at once;
 * delivery to the helpdesk happens in the background.
 */
export class EscalationDialog extends WaterfallDialog<EscalationOptions> {
  constructor(private readonly services: BotServices) {
    super(ESCALATION_DIALOG);
    for (const step of [this.confirm, this.confirmed, this.facts, this.create]) this.addStep(step.bind(this));
  }

  private async record(context: TurnContext, role: Role = 'user'): Promise<DiagnosticRecord> {
    const data = await this.services.conversationData.get(context, {});
    return (data.record ??= newRecord(role, turnLocale(context)));
  }

  private async confirm(step: WaterfallStepContext<EscalationOptions>): Promise<DialogTurnResult> {
    const record = await this.record(step.context, step.options.role);
    if (record.ticketId) {
      await step.context.sendActivity(t(step.context)('escalation.exists', { id: record.ticketId }));
      return step.endDialog();
    }
    // The same problem as a ticket still open (told again after "start over"): that ticket, never a second one.
    const open = await ticketForSameProblem(step.context, this.services, record);
    if (open) {
      record.ticketId = open.id;
      if (!(await noteOnTicket(step.context, this.services, open, record.description ?? messageText(step.context), 'already')))
        await step.context.sendActivity(t(step.context)('escalation.exists', { id: open.id }));
      return step.endDialog();
    }
    if (step.options.confirmed) return step.next(true);
    return step.beginDialog(OFFER_DIALOG, { record: record.id, ...confirmation(step.options) } satisfies OfferOptions);
  }

  /**
   * Yes: ask for a description. No: say how to change one's mind. A new description of a known problem instead of
   * an answer: that problem, troubleshot from the start.
   */
  private async confirmed(step: WaterfallStepContext<EscalationOptions>): Promise<DialogTurnResult> {
    const result = step.result as OfferResult;
    if (typeof result === 'object') {
      const record = await this.record(step.context);
      await step.cancelAllDialogs();
      return step.beginDialog(MAIN_DIALOG, { text: result.text, role: record.role } satisfies MainOptions);
    }
    if (result === 'fixed') {
      const record = await this.record(step.context);
      // Nothing was tried: there is no fix to be glad about or to rate, only no ticket.
      if (record.attempts.length === 0) {
        await step.context.sendActivity(t(step.context)('escalation.notCreated'));
        return step.endDialog();
      }
      record.closedAt = new Date().toISOString();
      return step.replaceDialog(RATING_DIALOG, { record: record.id } satisfies RatingOptions);
    }
    if (result !== true) {
      await step.context.sendActivity(t(step.context)('person.declined'));
      // A yes in the very next message changes one's mind ("actually yes"): the handoff goes on from here.
      return step.replaceDialog(DECLINED_DIALOG, step.options);
    }
    const record = await this.record(step.context);
    record.personRequested = { at: new Date().toISOString(), reason: step.options.reason };
    return step.beginDialog(DESCRIBE_DIALOG);
  }

  private async facts(step: WaterfallStepContext<EscalationOptions>): Promise<DialogTurnResult> {
    if ((step.result as DescribeResult | undefined)?.withdrawn) return step.endDialog();
    if ((step.result as DescribeResult | undefined)?.left) {
      // The user took leave where the description was asked: no ticket is created by a goodbye.
      await step.context.sendActivity(t(step.context)('escalation.notCreated'));
      return step.endDialog();
    }
    const description = (step.result as DescribeResult | undefined)?.description;
    if (description) {
      scratch<Scratch>(step).description = description;
      // An error the note names, or "I don't know what it says", is not asked again.
      const recognition = this.services.recognizer.recognize(description, turnLocale(step.context));
      learnFromNote(await this.record(step.context), description, recognition, recognition.locale);
    }
    return step.beginDialog(QUESTION_LOOP_DIALOG, { set: 'key-facts' } satisfies QuestionLoopOptions);
  }

  private async create(step: WaterfallStepContext<EscalationOptions>): Promise<DialogTurnResult> {
    const tr = t(step.context);
    const data = await this.services.conversationData.get(step.context, {});
    const record = await this.record(step.context);
    const { description } = scratch<Scratch>(step);
    completeForTicket(record);
    try {
      const upn = await upnOf(step.context);
      const ticket = await this.services.escalation.create({
        requester: { ...requesterOf(step.context), ...(upn ? { upn } : {}) },
        requesterConversation: TurnContext.getConversationReference(step.context.activity),
        record,
        ...(description ? { description } : {}),
        transcript: data.transcript ?? [],
      });
      record.ticketId = ticket.id;
      this.services.events?.outcome('escalated');
      // An agent's own ticket waits in the helpdesk channel; nobody will contact them in this chat.
      await step.context.sendActivity(tr(record.role === 'agent' ? 'escalation.createdForAgent' : 'escalation.created', { id: ticket.id }));
    } catch (err) {
      const correlationId = randomUUID().slice(0, 8);
      this.services.log?.('error', 'ticket creation failed', { correlationId, error: (err as Error).message });
      await step.context.sendActivity(tr('escalation.failed', { correlationId }));
    }
    return step.endDialog();
  }
}

/** The requester's UPN from the Teams roster (the chat deep link needs it); undefined if Teams can't say, quickly. */
async function upnOf(context: TurnContext): Promise<string | undefined> {
  const userId = context.activity.from?.id;
  if (context.activity.channelId !== 'msteams' || !userId) return undefined;
  const lookup = TeamsInfo.getMember(context, userId).then((m) => m.userPrincipalName || undefined);
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3000).unref());
  return Promise.race([lookup, timeout]).catch(() => undefined);
}

export function requesterOf(context: TurnContext): { name: string; id: string; aadObjectId?: string; tenantId?: string; locale: string } {
  const from = context.activity.from ?? { id: 'unknown', name: '' };
  const tenantId = tenantIdOf(context.activity);
  return {
    name: from.name || from.id,
    id: from.id,
    ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
    ...(tenantId ? { tenantId } : {}),
    locale: turnLocale(context),
  };
}
