import { TurnContext } from 'botbuilder';
import { AskDialog, Reply } from './askDialog';
import { DONT_KNOW } from '../src/core/knowledge/catalog';
import { Translate } from '../src/core/knowledge/locales';
import { readDontKnow } from '../src/core/replies/understand';
import { messageText, t, turnLocale } from './turn';

export const VERSION_DIALOG = 'configmgr-version';

/** The longest version text kept: a version ("2309", "current branch 2403"), not a story. */
const MAX_VERSION = 60;

/**
 * After an agent answers that the MDM authority is Configuration Manager: which version (the articles' steps
 * depend on it). Any short text is the version; "don't know" is an answer too. Ends with the version or "dontknow".
 */
export class VersionDialog extends AskDialog<object, string> {
  constructor() {
    super(VERSION_DIALOG);
  }

  protected async prompt(context: TurnContext): Promise<void> {
    await context.sendActivity(t(context)('questions.configmgrVersion'));
  }

  protected read(context: TurnContext): Reply<string> {
    const text = messageText(context).trim();
    if (!text) return 'miss';
    if (readDontKnow(text, turnLocale(context))) return { value: DONT_KNOW };
    return text.length <= MAX_VERSION ? { value: text } : 'miss';
  }

  protected reask(tr: Translate): string {
    return tr('questions.configmgrVersion');
  }

  protected fallback(): string {
    return DONT_KNOW;
  }
}

/** A Configuration Manager version in a message ("Configuration Manager 2309", "CB 2403"): its four-digit release. */
export const versionIn = (text: string): string | undefined => /\b(2[0-9]{3})\b/.exec(text)?.[1];
