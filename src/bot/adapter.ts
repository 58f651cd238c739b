import { performance } from 'perf_hooks';
import { AuthenticateRequestResult, AuthenticationError, ClaimsIdentity, ConnectorFactory, UserTokenClient } from 'botframework-connector';
import {
  Activity,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ResourceResponse,
  StatusCodes,
  TurnContext,
} from 'botbuilder';
import { log } from '../core/log';
import { ConnectorClients } from './connectors';
import { validateAndFixActivity } from './sdkInternals';

/**
 * The bot's authentication, from the environment, with two changes:
 * - botbuilder 4.23 turns only its own checks and expired tokens into 401; other token errors (a bad signature,
 *   "alg": "none", a token not valid yet) escape and CloudAdapter answers 500. Every invalid token is a 401.
 * - The Bot Connector clients are kept between turns (ConnectorClients) instead of being built for every activity.
 */
export class ChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new ConnectorClients();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      const factory = result.connectorFactory;
      return factory ? { ...result, connectorFactory: this.clients.factory(factory, result.claimsIdentity) } : result;
    } catch (err) {
      if (err instanceof Error && ['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError'].includes(err.name)) {
        throw new AuthenticationError(`Unauthorized. Invalid token: ${err.message}`, StatusCodes.UNAUTHORIZED);
      }
      throw err;
    }
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.clients.factory(super.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.clients.userTokenClient(claimsIdentity, () => super.createUserTokenClient(claimsIdentity));
  }
}

/**
 * How long the replies of a turn started by an HTTP request may wait for the Bot Connector in all. Teams gives up on
 * a request after 15 s and sends it again; a 429 with a long Retry-After must not hold the request that long.
 */
export const REPLY_BUDGET_MS = 10_000;

/** Replies of this turn still on their way after the budget ran out: later replies of the turn queue behind them. */
const LATE_REPLIES = Symbol('lateReplies');

/**
 * CloudAdapter, with:
 * - an entry point for an activity the server already parsed and checked (activityProblem): CloudAdapter.process
 *   would check the request again with zod schemas before running the same processActivity;
 * - a record of which turns came in over HTTP (isIncoming): a proactive turn is one the bot started itself
 *   (continueConversationAsync), never an incoming activity that merely carries the name ContinueConversation;
 * - a time budget for the replies of an incoming turn (REPLY_BUDGET_MS): past it, the reply keeps being sent (and
 *   retried by botbuilder's pipeline) in the background, the turn and the HTTP request go on.
 */
export class BotCloudAdapter extends CloudAdapter {
  /** Incoming activities (the objects the turns run on) and when their replies' budget ends. */
  private readonly incoming = new WeakMap<Partial<Activity>, number>();

  constructor(
    auth: ConfigurationBotFrameworkAuthentication,
    private readonly replyBudgetMs = REPLY_BUDGET_MS,
  ) {
    super(auth);
  }

  /** Authenticates and runs the turn of one incoming activity; the HTTP status (and invoke body) to answer with. */
  async processIncoming(
    activity: Activity,
    authHeader: string,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<{ status: number; body?: unknown }> {
    const checked = validateAndFixActivity(activity);
    this.incoming.set(checked, performance.now() + this.replyBudgetMs);
    try {
      const invokeResponse = await this.processActivity(authHeader, checked, logic);
      return { status: invokeResponse?.status ?? StatusCodes.OK, body: invokeResponse?.body };
    } catch (err) {
      if (err instanceof AuthenticationError) {
        // The reason goes to the log only: a caller without a valid token learns nothing about why.
        log('warn', 'request refused: not authenticated', { reason: err.message });
        return { status: StatusCodes.UNAUTHORIZED, body: { error: 'unauthorized' } };
      }
      throw err;
    }
  }

  /** Whether this turn runs on an activity that came in over HTTP (as opposed to a turn the bot started itself). */
  isIncoming(context: TurnContext): boolean {
    return this.incoming.has(context.activity);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const deadline = this.incoming.get(context.activity);
    // Proactive turns (deliveries) wait as long as the Bot Connector asks: the outbox owns their retries.
    // An invoke response is not sent anywhere: it is what the HTTP request answers with.
    if (deadline === undefined || activities.every((a) => a.type === ActivityTypes.InvokeResponse)) {
      return super.sendActivities(context, activities);
    }
    const placeholders = (): ResourceResponse[] => activities.map(() => ({ id: '' }));
    const late = context.turnState.get(LATE_REPLIES) as Promise<void> | undefined;
    if (late) {
      // Keep the order of the turn's replies: after the ones still on their way.
      context.turnState.set(
        LATE_REPLIES,
        this.finishLate(
          context,
          late.then(() => super.sendActivities(context, activities)),
        ),
      );
      return placeholders();
    }
    const sending = super.sendActivities(context, activities);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, deadline - performance.now()))));
    try {
      const outcome = await Promise.race([sending, budget]);
      if (outcome !== 'late') return outcome;
    } finally {
      clearTimeout(timer);
    }
    log('warn', 'reply held by the Bot Connector past the request budget: sending it in the background', {
      conversation: context.activity.conversation?.id,
      budgetMs: this.replyBudgetMs,
    });
    context.turnState.set(LATE_REPLIES, this.finishLate(context, sending));
    return placeholders();
  }

  private finishLate(context: TurnContext, sending: Promise<unknown>): Promise<void> {
    const conversation = context.activity.conversation?.id;
    return sending.then(
      () => log('info', 'late reply delivered', { conversation }),
      (err: Error) => log('warn', 'late reply dropped: the Bot Connector did not take it', { conversation, error: err?.message }),
    );
  }
}
