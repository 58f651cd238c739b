import { helpCard } from '../cards';
import { Role } from '../src/core/diagnostics/record';
import { translator } from '../src/core/knowledge/locales';
import { languageName, spokenLanguages } from '../src/core/replies/languageRequest';
import { readAnotherCause, readCardQuestion, readStepReport, readUnsure, reportsNotFixed } from '../src/core/replies/stepReplies';
import { readAside } from '../src/core/replies/questionAsides';
import { CAUSE_DIALOG } from './causeDialog';
import { CommandMatch } from './commands';
import { DECLINED_DIALOG } from './declinedDialog';
import { ESCALATION_DIALOG, EscalationOptions } from './escalationDialog';
import { QUESTION_DIALOG } from './questionDialog';
import { CONFIRM_WITHDRAW_DIALOG, openTicketOf, WITHDRAW_TICKET_DIALOG, WithdrawOptions } from './requesterTicketDialog';
import { DialogContext } from './sdk';
import { BotServices, cardActivity, messageText, setTurnLocale, t, turnLocale } from './turn';

/**
 * What a user can type at any point, whatever the conversation is doing: help, cancel, start over, another language
 * (or one the bot does not speak), a person. The one place they are handled (as CancelAndHelpDialog does in the
 * BotBuilder core-bot sample).
 * Returns false when the command is better left to the active dialog (asking for a person while already being
 * asked whether to hand over: that is a yes there; at a cause card, the card's own person or handoff button).
 * `role` is who is writing this turn (the help card lists the helpdesk's commands to agents only).
 */
export async function interrupt(dc: DialogContext, services: BotServices, command: CommandMatch, role: Role): Promise<boolean> {
  const tr = t(dc.context);
  // At a question, "why do you ask?" or "how do I know?" is about the question (not help, not cancel): it answers it.
  if (dc.activeDialog?.id === QUESTION_DIALOG && readAside(messageText(dc.context), turnLocale(dc.context))) return false;
  switch (command.command) {
    case 'help':
      // At a cause card, "what else could it be?" asks for another possible cause, and "sigue igual, ¿qué hago?" says
      // the fix failed: the card reads them.
      if (dc.activeDialog?.id === CAUSE_DIALOG && atCauseCard(messageText(dc.context), turnLocale(dc.context))) return false;
      await dc.context.sendActivity(cardActivity(helpCard(tr, role)));
      if (dc.activeDialog) await dc.repromptDialog();
      return true;
    case 'cancel':
      // Asked whether to cancel a ticket, "yes, cancel it" answers the question.
      if (dc.activeDialog?.id === CONFIRM_WITHDRAW_DIALOG) return false;
      if (!dc.activeDialog) {
        // Nothing under way, but the ticket of this case is still open: "cancel my ticket" is about that one.
        const ticket = await openTicketOf(dc.context, services);
        if (ticket) await dc.beginDialog(WITHDRAW_TICKET_DIALOG, { ticket: ticket.id } satisfies WithdrawOptions);
        else await dc.context.sendActivity(tr('control.nothingToCancel'));
        return true;
      }
      await dc.cancelAllDialogs();
      services.events?.outcome('abandoned');
      await dc.context.sendActivity(tr('control.cancelled'));
      return true;
    case 'restart': {
      if (dc.activeDialog) services.events?.outcome('abandoned');
      await dc.cancelAllDialogs();
      const data = await services.conversationData.get(dc.context, {});
      // A clean start: the case so far goes to the history, so none of its answers flow into the next one.
      if (data.record) data.history = [...(data.history ?? []), data.record].slice(-5);
      delete data.record;
      data.misunderstood = 0;
      await dc.context.sendActivity(`${tr('control.restarted')} ${tr('recognize.prompt')}`);
      return true;
    }
    case 'person':
      // At a cause card, the card reads it: "send it to IT" there is its handoff button, no confirmation needed.
      // Right after "no thanks" to a person, asking for one is a change of mind: no second confirmation.
      if (dc.stack.some((d) => d.id === ESCALATION_DIALOG || d.id === CAUSE_DIALOG || d.id === DECLINED_DIALOG)) return false;
      await dc.cancelAllDialogs();
      await dc.beginDialog(ESCALATION_DIALOG, { reason: 'asked', role } satisfies EscalationOptions);
      return true;
    case 'other-language': {
      // One line: which languages the bot speaks and how to switch; the prompt waiting for an answer still waits.
      const locale = turnLocale(dc.context);
      const spoken = spokenLanguages(locale, (lng) => translator(lng)('commands.language').split('|')[0]!);
      await dc.context.sendActivity(tr('language.unsupported', { language: languageName(command.locale ?? '', locale), ...spoken }));
      return true;
    }
    case 'language': {
      const locale = command.locale ?? turnLocale(dc.context);
      const profile = await services.userProfile.get(dc.context, {});
      profile.locale = locale;
      setTurnLocale(dc.context, locale);
      await dc.context.sendActivity(translator(locale)('language.switched'));
      // The question, card or offer waiting for an answer, again in the new language.
      if (dc.activeDialog) await dc.repromptDialog();
      return true;
    }
  }
}

/**
 * A message that reads as a help request but answers a cause card: another cause asked for, the fix failed, a
 * question about the card in words ("que es eso", "so what now?", "come?"), a step reported done, or not sure yet
 * ("creo que ya, a ver").
 */
const atCauseCard = (text: string, locale: string): boolean =>
  readAnotherCause(text, locale) ||
  reportsNotFixed(text, locale) ||
  readCardQuestion(text, locale, false) ||
  readStepReport(text, locale) !== undefined ||
  readUnsure(text, locale);
