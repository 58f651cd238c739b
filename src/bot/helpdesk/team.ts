import { ConversationReference, TurnContext } from 'botbuilder';
import { HelpdeskAlert } from '../../../cards/ticket';
import { KeyValueStore } from '../../core/storage';
import { log } from '../../core/log';
import { BotConfig } from '../config';

const TEAM_KEY = 'helpdesk/team';

/** The helpdesk team as the bot saw it when installed there: enough to post into its channel proactively. */
export interface HelpdeskTeam {
  teamId: string;
  /** The team's Microsoft 365 group id (Teams' channelData.team.aadGroupId): what Graph calls the team. */
  aadGroupId?: string;
  channelId: string;
  serviceUrl: string;
  tenantId?: string;
  botId: string;
  /** The channel's name as Teams gave it (General when it is the team's default channel). */
  channelName?: string;
  savedAt: string;
}

/** Whom a new ticket mentions: the HELPDESK_TAG tag, else the helpdesk channel. */
export function helpdeskAlert(config: BotConfig, team: HelpdeskTeam | undefined): HelpdeskAlert | undefined {
  if (config.helpdeskTag) return { kind: 'tag', ...config.helpdeskTag };
  return team ? { kind: 'channel', id: team.channelId, name: team.channelName ?? 'General' } : undefined;
}

/** A conversation in the helpdesk team (its channel, or a thread in it), for proactive turns. */
export function channelReference(team: HelpdeskTeam, conversationId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: team.serviceUrl,
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' },
    bot: { id: team.botId, name: '' },
  };
}

/** The reference to the helpdesk team (HELPDESK_TEAM_ID), kept in storage when the bot is installed there. */
export class HelpdeskTeamReference {
  constructor(
    private readonly config: BotConfig,
    private readonly store: KeyValueStore,
  ) {}

  get enabled(): boolean {
    return !!this.config.helpdeskTeamId;
  }

  /** When the bot is added to (or hears from) the helpdesk team, keeps the reference. True when it did. */
  async remember(context: TurnContext): Promise<boolean> {
    const channelData = context.activity.channelData as
      { team?: { id?: string; aadGroupId?: string }; tenant?: { id?: string }; channel?: { id?: string; name?: string } } | undefined;
    const team = channelData?.team;
    if (!this.config.helpdeskTeamId || team?.id !== this.config.helpdeskTeamId) return false;
    const tenantId = channelData?.tenant?.id ?? context.activity.conversation?.tenantId;
    const channelId = this.config.helpdeskChannelId ?? team.id;
    const channelName = channelData?.channel?.id === channelId ? channelData.channel.name : channelId === team.id ? 'General' : undefined;
    const known = await this.get().catch(() => undefined);
    // Teams sends the group id on some activities only (installation, team events): keep the one seen last.
    const aadGroupId = team.aadGroupId ?? (known?.teamId === team.id ? known.aadGroupId : undefined);
    const value: HelpdeskTeam = {
      teamId: team.id,
      ...(aadGroupId ? { aadGroupId } : {}),
      // In Teams the General channel's id is the team id.
      channelId,
      ...(channelName ? { channelName } : {}),
      serviceUrl: context.activity.serviceUrl,
      botId: context.activity.recipient.id,
      savedAt: new Date().toISOString(),
      ...(tenantId ? { tenantId } : {}),
    };
    await this.store.write({ [TEAM_KEY]: { ...value, eTag: '*' } });
    log('info', 'helpdesk team reference saved', { team: team.id, channel: value.channelId });
    return true;
  }

  async get(): Promise<HelpdeskTeam | undefined> {
    return (await this.store.read([TEAM_KEY]))[TEAM_KEY] as HelpdeskTeam | undefined;
  }
}
