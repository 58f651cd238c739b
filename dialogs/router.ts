import { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogContext, DialogSet, DialogState } from 'botbuilder-dialogs';
import { helpCard, menuCard } from '../cards';
import { DiagnosticRecord, newRecord, Role } from '../src/core/diagnostics/record';
import { isSymptomId } from '../src/core/knowledge/catalog';
import { translator } from '../src/core/knowledge/locales';
import { matchCommand, CommandMatch } from './commands';
import { MAIN_DIALOG, MainDialog, MainOptions, PERSON_REQUESTED } from './mainDialog';
import { BotServices, cardActivity, ConversationData, messageText, setTurnLocale, submitData, SubmitData, t, turnLocale } from './turn';

export interface RouterOptions {
  /** Whether the sender is a helpdesk agent (asked all eight questions, may start flows for others). */
  roleOf?: (context: TurnContext) => Promise<Role>;
}

/**
 * Routes one incoming message: commands typed at any step (help, cancel, start over, language, a person), global
 * card buttons (rating, menu, examples), then the active dialog, or a new troubleshooting flow.
 */
export class ConversationRouter {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly services: BotServices,
    dialogState: StatePropertyAccessor<DialogState>,
    private readonly options: RouterOptions = {},
  ) {
    this.dialogs = new DialogSet(dialogState);
    this.dialogs.add(new MainDialog(services));
  }

  async onMessage(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const data = submitData(context);
    const text = messageText(context);
    if (!data) {
      const command = matchCommand(text);
      if (command) return this.command(dc, command);
    } else if (await this.globalAction(dc, data)) {
      return;
    }
    if (dc.activeDialog) {
      await dc.continueDialog();
    } else if (data) {
      await this.orphanAction(dc, data);
    } else {
      await this.begin(dc, { text });
    }
    await this.afterDialogs(dc);
  }

  private async begin(dc: DialogContext, options: MainOptions): Promise<void> {
    const role = this.options.roleOf ? await this.options.roleOf(dc.context) : 'user';
    (await this.services.conversationData.get(dc.context, {})).awaitingChoice = false;
    await dc.beginDialog(MAIN_DIALOG, { ...options, role } satisfies MainOptions);
  }

  private async afterDialogs(dc: DialogContext): Promise<void> {
    if (dc.context.turnState.get(PERSON_REQUESTED)) await this.personRequested(dc, 'asked');
  }

  private async command(dc: DialogContext, command: CommandMatch): Promise<void> {
    const tr = t(dc.context);
    switch (command.command) {
      case 'help':
        await dc.context.sendActivity(cardActivity(helpCard(tr)));
        if (dc.activeDialog) await dc.repromptDialog();
        return;
      case 'cancel':
        if (!dc.activeDialog) {
          await dc.context.sendActivity(tr('control.nothingToCancel'));
          return;
        }
        await dc.cancelAllDialogs();
        await dc.context.sendActivity(tr('control.cancelled'));
        return;
      case 'restart': {
        await dc.cancelAllDialogs();
        const data = await this.services.conversationData.get(dc.context, {});
        data.misunderstood = 0;
        await dc.context.sendActivity(`${tr('control.restarted')} ${tr('recognize.prompt')}`);
        return;
      }
      case 'person':
        await this.personRequested(dc, 'asked');
        return;
      case 'language': {
        const locale = command.locale ?? turnLocale(dc.context);
        const profile = await this.services.userProfile.get(dc.context, {});
        profile.locale = locale;
        setTurnLocale(dc.context, locale);
        await dc.context.sendActivity(translator(locale)('language.switched'));
        if (dc.activeDialog) await dc.repromptDialog();
        return;
      }
    }
  }

  /** Buttons that mean the same whatever the conversation is doing. Returns true when handled. */
  private async globalAction(dc: DialogContext, data: SubmitData): Promise<boolean> {
    const tr = t(dc.context);
    const conv = await this.services.conversationData.get(dc.context, {});
    switch (data.action) {
      case 'say': {
        if (typeof data.text !== 'string' || !data.text.trim()) {
          await dc.context.sendActivity(tr('errors.missingFields'));
          return true;
        }
        await dc.cancelAllDialogs();
        await this.begin(dc, { text: data.text });
        await this.afterDialogs(dc);
        return true;
      }
      case 'menu':
        await dc.context.sendActivity(cardActivity(menuCard(tr)));
        return true;
      case 'rate': {
        const rating = Number(data.rating);
        const record = findRecord(conv, data.record);
        if (!record || !Number.isInteger(rating) || rating < 1 || rating > 5) {
          await dc.context.sendActivity(tr('errors.missingFields'));
          return true;
        }
        record.rating = rating;
        await dc.context.sendActivity(`${tr('outcome.rated')} ${tr('outcome.anythingElse')}`);
        return true;
      }
      case 'person':
        await this.personRequested(dc, conv.record?.closedAt || !conv.record?.attempts.length ? 'asked' : 'all-causes-tried');
        return true;
      case 'decline-person':
        await dc.context.sendActivity(tr('person.declined'));
        return true;
      case 'choose-symptom':
        // From the menu while something else is going on: the user picked a new problem.
        if (dc.activeDialog && !conv.awaitingChoice) {
          if (!isSymptomId(data.symptom)) return false;
          await dc.cancelAllDialogs();
          await this.begin(dc, { symptom: data.symptom });
          await this.afterDialogs(dc);
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  /** A button pressed when no flow is active: start the chosen symptom, or explain that the card is old. */
  private async orphanAction(dc: DialogContext, data: SubmitData): Promise<void> {
    const tr = t(dc.context);
    switch (data.action) {
      case 'choose-symptom':
        if (isSymptomId(data.symptom)) await this.begin(dc, { symptom: data.symptom });
        else await dc.context.sendActivity(tr('errors.missingFields'));
        return;
      case 'something-else':
        await dc.context.sendActivity(tr('recognize.describeAgain'));
        return;
      case 'answer':
      case 'outcome':
        await dc.context.sendActivity(`${tr('cause.stale')} ${tr('recognize.prompt')}`);
        return;
      default:
        await dc.context.sendActivity(cardActivity(menuCard(tr, tr('errors.unknownAction'))));
    }
  }

  /** The user wants a person: the wish and everything collected stay in the diagnostic record. */
  private async personRequested(dc: DialogContext, reason: NonNullable<DiagnosticRecord['personRequested']>['reason']): Promise<void> {
    const conv = await this.services.conversationData.get(dc.context, {});
    if (!conv.record) conv.record = newRecord(this.options.roleOf ? await this.options.roleOf(dc.context) : 'user', turnLocale(dc.context));
    conv.record.personRequested = { at: new Date().toISOString(), reason };
    await dc.cancelAllDialogs();
    await dc.context.sendActivity(t(dc.context)('person.recorded'));
  }
}

function findRecord(conv: ConversationData, id: unknown): DiagnosticRecord | undefined {
  if (typeof id !== 'string') return undefined;
  return [conv.record, ...(conv.history ?? [])].find((r) => r?.id === id);
}
