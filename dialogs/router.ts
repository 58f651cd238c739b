import { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogContext, DialogSet, DialogState, DialogTurnStatus, STATE_CONFIGURATION_KEY } from './sdk';
import { menuCard } from '../cards';
import { CardAction } from '../cards/actions';
import { Role } from '../src/core/diagnostics/record';
import { isSymptomId, NONE, SymptomId } from '../src/core/knowledge/catalog';
import { matchAgentCommand, AgentCommandMatch, problemOf } from './agentCommands';
import { closeAnsweredCard, markStalePress } from './answeredCards';
import { CauseDialog } from './causeDialog';
import { matchCommand } from './commands';
import { SerialDialog } from './serialDialog';
import { DeclinedDialog } from './declinedDialog';
import { DescribeDialog } from './describeDialog';
import { followUp } from './followUps';
import { DID_YOU_MEAN_DIALOG, DidYouMeanDialog } from './didYouMeanDialog';
import { ESCALATION_DIALOG, EscalationDialog, EscalationOptions } from './escalationDialog';
import { interrupt } from './interruptions';
import { MAIN_DIALOG, MainDialog, MainOptions } from './mainDialog';
import { OfferDialog } from './offerDialog';
import { QuestionDialog } from './questionDialog';
import { QuestionLoopDialog } from './questionLoopDialog';
import { RATING_DIALOG, RatingDialog } from './ratingDialog';
import { otherMentions } from './teamsActivity';
import { ReopenDialog } from './reopenDialog';
import { reportWorksNow, requesterTicketDialogs } from './requesterTicketDialog';
import { TroubleshootDialog } from './troubleshootDialog';
import { VersionDialog } from './versionDialog';
import { BotServices, cardActivity, findRecord, messageText, PassOnResult, pressed, t, turnLocale } from './turn';

const ROLE_KEY = Symbol('role');

/** What came of sending a flow: started in the user's chat, the user never chatted with the bot, or no Teams here. */
export type SendOutcome = 'sent' | 'unreachable' | 'unavailable';

export interface RouterOptions {
  /** Whether the sender is a helpdesk agent (asked all eight questions, may start flows for others). */
  roleOf?: (context: TurnContext) => Promise<Role>;
  /** Starts a guided flow in another user's 1:1 chat (proactively). */
  sendFlow?: (context: TurnContext, user: { id: string; name: string }, symptom: SymptomId) => Promise<SendOutcome>;
}

