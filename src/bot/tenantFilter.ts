import { TurnContext } from 'botbuilder';
import { tenantIdOf } from '../../dialogs/teamsActivity';
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
      const tenant = tenantIdOf(context.activity);
      if (!tenant || !allowedTenantIds.includes(tenant)) {
        log('warn', 'activity from a tenant that is not allowed: ignored', { tenant: tenant ?? null, type: context.activity.type });
        return;
      }
    }
    await next();
  };
}
