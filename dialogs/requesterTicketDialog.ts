import { TurnContext } from 'botbuilder';
import { choicesCard } from '../cards';
import { action } from '../cards/actions';
import { Person, Ticket } from '../src/core/escalation/ticket';
import { Translate } from '../src/core/knowledge/locales';
import { readCommand, readConfirmation } from '../src/core/replies/understand';
import { readWorksNow } from '../src/core/replies/worksNow';
import { AskDialog, AskState, Reply } from './askDialog';
import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { BotServices, cardActivity, messageText, pressed, t, turnLocale } from './turn';

/*
 * What the requester can do about their ticket from the chat where it was made: say it works now (noted on the
 * ticket, for an agent to resolve), or cancel it (confirmed first; then resolved by them, with a note). Only the
 * requester's own open ticket, the one of this conversation's current case.
 */

export const WITHDRAW_TICKET_DIALOG = 'withdraw-ticket';
export const CONFIRM_WITHDRAW_DIALOG = 'withdraw-ticket-confirm';

/** The person writing this turn, as a ticket names people. */
export function writer(context: TurnContext): Person {
  const from = context.activity.from ?? { id: '', name: '' };
  return { id: from.id, name: from.name || from.id, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) };
}

/** The open ticket of this conversation's current case, when the person writing is its requester. */
export async function openTicketOf(context: TurnContext, services: BotServices): Promise<Ticket | undefined> {
  const id = (await services.conversationData.get(context, {})).record?.ticketId;
  if (!id || !context.activity.from?.id) return undefined;
  const ticket = await services.escalation.tickets.get(id);
  return ticket && ticket.status !== 'resolved' && ticket.requester.id === context.activity.from.id ? ticket : undefined;
}

/**
 * After the ticket, the requester says it works now: the ticket notes it (its card in the helpdesk channel shows
 * it) and they are thanked. Returns false when the message is not that, or there is no open ticket of theirs.
 */
export async function reportWorksNow(context: TurnContext, services: BotServices, text: string): Promise<boolean> {
  if (!text || !readWorksNow(text, turnLocale(context))) return false;
  const ticket = await openTicketOf(context, services);
  if (!ticket) return false;
  const result = await services.escalation.reportWorks(ticket.id, writer(context));
  if (!result?.ok) return false;
  await context.sendActivity(t(context)('followUp.works', { id: ticket.id }));
  return true;
}

export interface WithdrawOptions {
  ticket: string;
}

/** "Cancel ticket IOS-…?" yes or no, by button or typed. Unclear twice: no (nothing is closed unasked). */
class ConfirmWithdrawDialog extends AskDialog<WithdrawOptions, boolean> {
  constructor() {
    super(CONFIRM_WITHDRAW_DIALOG);
  }

  protected async prompt(context: TurnContext, state: WithdrawOptions & AskState): Promise<void> {
    const tr = t(context);
    const button = (confirm: boolean) => ({
      title: tr(confirm ? 'followUp.withdrawYes' : 'followUp.withdrawNo'),
      data: action({ action: 'withdraw-ticket', ticket: state.ticket, confirm }),
    });
    const card = choicesCard(
      tr('followUp.withdrawTitle', { id: state.ticket }),
      tr('followUp.withdrawBody'),
      [],
      [button(true), button(false)],
    );
    await context.sendActivity(cardActivity(card));
  }

  protected read(context: TurnContext, state: WithdrawOptions & AskState): Reply<boolean> {
    const press = pressed(context);
    if (press) {
      const d = press.kind === 'action' ? press.data : undefined;
      return d?.action === 'withdraw-ticket' && d.ticket === state.ticket ? { value: d.confirm } : 'stale';
    }
    const text = messageText(context);
    const answer = readConfirmation(text, turnLocale(context));
    if (answer) return { value: answer === 'yes' };
    // Asked whether to cancel, "cancel it" is a yes.
    return readCommand(text, turnLocale(context)) === 'cancel' ? { value: true } : 'miss';
  }

  protected reask(tr: Translate, state: WithdrawOptions & AskState): string {
    return tr('followUp.withdrawReask', { id: state.ticket });
  }

  protected fallback(): boolean {
    return false;
  }
}

/** The requester asks to cancel their open ticket: confirm, then resolve it as theirs, with a note; the card updates. */
class WithdrawTicketDialog extends WaterfallDialog<WithdrawOptions> {
  constructor(private readonly services: BotServices) {
    super(WITHDRAW_TICKET_DIALOG);
    this.addStep(async (step) => step.beginDialog(CONFIRM_WITHDRAW_DIALOG, { ticket: step.options.ticket } satisfies WithdrawOptions));
    this.addStep(this.act.bind(this));
  }

  private async act(step: WaterfallStepContext<WithdrawOptions>): Promise<DialogTurnResult> {
    const tr = t(step.context);
    const id = step.options.ticket;
    if (step.result !== true) {
      await step.context.sendActivity(tr('followUp.kept', { id }));
      return step.endDialog();
    }
    // Checked again now: the ticket may have been resolved by an agent while the requester was deciding.
    const ticket = await openTicketOf(step.context, this.services);
    const result =
      ticket?.id === id ? await this.services.escalation.withdraw(id, writer(step.context), tr('followUp.withdrawNote')) : undefined;
    await step.context.sendActivity(result?.ok ? tr('followUp.withdrawn', { id }) : tr('control.nothingToCancel'));
    return step.endDialog();
  }
}

export const requesterTicketDialogs = (services: BotServices): [ConfirmWithdrawDialog, WithdrawTicketDialog] => [
  new ConfirmWithdrawDialog(),
  new WithdrawTicketDialog(services),
];
