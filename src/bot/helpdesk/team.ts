import { ConversationReference, TurnContext } from 'botbuilder';
import { HelpdeskAlert } from '../../../cards/ticket';
import { teamIdOf, tenantIdOf } from '../../../dialogs/teamsActivity';
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
    const teamId = teamIdOf(context.activity);
    if (!this.config.helpdeskTeamId || !teamId || teamId !== this.config.helpdeskTeamId) return false;
    const tenantId = tenantIdOf(context.activity);
    // In Teams the General channel's id is the team id.
    const channelId = this.config.helpdeskChannelId ?? teamId;
    // botbuilder has no helper for the channel's name or the team's group id: Teams sends them in channelData.
    const channelData = context.activity.channelData as
      { team?: { aadGroupId?: string }; channel?: { id?: string; name?: string } } | null | undefined;
    const channel = channelData?.channel;
    const channelName = channel?.id === channelId ? channel.name : channelId === teamId ? 'General' : undefined;
    const known = await this.get().catch(() => undefined);
    // Teams sends the group id on some activities only (installation, team events): keep the one seen last.
    const aadGroupId = channelData?.team?.aadGroupId ?? (known?.teamId === teamId ? known.aadGroupId : undefined);
    const value: HelpdeskTeam = {
      teamId,
      ...(aadGroupId ? { aadGroupId } : {}),
      channelId,
      ...(channelName ? { channelName } : {}),
      serviceUrl: context.activity.serviceUrl,
      botId: context.activity.recipient.id,
      savedAt: new Date().toISOString(),
      ...(tenantId ? { tenantId } : {}),
    };
    await this.store.write({ [TEAM_KEY]: { ...value, eTag: '*' } });
    log('info', 'helpdesk team reference saved', { team: teamId, channel: value.channelId });
    return true;
  }

  async get(): Promise<HelpdeskTeam | undefined> {
    return (await this.store.read([TEAM_KEY]))[TEAM_KEY] as HelpdeskTeam | undefined;
  }
}
