import { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogContext, DialogSet, DialogState, STATE_CONFIGURATION_KEY } from './sdk';
import { helpCard, menuCard } from '../cards';
import { DiagnosticRecord, Role } from '../src/core/diagnostics/record';
import { isSymptomId, NONE, SymptomId } from '../src/core/knowledge/catalog';
import { matchAgentCommand, AgentCommandMatch } from './agentCommands';
import { translator } from '../src/core/knowledge/locales';
import { matchCommand, CommandMatch } from './commands';
import { ESCALATION_DIALOG, EscalationDialog, EscalationOptions, FactsDialog } from './escalationDialog';
import { MAIN_DIALOG, MainDialog, MainOptions, PERSON_REQUESTED } from './mainDialog';
import { PrerequisitesDialog } from './prerequisitesDialog';
import { QuestionDialog } from './questionDialog';
import { TroubleshootDialog } from './troubleshootDialog';
import { BotServices, cardActivity, ConversationData, messageText, setTurnLocale, submitData, SubmitData, t, turnLocale } from './turn';

export interface RouterOptions {
  /** Whether the sender is a helpdesk agent (asked all eight questions, may start flows for others). */
  roleOf?: (context: TurnContext) => Promise<Role>;
  /** Starts a guided flow in another user's 1:1 chat (proactively). */
  sendFlow?: (context: TurnContext, user: { id: string; name: string }, symptom: SymptomId) => Promise<'sent' | 'unreachable'>;
}

/**
 * Routes one incoming message: commands typed at any step (help, cancel, start over, language, a person), global
 * card buttons (rating, menu, examples), then the active dialog, or a new troubleshooting flow.
 */
export class ConversationRouter {
  private readonly dialogs: DialogSet;
  /**
   * The memory scopes and path resolvers of botbuilder-dialogs' DialogStateManager. Without one in turnState, the
   * first dialog context of every turn builds them anew (a service collection, schema checks): the slowest part of a
   * turn's dialog work. They hold no state, so one set serves every turn, as DialogManager's stateConfiguration does.
   */
  private stateConfiguration: unknown;

  constructor(
    private readonly services: BotServices,
    dialogState: StatePropertyAccessor<DialogState>,
    private readonly options: RouterOptions = {},
  ) {
    // One flat set: a flow's steps begin each other's dialogs on the conversation's one dialog stack. Nesting them in
    // component dialogs would build a dialog context per level on every turn, for no behaviour the bot needs.
    this.dialogs = new DialogSet(dialogState);
    for (const dialog of [
      new MainDialog(services),
      new PrerequisitesDialog(services),
      new QuestionDialog(),
      new TroubleshootDialog(services),
      new EscalationDialog(services),
      new FactsDialog(services),
    ]) {
      this.dialogs.add(dialog);
    }
  }

