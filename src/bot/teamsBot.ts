import { ChannelAccount, ConversationState, TeamsActivityHandler, TurnContext, UserState } from 'botbuilder';
import { DialogState } from 'botbuilder-dialogs';
import { welcomeCard } from '../../cards';
import { ConversationRouter } from '../../dialogs/router';
import { BotServices, cardActivity, ConversationData, establishLocale, t, UserProfile } from '../../dialogs/turn';
import { Role } from '../core/diagnostics/record';
import { SymptomRecognizer } from '../core/nlu/recognizer';
import { BotConfig } from './config';

/**
 * The Teams handler: welcome on install, mentions in channels and group chats, locale per turn, state saved at
 * the end of every turn. The conversation itself lives in dialogs/.
 */
export class EnrollmentBot extends TeamsActivityHandler {
  private readonly router: ConversationRouter;
  private readonly services: BotServices;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    recognizer: SymptomRecognizer,
    private readonly config: BotConfig,
  ) {
    super();
    this.services = {
      recognizer,
      conversationData: conversationState.createProperty<ConversationData>('conversationData'),
      userProfile: userState.createProperty<UserProfile>('userProfile'),
    };
    this.router = new ConversationRouter(this.services, conversationState.createProperty<DialogState>('dialogState'), {
      roleOf: async (context) => this.roleOf(context),
    });

    this.onMessage(async (context, next) => {
      if (this.shouldAnswer(context)) {
        if (context.activity.text)
          context.activity.text = TurnContext.removeRecipientMention(context.activity)?.trim() ?? context.activity.text;
        await this.router.onMessage(context);
      }
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const added: ChannelAccount[] = context.activity.membersAdded ?? [];
      // Welcome once when the bot itself is installed (1:1, group chat or team), and users joining a 1:1 chat.
      const botAdded = added.some((m) => m.id === botId);
      const personal = (context.activity.conversation?.conversationType ?? 'personal') === 'personal';
      if (botAdded || (personal && added.some((m) => m.id !== botId))) {
        await context.sendActivity(cardActivity(welcomeCard(t(context))));
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await establishLocale(context, this.services);
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  /** In channels and group chats the bot answers only when mentioned (card button presses always reach it). */
  private shouldAnswer(context: TurnContext): boolean {
    const type = context.activity.conversation?.conversationType;
    if (!type || type === 'personal') return true;
    if (context.activity.value) return true;
    const botId = context.activity.recipient?.id;
    return (context.activity.entities ?? []).some(
      (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId,
    );
  }

  /** Helpdesk agents: anyone writing from the helpdesk team (the roster check comes with the escalation handoff). */
  private async roleOf(context: TurnContext): Promise<Role> {
    const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    return this.config.helpdeskTeamId && teamId === this.config.helpdeskTeamId ? 'agent' : 'user';
  }
}
