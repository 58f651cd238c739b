import {
  Activity,
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  CardFactory,
  ChannelAccount,
  MessagingExtensionAction,
  MessagingExtensionActionResponse,
  ConversationState,
  TeamsActivityHandler,
  TurnContext,
  UserState,
} from 'botbuilder';
import type { DialogState } from '../../dialogs/sdk';
import { pickSymptomCard, startFlowCard, welcomeCard } from '../../cards';
import { cardToText } from '../../cards/text';
import { ConversationRouter } from '../../dialogs/router';
import { mentionsRecipient, teamIdOf } from '../../dialogs/teamsActivity';
import { BotServices, cardActivity, ConversationData, establishLocale, t, UserProfile } from '../../dialogs/turn';
import { Role } from '../core/diagnostics/record';
import { isSymptomId } from '../core/knowledge/catalog';
import { EscalationService } from '../core/escalation/service';
import { appendTranscript, TranscriptEntry } from '../core/escalation/ticket';
import { SymptomRecognizer } from '../core/nlu/recognizer';
import { log } from '../core/log';
import { BotConfig } from './config';
import { Helpdesk } from './helpdesk/index';
import { BotEvents } from './metrics';
import { PersonalData } from './personalData';

/** The Action.Execute verb of Start on a card dropped by the messaging extension (cards/templates/startFlow.json). */
export const START_FLOW_VERB = 'startFlow';

/** The HTTP status of a Bot Connector error, also when botbuilder-dialogs wrapped it (DialogContextError.error). */
function connectorStatus(err: unknown): unknown {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { error?: unknown }).error, depth++) {
    const status = (e as { statusCode?: unknown }).statusCode;
    if (status !== undefined) return status;
  }
  return undefined;
}

/**
 * The Teams handler: welcome on install, mentions in channels and group chats, locale per turn, the transcript,
 * the helpdesk team and its ticket actions, state saved at the end of every turn. The conversation itself lives in
 * dialogs/.
 */
