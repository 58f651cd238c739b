import { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { Outbox } from '../../core/escalation/outbox';
import { log } from '../../core/log';
import { RosterUnavailableError, Roster } from './roster';
import { HelpdeskTeamReference } from './team';
import { TicketActions } from './ticketActions';
import { UserReferences } from './users';

export { Deliveries } from './deliveries';
export { isProactiveTurn, ProactiveTurns } from './proactive';
export { Roster, RosterUnavailableError } from './roster';
export { HelpdeskTeamReference } from './team';
export type { HelpdeskTeam } from './team';
export { TicketActions } from './ticketActions';
export { UserReferences } from './users';

/**
 * What the Teams handler needs of the helpdesk: the team reference (kept on install, then what waited for it is
 * delivered), whether a user is an agent, user references, and the ticket card actions. Each part is its own module.
 */
export class Helpdesk {
  constructor(
    readonly team: HelpdeskTeamReference,
    readonly roster: Roster | undefined,
    readonly users: UserReferences,
    readonly actions: TicketActions,
    private readonly outbox: Outbox,
  ) {}

  get enabled(): boolean {
    return this.team.enabled;
  }

  /** Keeps the helpdesk team's reference when the bot hears from it, and delivers the ticket cards that waited. */
  async rememberTeam(context: TurnContext): Promise<boolean> {
    const saved = await this.team.remember(context);
    if (saved) await this.outbox.retryNow((d) => d.kind === 'channel-post' || d.kind === 'channel-update' || d.kind === 'incident-post');
    return saved;
  }

  /** Members of the helpdesk team are agents. A roster that can't be checked now makes nobody an agent this turn. */
  async isAgent(context: TurnContext): Promise<boolean> {
    const userId = context.activity.from?.id;
    if (!this.roster || !userId) return false;
    try {
      return await this.roster.isMember(context, userId);
    } catch (err) {
      if (!(err instanceof RosterUnavailableError)) throw err;
      log('warn', 'roster unavailable: answering as to an employee this turn', { error: err.message });
      return false;
    }
  }

  rememberUser(context: TurnContext): Promise<void> {
    return this.users.remember(context);
  }

  inUserChat(current: TurnContext, userId: string, logic: (context: TurnContext) => Promise<void>): Promise<boolean> {
    return this.users.inUserChat(current, userId, logic);
  }

  handleAction(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return this.actions.handle(context, value);
  }
}
