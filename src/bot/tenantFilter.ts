import { TurnContext } from 'botbuilder';
import { log } from '../core/log';

/**
 * With ALLOWED_TENANT_IDS, every activity that came in from the channel (any type, events included) must be from an
 * allowed tenant; others are ignored and logged. Turns the bot started itself (deliveries) are not filtered: what
 * tells them apart is `isIncoming`, never the activity's type or name, which a caller can set to anything.
 */
export function tenantFilter(
  allowedTenantIds: string[],
  isIncoming: (context: TurnContext) => boolean,
): (context: TurnContext, next: () => Promise<void>) => Promise<void> {
  return async (context, next) => {
    if (allowedTenantIds.length > 0 && isIncoming(context)) {
      const tenant = tenantOf(context);
      if (!tenant || !allowedTenantIds.includes(tenant)) {
        log('warn', 'activity from a tenant that is not allowed: ignored', { tenant: tenant ?? null, type: context.activity.type });
        return;
      }
    }
    await next();
  };
}

function tenantOf(context: TurnContext): string | undefined {
  const channelData = context.activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenant = channelData?.tenant?.id ?? context.activity.conversation?.tenantId;
  return typeof tenant === 'string' ? tenant : undefined;
}