  private async createContext(context: TurnContext): Promise<DialogContext> {
    if (this.stateConfiguration) context.turnState.set(STATE_CONFIGURATION_KEY, this.stateConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.stateConfiguration ??= context.turnState.get(STATE_CONFIGURATION_KEY);
    return dc;
  }

  async onMessage(context: TurnContext): Promise<void> {
    const dc = await this.createContext(context);
    if (this.forgetUnknownDialogs(dc)) await context.sendActivity(t(context)('control.updated'));
    const data = submitData(context);
    const text = messageText(context);
    if (!data) {
      const command = matchCommand(text);
      if (command) return this.command(dc, command);
      const agentCommand = matchAgentCommand(text);
      if (agentCommand && (await this.agentCommand(dc, agentCommand))) return;
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

  /**
   * A conversation saved by an earlier version of the bot can hold dialogs this version does not have (renamed or
   * restructured): continuing it would fail on every message. Such a stack is dropped, so this message starts
   * afresh; the diagnostic record and the transcript are kept, and a new case takes over the answers already given.
   */
  private forgetUnknownDialogs(dc: DialogContext): boolean {
    if (dc.stack.every((instance) => this.dialogs.find(instance.id))) return false;
    dc.stack.splice(0);
    return true;
  }

  private async begin(dc: DialogContext, options: MainOptions): Promise<void> {
    const role = this.options.roleOf ? await this.options.roleOf(dc.context) : 'user';
    (await this.services.conversationData.get(dc.context, {})).awaitingChoice = false;
    await dc.beginDialog(MAIN_DIALOG, { ...options, role } satisfies MainOptions);
  }

  private async afterDialogs(dc: DialogContext): Promise<void> {
    if (dc.context.turnState.get(PERSON_REQUESTED)) await this.escalate(dc, { reason: 'asked' });
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
        this.services.events?.outcome('abandoned');
        await dc.context.sendActivity(tr('control.cancelled'));
        return;
      case 'restart': {
        if (dc.activeDialog) this.services.events?.outcome('abandoned');
        await dc.cancelAllDialogs();
        const data = await this.services.conversationData.get(dc.context, {});
        data.misunderstood = 0;
        await dc.context.sendActivity(`${tr('control.restarted')} ${tr('recognize.prompt')}`);
        return;
      }
      case 'person':
        await this.escalate(dc, { reason: 'asked' });
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

  /** Starts a guided flow in this conversation (used for flows sent by an agent). */
  async startFlow(context: TurnContext, symptom: SymptomId): Promise<void> {
    const dc = await this.createContext(context);
    await dc.cancelAllDialogs();
    await this.begin(dc, { symptom });
  }

  private symptomFrom(text: string, locale: string): SymptomId | undefined {
    const id = text.trim().toLowerCase();
    if (isSymptomId(id)) return id;
    const r = this.services.recognizer.recognize(text, locale);
    if (r.intent !== NONE) return r.intent;
    return r.ambiguous ? r.candidates[0]?.intent : undefined;
  }

  /** Agent commands. Returns false when the text was not meant as one (it is then read as a problem description). */
  private async agentCommand(dc: DialogContext, match: AgentCommandMatch): Promise<boolean> {
    const tr = t(dc.context);
    const locale = turnLocale(dc.context);
    const mentions = (dc.context.activity.entities ?? []).filter(
      (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id !== dc.context.activity.recipient?.id,
    ) as unknown as { mentioned: { id: string; name: string }; text?: string }[];
    const problem = mentions
      .reduce((s, m) => s.replace(m.text ?? '', ' '), match.rest)
      .replace(/<at>.*?<\/at>/g, ' ')
      .trim();
    const symptom = problem ? this.symptomFrom(problem, locale) : undefined;
    const role = this.options.roleOf ? await this.options.roleOf(dc.context) : 'user';
    if (role !== 'agent') {
      // "start …" from a user is only an agent command when it names a problem; otherwise it is just text.
      if (match.command === 'flows' || match.command === 'tickets' || (match.command === 'forgetUser' && mentions.length > 0) || symptom) {
        await dc.context.sendActivity(tr('agent.notAgent'));
        return true;
      }
      return false;
    }
    switch (match.command) {
      case 'flows':
        await dc.context.sendActivity(cardActivity(menuCard(tr, tr('agent.flowsTitle'), tr('agent.flowsBody'), false)));
        return true;
      case 'tickets': {
        const tickets = await this.services.escalation.tickets.list((tk) => tk.status !== 'resolved');
        const lines = tickets.map(
          (tk) =>
            `- **${tk.id}** · ${tr(`ticket.status.${tk.status}`)} · ${tk.record.symptom ? tr(`knowledge:symptoms.${tk.record.symptom}.title`) : tr('ticket.notRecognized')} · ${tk.requester.name}${tk.assignee ? ` → ${tk.assignee.name}` : ''}`,
        );
        await dc.context.sendActivity(lines.length ? `**${tr('agent.ticketsTitle')}**\n\n${lines.join('\n')}` : tr('agent.noTickets'));
        return true;
      }
      case 'startFlow':
        if (!symptom) {
          await dc.context.sendActivity(tr('agent.startUsage'));
          return true;
        }
        await dc.cancelAllDialogs();
        await this.begin(dc, { symptom });
        return true;
      case 'forgetUser': {
        const target = mentions[0]?.mentioned;
        if (!target || !this.services.personalData) {
          await dc.context.sendActivity(tr('agent.forgetUsage'));
          return true;
        }
        const { tickets } = await this.services.personalData.forgetUser(target.id);
        await dc.context.sendActivity(tr('agent.forgotten', { user: target.name, tickets }));
        return true;
      }
      case 'sendFlow': {
        const target = mentions[0]?.mentioned;
        if (!symptom || !target || !this.options.sendFlow) {
          await dc.context.sendActivity(tr('agent.sendUsage'));
          return true;
        }
        const outcome = await this.options.sendFlow(dc.context, target, symptom);
        const title = tr(`knowledge:symptoms.${symptom}.title`);
        await dc.context.sendActivity(
          outcome === 'sent' ? tr('agent.sent', { title, user: target.name }) : tr('agent.unreachable', { user: target.name }),
        );
        return true;
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
      case 'person': {
        // "Yes" on an offer of a person: that is the confirmation.
        const tried = conv.record?.attempts ?? [];
        const reason =
          (conv.misunderstood ?? 0) >= 2
            ? 'not-understood'
            : tried.length > 0 && tried.every((a) => a.outcome === 'not-fixed')
              ? 'all-causes-tried'
              : 'asked';
        await this.escalate(dc, { reason, confirmed: true });
        return true;
      }
      case 'escalate':
        await this.escalate(dc, { reason: 'asked' });
        return true;
      case 'decline-person':
        await dc.cancelAllDialogs();
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

  /** The user wants a person: the escalation dialog confirms, collects what is missing and creates the ticket. */
  private async escalate(dc: DialogContext, options: EscalationOptions): Promise<void> {
    await dc.cancelAllDialogs();
    await dc.beginDialog(ESCALATION_DIALOG, options);
  }
}

function findRecord(conv: ConversationData, id: unknown): DiagnosticRecord | undefined {
  if (typeof id !== 'string') return undefined;
  return [conv.record, ...(conv.history ?? [])].find((r) => r?.id === id);
}