/**
 * Routes one incoming message: commands typed at any step (interruptions), buttons that mean the same anywhere
 * (menu, rating, examples), then the active dialog, or a new troubleshooting flow. A turn that fails in the dialogs
 * leaves the conversation usable: the dialog stack is reset, the record and its answers are kept.
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
      new DidYouMeanDialog(services),
      new QuestionLoopDialog(services),
      new QuestionDialog(services),
      new TroubleshootDialog(services),
      new CauseDialog(services),
      new RatingDialog(services),
      new ReopenDialog(services),
      new DeclinedDialog(services),
      new EscalationDialog(services),
      new OfferDialog(services),
      new DescribeDialog(),
      new SerialDialog(services),
      ...requesterTicketDialogs(services),
      new VersionDialog(),
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
    try {
      await this.route(dc);
    } catch (err) {
      await this.recover(dc, err as Error);
      return;
    }
    await closeAnsweredCard(context, this.services.log);
  }

  private async route(dc: DialogContext): Promise<void> {
    const press = pressed(dc.context);
    const text = messageText(dc.context);
    if (!press) {
      const command = matchCommand(text, turnLocale(dc.context));
      if (command && (await interrupt(dc, this.services, command, await this.roleOf(dc.context)))) return;
      const agentCommand = matchAgentCommand(text, otherMentions(dc.context.activity).length > 0);
      if (agentCommand && (await this.agentCommand(dc, agentCommand))) return;
    } else if (press.kind === 'unknown') {
      await dc.context.sendActivity(cardActivity(menuCard(t(dc.context), t(dc.context)('errors.unknownAction'))));
      return;
    } else if (press.kind === 'incomplete') {
      await dc.context.sendActivity(t(dc.context)('errors.missingFields'));
      return;
    } else if (await this.globalAction(dc, press.data)) {
      return;
    }
    if (dc.activeDialog) {
      const result = await dc.continueDialog();
      // The rating was skipped for something else, or a yes was not what followed a "no thanks": read it afresh.
      if (result.status === DialogTurnStatus.complete && (result.result as PassOnResult | undefined)?.passOn) {
        if (press?.kind === 'action') await this.orphanAction(dc, press.data);
        else await this.begin(dc, { text });
      }
    } else if (press?.kind === 'action') {
      await this.orphanAction(dc, press.data);
    } else if (!(await reportWorksNow(dc.context, this.services, text)) && !(await followUp(dc, this.services, text))) {
      await this.begin(dc, { text });
    }
  }

  /**
   * A turn failed in the dialogs (a bug, or state this version can't continue). The dialog stack is reset so the
   * next message works; the record, its answers and the transcript stay, so nothing is asked twice.
   */
  private async recover(dc: DialogContext, err: Error): Promise<void> {
    this.services.log?.('error', 'dialog turn failed; dialog stack reset', { error: err.message, stack: err.stack });
    dc.stack.splice(0);
    await dc.context.sendActivity(t(dc.context)('control.recovered'));
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
    await dc.beginDialog(MAIN_DIALOG, { ...options, role: await this.roleOf(dc.context) } satisfies MainOptions);
  }

  /** Who is writing this turn: asked once per turn (a roster look-up at most), then kept with the turn. */
  private async roleOf(context: TurnContext): Promise<Role> {
    let role = context.turnState.get(ROLE_KEY) as Role | undefined;
    if (!role) {
      role = this.options.roleOf ? await this.options.roleOf(context) : 'user';
      context.turnState.set(ROLE_KEY, role);
    }
    return role;
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
    const mentions = otherMentions(dc.context.activity);
    // The problem is what is left once the people mentioned and the words around them are taken out.
    const problem = problemOf(mentions.reduce((s, m) => (m.text ? s.replace(m.text, ' ') : s), match.rest));
    const symptom = problem ? this.symptomFrom(problem, locale) : undefined;
    if ((await this.roleOf(dc.context)) !== 'agent') {
      // A sentence that reads like an agent's request is, from anyone else, just text (a problem description).
      if (match.sentence) return false;
      // "start …" from a user is only an agent command when it names a problem; otherwise it is just text.
      if (match.command === 'flows' || match.command === 'tickets' || (match.command === 'forgetUser' && mentions.length > 0) || symptom) {
        await dc.context.sendActivity(tr('agent.notAgent'));
        return true;
      }
      return false;
    }
    // "start <problem>" runs it here even with people mentioned (in a channel, for the colleagues in the thread).
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
      case 'mentionUsage':
        await dc.context.sendActivity(tr('agent.mentionUsage'));
        return true;
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
        if (!target) {
          await dc.context.sendActivity(tr('agent.needsMention', { example: tr('agent.forgetExample') }));
          return true;
        }
        // Where the bot runs without its storage of personal data (the terminal chat), say so: the command was right.
        if (!this.services.personalData) {
          await dc.context.sendActivity(tr('agent.forgetUnavailable', { user: target.name }));
          return true;
        }
        const { tickets } = await this.services.personalData.forgetUser(target.id);
        await dc.context.sendActivity(tr('agent.forgotten', { user: target.name, tickets }));
        return true;
      }
      case 'sendFlow': {
        const target = mentions[0]?.mentioned;
        // "@Ana" typed without picking her from Teams' list is plain text: no mention entity, no user to reach.
        if (!target) {
          // Neither a problem nor anyone named ("send it to IT now" typed at a card): not meant as this command.
          if (!symptom && !match.rest.includes('@') && !match.sentence) return false;
          await dc.context.sendActivity(tr('agent.needsMention', { example: tr('agent.sendExample') }));
          return true;
        }
        if (!symptom) {
          await dc.context.sendActivity(tr('agent.sendUsage'));
          return true;
        }
        const title = tr(`knowledge:symptoms.${symptom}.title`);
        const outcome = this.options.sendFlow ? await this.options.sendFlow(dc.context, target, symptom) : 'unavailable';
        await dc.context.sendActivity(tr(`agent.${outcome}`, { title, user: target.name }));
        return true;
      }
    }
  }

  /** Buttons that mean the same whatever the conversation is doing. Returns true when handled. */
  private async globalAction(dc: DialogContext, data: CardAction): Promise<boolean> {
    const tr = t(dc.context);
    const active = dc.activeDialog?.id;
    switch (data.action) {
      case 'say':
        await dc.cancelAllDialogs();
        await this.begin(dc, { text: data.text });
        return true;
      case 'menu':
        await dc.context.sendActivity(cardActivity(menuCard(tr)));
        return true;
      case 'rate': {
        if (active === RATING_DIALOG) return false;
        const record = findRecord(await this.services.conversationData.get(dc.context, {}), data.record);
        if (!record) {
          await dc.context.sendActivity(tr('errors.missingFields'));
          return true;
        }
        record.rating = data.rating;
        await dc.context.sendActivity(`${tr('outcome.rated')} ${tr('outcome.anythingElse')}`);
        return true;
      }
      case 'escalate':
        await this.escalate(dc, { reason: 'asked' });
        return true;
      case 'choose-symptom':
        // From the menu while something else is going on: the user picked a new problem.
        if (!dc.activeDialog || active === DID_YOU_MEAN_DIALOG) return false;
        if (!isSymptomId(data.symptom)) return false;
        await dc.cancelAllDialogs();
        await this.begin(dc, { symptom: data.symptom });
        return true;
      default:
        return false;
    }
  }

  /** A button pressed when no flow is active: start the chosen symptom, or explain that the card is old. */
  private async orphanAction(dc: DialogContext, data: CardAction): Promise<void> {
    const tr = t(dc.context);
    switch (data.action) {
      case 'choose-symptom':
        if (isSymptomId(data.symptom)) await this.begin(dc, { symptom: data.symptom });
        else await dc.context.sendActivity(tr('errors.missingFields'));
        return;
      case 'something-else':
        await dc.context.sendActivity(tr('recognize.describeAgain'));
        return;
      case 'person':
        // "Talk to a person" on an offer that is no longer active: still a clear yes.
        await this.escalate(dc, { reason: 'asked', confirmed: true });
        return;
      case 'decline-person':
        await dc.context.sendActivity(tr('person.declined'));
        return;
      case 'answer':
      case 'outcome':
      case 'skip':
      case 'withdraw-ticket':
        markStalePress(dc.context);
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