export class EnrollmentBot extends TeamsActivityHandler {
  private readonly router: ConversationRouter;
  readonly services: BotServices;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    recognizer: SymptomRecognizer,
    private readonly config: BotConfig,
    escalation: EscalationService,
    private readonly helpdesk?: Helpdesk,
    events?: BotEvents,
    personalData?: PersonalData,
  ) {
    super();
    this.services = {
      recognizer,
      conversationData: conversationState.createProperty<ConversationData>('conversationData'),
      userProfile: userState.createProperty<UserProfile>('userProfile'),
      escalation,
      ...(personalData ? { personalData } : {}),
      log,
      ...(events ? { events } : {}),
    };
    this.router = new ConversationRouter(this.services, conversationState.createProperty<DialogState>('dialogState'), {
      roleOf: async (context) => this.roleOf(context),
      sendFlow: async (context, user, symptom) => {
        if (!this.helpdesk) return 'unavailable';
        const agent = context.activity.from?.name ?? '';
        const reached = await this.helpdesk.inUserChat(context, user.id, async (userContext) => {
          await establishLocale(userContext, this.services);
          await userContext.sendActivity(t(userContext)('agent.fromAgent', { agent }));
          await this.router.startFlow(userContext, symptom);
          await this.conversationState.saveChanges(userContext, false);
        });
        return reached ? 'sent' : 'unreachable';
      },
    });

    this.onConversationUpdate(async (context, next) => {
      if (this.helpdesk) await this.helpdesk.rememberTeam(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const added: ChannelAccount[] = context.activity.membersAdded ?? [];
      // Welcome once when the bot itself is installed (1:1, group chat or team), and users joining a 1:1 chat.
      const botAdded = added.some((m) => m.id === botId);
      const personal = (context.activity.conversation?.conversationType ?? 'personal') === 'personal';
      if (botAdded || (personal && added.some((m) => m.id !== botId))) {
        await context.sendActivity(cardActivity(welcomeCard(t(context), await this.roleOf(context))));
      }
      await next();
    });
  }

  /**
   * A message goes straight to the conversation. Overriding this instead of registering an onMessage handler skips
   * ActivityHandler's two handler chains (Message, then Dialog) on every message; the bot registers neither.
   */
  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    if (!this.shouldAnswer(context)) return;
    if (context.activity.text)
      context.activity.text = TurnContext.removeRecipientMention(context.activity)?.trim() ?? context.activity.text;
    await this.recordTranscript(context);
    await this.helpdesk?.rememberUser(context);
    await this.router.onMessage(context);
  }

  override async run(context: TurnContext): Promise<void> {
    // A message the bot answers needs both states: read them at once (with blob storage, one round trip, not two).
    if (context.activity.type === 'message' && this.shouldAnswer(context)) {
      await Promise.all([this.conversationState.load(context), this.userState.load(context)]);
    }
    await establishLocale(context, this.services);
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  /**
   * Universal Actions (`adaptiveCard/action`), routed by verb: Start on a card dropped by the messaging extension
   * starts its flow; every other verb is a ticket action of the helpdesk.
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    if (value.action.verb === START_FLOW_VERB) {
      const started = (await this.startFlowFromCard(context, value.action.data)) ?? t(context)('errors.missingFields');
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: started as never };
    }
    if (!this.helpdesk)
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: t(context)('errors.unknownAction') as never };
    return this.helpdesk.handleAction(context, value);
  }

  /** Messaging extension "Start guided troubleshooting": agents pick a symptom in a task module. */
  protected override async handleTeamsMessagingExtensionFetchTask(context: TurnContext): Promise<MessagingExtensionActionResponse> {
    await establishLocale(context, this.services);
    if ((await this.roleOf(context)) !== 'agent') return { task: { type: 'message', value: t(context)('agent.notAgent') } };
    return {
      task: {
        type: 'continue',
        value: {
          title: t(context)('extension.pickTitle'),
          height: 'large',
          width: 'medium',
          card: CardFactory.adaptiveCard(pickSymptomCard(t(context))),
        },
      },
    };
  }

  /** …and the bot drops a card into the chat that starts that flow for whoever presses it, in their own language. */
  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    await establishLocale(context, this.services);
    if ((await this.roleOf(context)) !== 'agent') return { task: { type: 'message', value: t(context)('agent.notAgent') } };
    const symptom = (action.data as { symptom?: unknown } | undefined)?.symptom;
    if (!isSymptomId(symptom)) return { task: { type: 'message', value: t(context)('extension.required') } };
    return {
      composeExtension: {
        type: 'result',
        attachmentLayout: 'list',
        attachments: [CardFactory.adaptiveCard(startFlowCard(t(context), symptom))],
      },
    };
  }

  /**
   * A card dropped by the messaging extension before its Start button became an Action.Execute still has an
   * Action.Submit, which Teams sends as `composeExtension/onCardButtonClicked` with the button's data as the value.
   */
  protected override async handleTeamsMessagingExtensionCardButtonClicked(context: TurnContext, cardData: unknown): Promise<void> {
    if (!(await this.startFlowFromCard(context, cardData))) await context.sendActivity(t(context)('errors.missingFields'));
  }

  /**
   * Start on a card dropped by the messaging extension: the flow of the card's symptom starts in this conversation for
   * whoever pressed it, in their language. Returns what to tell the presser (the flow's title, or that the bot cannot
   * write in this chat), or undefined when the card names no symptom.
   */
  private async startFlowFromCard(context: TurnContext, data: unknown): Promise<string | undefined> {
    const tr = t(context);
    const symptom = data && typeof data === 'object' ? (data as { symptom?: unknown }).symptom : undefined;
    if (!isSymptomId(symptom)) return undefined;
    try {
      await this.recordTranscript(context, `[${START_FLOW_VERB} ${symptom}]`);
      await this.router.startFlow(context, symptom);
    } catch (err) {
      // The card can be pressed in a chat the bot is not a member of (an agent dropped it there): the Bot Connector
      // then refuses every message. Nothing of the flow is kept, and the presser is told what to do.
      if (connectorStatus(err) !== 403) throw err;
      log('warn', 'start card pressed where the bot cannot write', { error: (err as Error).message });
      await this.conversationState.load(context, true);
      return tr('extension.notInChat');
    }
    return tr('extension.cardTitle', { title: tr(`knowledge:symptoms.${symptom}.title`) });
  }

  /**
   * Keeps the last 50 messages both ways (text, or a card's first line) for the escalation handoff. `said` stands for
   * the user's side when the activity's text and value don't (an invoke).
   */
  private async recordTranscript(context: TurnContext, said?: string): Promise<void> {
    const data = await this.services.conversationData.get(context, {});
    const add = (from: TranscriptEntry['from'], text: string): void => {
      if (text.trim()) data.transcript = appendTranscript(data.transcript ?? [], { from, text, at: new Date().toISOString() });
    };
    const value = context.activity.value as Record<string, unknown> | undefined;
    add(
      'user',
      said ??
        (context.activity.text ||
          (value
            ? `[${['action', 'answer', 'outcome', 'symptom', 'rating']
                .map((k) => value[k])
                .filter(Boolean)
                .join(' ')}]`
            : '')),
    );
    context.onSendActivities(async (_ctx, activities: Partial<Activity>[], next) => {
      for (const a of activities) {
        if (a.type !== 'message') continue;
        const card = a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
        add('bot', a.text || (card ? (cardToText(card).text.split('\n').slice(0, 2).join(' · ') ?? '') : ''));
      }
      return next();
    });
  }

  /** In channels and group chats the bot answers only when mentioned (card button presses always reach it). */
  private shouldAnswer(context: TurnContext): boolean {
    const type = context.activity.conversation?.conversationType;
    if (!type || type === 'personal') return true;
    if (context.activity.value) return true;
    return mentionsRecipient(context.activity);
  }

  /** Helpdesk agents: anyone writing from the helpdesk team's channels, or a member of its roster. */
  private async roleOf(context: TurnContext): Promise<Role> {
    if (this.config.helpdeskTeamId && teamIdOf(context.activity) === this.config.helpdeskTeamId) return 'agent';
    if (this.helpdesk?.enabled && context.activity.channelId === 'msteams' && (await this.helpdesk.isAgent(context))) return 'agent';
    return 'user';
  }
}
