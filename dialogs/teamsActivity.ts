import { Activity, Mention, teamsGetTeamId, teamsGetTenant, TurnContext } from 'botbuilder';

/**
 * What a Teams activity says about where it came from and whom it mentions, read with botbuilder's own helpers
 * (teamsGetTenant, teamsGetTeamId, TurnContext.getMentions). Those helpers read `channelData.x` of anything whose
 * typeof is 'object', null included, and a valid activity may carry `"channelData": null`: the guard is here, once.
 */

const hasChannelData = (activity: Activity): boolean => typeof activity.channelData === 'object' && activity.channelData !== null;

/** The tenant the activity came from: Teams' channelData.tenant, else the conversation's tenantId (both are sent). */
export function tenantIdOf(activity: Activity): string | undefined {
  const tenant = (hasChannelData(activity) ? teamsGetTenant(activity)?.id : undefined) ?? activity.conversation?.tenantId;
  return typeof tenant === 'string' ? tenant : undefined;
}

/** The team a channel activity came from (undefined in 1:1 and group chats). */
export function teamIdOf(activity: Activity): string | undefined {
  return (hasChannelData(activity) && teamsGetTeamId(activity)) || undefined;
}

/** Whether the activity mentions the bot (the recipient). */
export function mentionsRecipient(activity: Activity): boolean {
  const botId = activity.recipient?.id;
  return !!botId && TurnContext.getMentions(activity).some((m) => m.mentioned?.id === botId);
}

/** The people the activity mentions besides the bot, in the order of their mentions. */
export function otherMentions(activity: Activity): Mention[] {
  return TurnContext.getMentions(activity).filter((m) => m.mentioned?.id !== activity.recipient?.id);
}
