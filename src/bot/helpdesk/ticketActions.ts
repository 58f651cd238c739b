import { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { MAX_REFRESH_USERS, refreshUsers, ticketCard } from '../../../cards/ticket';
import { EscalationService } from '../../core/escalation/service';
import { Person, Ticket, TransitionResult } from '../../core/escalation/ticket';
import { translator } from '../../core/knowledge/locales';
import { log } from '../../core/log';
import { BotConfig } from '../config';
import { Roster, RosterUnavailableError } from './roster';
import { helpdeskAlert, HelpdeskTeamReference } from './team';

const message = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: text as never,
});

/**
 * Universal Actions on ticket cards: assign, resolve (with a note), release, reopen, refresh. Every one of them, refresh
 * included, is for members of the helpdesk team only, checked before the ticket is even read: anyone else gets a
 * refusal and nothing of the ticket. A member gets the card as they should see it (their per-user view: the
 * buttons that apply to them), listing the members Teams keeps fetching such views for.
 */
export class TicketActions {
  constructor(
    private readonly config: BotConfig,
    private readonly escalation: EscalationService,
    private readonly roster: Roster | undefined,
    private readonly team: HelpdeskTeamReference,
  ) {}

  async handle(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const t = translator(this.config.helpdeskLocale);
    const verb = value?.action?.verb;
    const from = context.activity.from;
    let member = false;
    try {
      member = !!this.roster && !!from?.id && (await this.roster.isMember(context, from.id));
    } catch (err) {
      if (!(err instanceof RosterUnavailableError)) throw err;
      return message(t('ticket.tryAgain'));
    }
    if (!member) {
      log('warn', 'ticket action refused: not a helpdesk member', { verb: typeof verb === 'string' ? verb : null });
      return message(t('ticket.refused'));
    }
    const data = (value?.action?.data ?? {}) as { ticket?: unknown; note?: unknown };
    if (typeof data.ticket !== 'string') return message(t('ticket.notFound'));
    const current = await this.escalation.tickets.get(data.ticket);
    if (!current) return message(t('ticket.notFound'));
    const alert = helpdeskAlert(this.config, await this.team.get());
    const members = await this.roster!.memberIds(context, MAX_REFRESH_USERS).catch((err: Error) => {
      log('warn', 'ticket card: roster unavailable, per-user views for the assignee only', { error: err.message });
      return [] as string[];
    });
    const card = (ticket: Ticket): AdaptiveCardInvokeResponse => ({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: ticketCard(t, ticket, {
        ...(alert ? { alert } : {}),
        viewer: from.id,
        refreshUserIds: refreshUsers(ticket, members),
      }) as never,
    });
    if (verb === 'refresh') return card(current);
    const agent: Person = {
      id: from.id,
      name: from.name || from.id,
      ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
    };
    const change = (): Promise<TransitionResult | undefined> | undefined =>
      verb === 'assign'
        ? this.escalation.assign(current.id, agent)
        : verb === 'resolve'
          ? this.escalation.resolve(current.id, agent, typeof data.note === 'string' ? data.note : '')
          : verb === 'reopen'
            ? this.escalation.reopen(current.id, agent)
            : verb === 'release'
              ? this.escalation.release(current.id, agent)
              : undefined;
    let result: TransitionResult | undefined;
    try {
      const changing = change();
      if (!changing) return message(t('errors.unknownAction'));
      result = await changing;
    } catch (err) {
      // Storage refused the change or its deliveries: the agent hears it was not saved, never a card that says it was.
      log('error', 'ticket action could not be saved', { ticket: current.id, verb, error: (err as Error).message });
      return message(t('ticket.saveFailed'));
    }
    if (!result) return message(t('ticket.notFound'));
    if (!result.ok && result.reason === 'missing-note') return message(t('ticket.missingNote'));
    // Done, or someone else was faster: the card as it is now (with who holds it).
    return card(result.ticket);
  }
}
