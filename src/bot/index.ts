import { randomUUID } from 'crypto';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  ConversationState,
  MemoryStorage,
  ShowTypingMiddleware,
  Storage,
  TurnContext,
  UserState,
} from 'botbuilder';
import { translator, resolveLocale } from '../core/knowledge/locales';
import { SymptomRecognizer } from '../core/nlu/recognizer';
import { log } from '../server/log';
import { BotConfig, ConfigError } from './config';
import { FileStorage } from './fileStorage';
import { EnrollmentBot } from './teamsBot';

export function createStorage(config: BotConfig): Storage {
  switch (config.storage) {
    case 'memory':
      return new MemoryStorage();
    case 'file':
      return new FileStorage(config.storageDir);
    case 'blob':
      throw new ConfigError('STORAGE=blob is not available in this version yet: use STORAGE=file (default) or memory.');
  }
}

export interface BotRuntime {
  adapter: CloudAdapter;
  bot: EnrollmentBot;
  storage: Storage;
  recognizer: SymptomRecognizer;
}

/** Wires storage, state, the recognizer, the adapter (authentication from the environment) and the bot. */
export function createBot(config: BotConfig, storage = createStorage(config)): BotRuntime {
  const recognizer = SymptomRecognizer.load();
  const auth = new ConfigurationBotFrameworkAuthentication(config.authEnv as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
  adapter.use(new ShowTypingMiddleware(500, 2000));
  adapter.use(async (context, next) => {
    if (config.allowedTenantIds.length > 0) {
      const tenant = tenantOf(context);
      if (!tenant || !config.allowedTenantIds.includes(tenant)) {
        log('warn', 'activity from a tenant that is not allowed: ignored', { tenant: tenant ?? null, type: context.activity.type });
        return;
      }
    }
    await next();
  });
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const correlationId = randomUUID().slice(0, 8);
    log('error', 'turn failed', {
      correlationId,
      error: error?.message,
      stack: error?.stack,
      activityType: context.activity?.type,
      conversation: context.activity?.conversation?.id,
    });
    try {
      // The state of the failed turn is not saved: the conversation stays where it was before this message.
      await context.sendActivity(translator(resolveLocale(context.activity?.locale))('errors.generic', { correlationId }));
    } catch (sendError) {
      log('error', 'could not tell the user about the failed turn', { correlationId, error: (sendError as Error)?.message });
    }
  };
  const bot = new EnrollmentBot(new ConversationState(storage), new UserState(storage), recognizer, config);
  return { adapter, bot, storage, recognizer };
}

function tenantOf(context: TurnContext): string | undefined {
  const channelData = context.activity.channelData as { tenant?: { id?: string } } | undefined;
  return channelData?.tenant?.id ?? context.activity.conversation?.tenantId;
}
