import { TeamsInfo, TurnContext } from 'botbuilder';
import { Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { randomUUID } from 'crypto';
import { choicesCard, offerPersonCard } from '../cards';
import { newRecord, recordAnswer } from '../src/core/diagnostics/record';
import { getQuestion, QuestionId } from '../src/core/knowledge/catalog';
import { normalize } from '../src/core/nlu/text';
import { answerOf, QUESTION_DIALOG, QuestionOptions, QuestionResult } from './questionDialog';
import { BotServices, cardActivity, messageText, submitData, t, turnLocale, vals } from './turn';

export const ESCALATION_DIALOG = 'escalation-flow';
export const FACTS_DIALOG = 'escalation-facts';

/** Facts the helpdesk needs in every ticket; asked before the ticket only if still missing. */
export const KEY_FACTS: QuestionId[] = ['error-message', 'platform', 'enrollment-method'];

export interface EscalationOptions {
  /** The user already said yes (pressed "Talk to a person" on an offer): skip the confirmation. */
  confirmed?: boolean;
  reason: 'asked' | 'all-causes-tried' | 'not-understood';
}

const YES = /^(yes|y|yep|sure|ok|okay|please|si|sí|vale|claro|certo|va bene|d accordo|s)$/;

/**
 * Hand-over to a person: a confirmation, one optional description in the user's words, only the key facts still
 * missing (FactsDialog), then the ticket. The user gets the ticket id at once; delivery to the helpdesk happens in
 * the background.
 */
export class EscalationDialog extends WaterfallDialog {
  constructor(private readonly services: BotServices) {
    super(ESCALATION_DIALOG);
    for (const step of [this.confirm, this.confirmed, this.describe, this.facts, this.create]) this.addStep(step.bind(this));
  }

  private async confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as EscalationOptions;
    vals(step).reason = options.reason;
    const data = await this.services.conversationData.get(step.context, {});
    data.record ??= newRecord('user', turnLocale(step.context));
    const tr = t(step.context);
    if (data.record.ticketId) {
      await step.context.sendActivity(tr('escalation.exists', { id: data.record.ticketId }));
      return step.endDialog();
    }
    data.record.personRequested = { at: new Date().toISOString(), reason: options.reason };
    if (options.confirmed) return step.next(true);
    await step.context.sendActivity(
      cardActivity(offerPersonCard(tr, data.record.id, tr('escalation.confirmTitle'), tr('escalation.confirmBody'), tr('escalation.yes'))),
    );
    return Dialog.EndOfTurn;
  }

  /** Only typed answers reach here (the card's buttons are handled by the router). */
  private async confirmed(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result === true) return step.next();
    if (YES.test(normalize(messageText(step.context)))) return step.next();
    await step.context.sendActivity(t(step.context)('person.declined'));
    return step.endDialog();
  }

  private async describe(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const tr = t(step.context);
    await step.context.sendActivity(
      cardActivity(choicesCard(tr('escalation.describe'), '', [], [{ title: tr('escalation.skip'), action: 'skip' }])),
    );
    return Dialog.EndOfTurn;
  }

  private async facts(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const data = submitData(step.context);
    const text = messageText(step.context);
    if (!data && text) vals(step).description = text;
    return step.beginDialog(FACTS_DIALOG, { index: 1 });
  }

  private async create(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const tr = t(step.context);
    const data = await this.services.conversationData.get(step.context, {});
    const record = data.record!;
    try {
      const upn = await upnOf(step.context);
      const ticket = await this.services.escalation.create({
        requester: { ...requesterOf(step.context), ...(upn ? { upn } : {}) },
        requesterConversation: TurnContext.getConversationReference(step.context.activity),
        record,
        ...(typeof vals(step).description === 'string' ? { description: vals(step).description as string } : {}),
        transcript: data.transcript ?? [],
      });
      record.ticketId = ticket.id;
      this.services.events?.outcome('escalated');
      await step.context.sendActivity(tr('escalation.created', { id: ticket.id }));
    } catch (err) {
      const correlationId = randomUUID().slice(0, 8);
      this.services.log?.('error', 'ticket creation failed', { correlationId, error: (err as Error).message });
      await step.context.sendActivity(tr('escalation.failed', { correlationId }));
    }
    return step.endDialog();
  }
}

/** The key facts still missing from the record, one QuestionDialog each, looping with replaceDialog. */
export class FactsDialog extends WaterfallDialog {
  constructor(private readonly services: BotServices) {
    super(FACTS_DIALOG);
    this.addStep(this.askFact.bind(this));
    this.addStep(this.recordFact.bind(this));
  }
  private async askFact(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const record = (await this.services.conversationData.get(step.context, {})).record;
    const missing = KEY_FACTS.filter((q) => !record?.answers[q]);
    const next = missing[0];
    if (!record || !next || !getQuestion(next)) return step.endDialog();
    const index = (step.options as { index: number }).index;
    vals(step).index = index;
    return step.beginDialog(QUESTION_DIALOG, {
      question: next,
      index,
      total: index + missing.length - 1,
      record: record.id,
    } satisfies QuestionOptions);
  }

  private async recordFact(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as QuestionResult | undefined;
    const record = (await this.services.conversationData.get(step.context, {})).record;
    if (result && record) recordAnswer(record, result.question, answerOf(result));
    return step.replaceDialog(FACTS_DIALOG, { index: (vals(step).index as number) + 1 });
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
  const tenantId =
    (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? context.activity.conversation?.tenantId;
  return {
    name: from.name || from.id,
    id: from.id,
    ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
    ...(tenantId ? { tenantId } : {}),
    locale: turnLocale(context),
  };
}
