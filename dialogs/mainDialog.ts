import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { menuCard } from '../cards';
import { DiagnosticRecord, newRecord, prefill, Role } from '../src/core/diagnostics/record';
import { getSymptom, isSymptomId, NONE, SymptomId } from '../src/core/knowledge/catalog';
import { Entities } from '../src/core/nlu/entities';
import { MAX_TEXT_LENGTH } from '../src/core/nlu/text';
import { Aside, readAside } from '../src/core/replies/asides';
import { readTold } from '../src/core/replies/told';
import { readDontKnow, readOutOfScope, readSmallTalk, SmallTalk } from '../src/core/replies/understand';
import { NewProblem } from './causeDialog';
import { languageName } from '../src/core/replies/languageRequest';
import { writtenIn } from '../src/core/replies/writtenLanguage';
import { translator } from '../src/core/knowledge/locales';
import { MAIN_DIALOG } from './ids';
import { DID_YOU_MEAN_DIALOG, DidYouMeanOptions, DidYouMeanResult } from './didYouMeanDialog';
import { ESCALATION_DIALOG, EscalationOptions } from './escalationDialog';
import { QUESTION_LOOP_DIALOG, QuestionLoopOptions } from './questionLoopDialog';
import { RATING_DIALOG, RatingOptions } from './ratingDialog';
import { askSerial, collectEvidence, skipQuestions } from './evidence';
import { SERIAL_DIALOG } from './serialDialog';
import { TROUBLESHOOT_DIALOG, TroubleshootResult } from './troubleshootDialog';
import { BotServices, cardActivity, ConversationData, messageText, scratch, setTurnLocale, t, turnLocale } from './turn';

export { MAIN_DIALOG };

/** How a troubleshooting flow starts: from what the user wrote, or directly on a symptom (button, agent command). */
export interface MainOptions {
  text?: string;
  symptom?: SymptomId;
  role?: Role;
}

interface Scratch {
  role: Role;
  /** What the first message told, kept while the user picks among close symptoms. */
  entities: Entities;
  text?: string;
}

/**
 * One case from the first message to its end: recognition (small talk, out of scope, did you mean…?), the
 * prerequisite questions, the causes one at a time, then the rating, or the offer of a person.
 */
export class MainDialog extends WaterfallDialog<MainOptions> {
  constructor(private readonly services: BotServices) {
    super(MAIN_DIALOG);
    for (const step of [this.recognize, this.chosen, this.ask, this.troubleshoot, this.finish]) this.addStep(step.bind(this));
  }

  private async recognize(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const options = step.options ?? {};
    const s = scratch<Scratch>(step);
    s.role = options.role ?? 'user';
    s.entities = {};
    if (options.symptom && isSymptomId(options.symptom)) return step.next({ symptom: options.symptom } satisfies DidYouMeanResult);
    const text = options.text ?? messageText(step.context);
    const locale = (await this.answerInWrittenLanguage(step, text)) ?? turnLocale(step.context);
    const tr = t(step.context);
    const data = await this.services.conversationData.get(step.context, {});
    if (!text) {
      await step.context.sendActivity(tr('recognize.emptyMessage'));
      return step.endDialog();
    }
    const smallTalk = readSmallTalk(text, locale);
    if (smallTalk) {
      data.misunderstood = 0;
      await step.context.sendActivity(smallTalkReply(smallTalk, tr));
      return step.endDialog();
    }
    if (text.length > MAX_TEXT_LENGTH) await step.context.sendActivity(tr('recognize.tooLong', { count: MAX_TEXT_LENGTH }));
    const r = this.services.recognizer.recognize(text, locale);
    this.services.events?.recognized(r.intent);
    s.entities = r.entities;
    s.text = text;
    const otherPlatform = !!r.entities.platform && r.entities.platform !== 'ios' && r.source !== 'error-text';
    // A lost device, a factory reset, how to get Company Portal: one line instead of the menu. A lost or stolen device
    // comes before any guess at a symptom (IT must act at once); only a device error pasted with it goes first.
    const aside = r.source !== 'error-text' ? readAside(text, locale) : undefined;
    if (aside && (aside === 'lostDevice' || (!otherPlatform && r.intent === NONE && !r.ambiguous && !r.vague))) {
      data.misunderstood = 0;
      if (aside !== 'getCompanyPortal') this.services.events?.unmatched('out-of-scope');
      await step.context.sendActivity(asideReply(aside, tr));
      return step.endDialog();
    }
    if (otherPlatform || (r.intent === NONE && !r.ambiguous && readOutOfScope(text, locale))) {
      data.misunderstood = 0;
      this.services.events?.unmatched('out-of-scope');
      await step.context.sendActivity(tr('outOfScope.reply'));
      return step.endDialog();
    }
    if (r.intent !== NONE && !r.ambiguous) {
      data.misunderstood = 0;
      return step.next({ symptom: r.intent } satisfies DidYouMeanResult);
    }
    if (r.ambiguous && r.candidates.length > 1) {
      data.misunderstood = 0;
      return step.beginDialog(DID_YOU_MEAN_DIALOG, {
        candidates: r.candidates.map((c) => c.intent),
      } satisfies DidYouMeanOptions);
    }
    data.misunderstood = (data.misunderstood ?? 0) + 1;
    this.services.events?.unmatched('not-understood');
    if (data.misunderstood < 2 && (r.vague || readDontKnow(text, locale))) {
      // "It won't enroll", "I don't know": nothing to tell the symptoms apart yet, so ask what the device shows.
      await step.context.sendActivity(tr('recognize.whatItSays'));
      return step.endDialog();
    }
    await step.context.sendActivity(tr('recognize.notUnderstood'));
    if (data.misunderstood >= 2) {
      // Twice in a row: offer a person instead of the list again.
      return step.replaceDialog(ESCALATION_DIALOG, { reason: 'not-understood' } satisfies EscalationOptions);
    }
    await step.context.sendActivity(cardActivity(menuCard(tr)));
    return step.endDialog();
  }

  /**
   * A problem described in another language the bot speaks than the chat's ("mi iphone dice nombre de usuario no
   * reconocido" in an Italian chat) is read and answered in that language from now on, as a user who writes Spanish
   * expects (asking first would answer their problem with a question in a language they did not use). One line, in
   * the new language, says how to go back. Returns the new locale, or undefined when the chat's stays.
   */
  private async answerInWrittenLanguage(step: WaterfallStepContext<MainOptions>, text: string | undefined): Promise<string | undefined> {
    const chat = turnLocale(step.context);
    const written = text ? writtenIn(text, chat) : undefined;
    if (!written) return undefined;
    const profile = await this.services.userProfile.get(step.context, {});
    profile.locale = written;
    setTurnLocale(step.context, written);
    const back = translator(chat)('commands.language').split('|')[0]!;
    await step.context.sendActivity(translator(written)('language.detected', { language: languageName(chat, written), command: back }));
    return written;
  }

  /** The symptom, recognized or picked; or none ("something else"): then a new description is asked for. */
  private async chosen(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const result = step.result as DidYouMeanResult;
    if (result.symptom && getSymptom(result.symptom)) return step.next(result);
    await step.context.sendActivity(t(step.context)('recognize.describeAgain'));
    return step.endDialog();
  }

  private async ask(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const symptom = getSymptom((step.result as { symptom: SymptomId }).symptom)!;
    const s = scratch<Scratch>(step) as Scratch;
    const data = await this.services.conversationData.get(step.context, {});
    const locale = turnLocale(step.context);
    const record = startRecord(data, s.role, locale);
    prefill(record, symptom, s.entities, s.text);
    // What the first message says besides the problem: a person asked for, or the fix already done.
    const told = s.text ? readTold(s.text, locale, s.entities.errorText) : undefined;
    if (told?.triedBefore) record.triedBefore = s.text;
    // "Got it: …" travels with the first question: one message instead of three.
    const tr = t(step.context);
    const known = await collectEvidence(step.context, this.services, record);
    const lead = [tr('recognize.recognized', { title: tr(`knowledge:symptoms.${symptom.id}.title`) }), known].filter(Boolean).join('\n\n');
    if (told?.person) {
      // "Me sale Device Cap Reached, quiero hablar con una persona": the handoff, with the symptom on the record.
      await step.context.sendActivity(lead);
      return step.replaceDialog(ESCALATION_DIALOG, { reason: 'asked' } satisfies EscalationOptions);
    }
    // Evidence already names the cause (GRAPH_EVIDENCE): no question would change the answer.
    if (skipQuestions(record, s.role)) {
      await step.context.sendActivity(lead);
      return step.next();
    }
    return step.beginDialog(QUESTION_LOOP_DIALOG, { set: 'prerequisites', lead } satisfies QuestionLoopOptions);
  }

  /**
   * The causes, one at a time; first the device's serial number when checking it would change what the employee
   * sees (the serial prompt then hands over to the causes itself, so this waterfall keeps its steps).
   */
  private async troubleshoot(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const record = (await this.services.conversationData.get(step.context, {})).record;
    const typed = step.result as NewProblem | undefined;
    // Another problem's error typed at a question ("actually it says Device Cap Reached"): that problem, from the start.
    if (typed?.newProblem !== undefined) return this.restart(step, typed.newProblem, record);
    return step.beginDialog(record && askSerial(this.services, record) ? SERIAL_DIALOG : TROUBLESHOOT_DIALOG);
  }

  /** How the causes ended decides what comes next; a reopened case (ReopenDialog) ends the same way. */
  async finish(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const { outcome, check, text } = step.result as TroubleshootResult;
    const record = (await this.services.conversationData.get(step.context, {})).record;
    switch (outcome) {
      case 'fixed':
        return step.replaceDialog(RATING_DIALOG, { record: record?.id ?? '' } satisfies RatingOptions);
      case 'person':
        return step.replaceDialog(ESCALATION_DIALOG, { reason: 'asked' } satisfies EscalationOptions);
      case 'evidence':
        return step.replaceDialog(ESCALATION_DIALOG, {
          reason: 'asked',
          offer: 'evidence',
          ...(check ? { evidenceCheck: check } : {}),
        } satisfies EscalationOptions);
      case 'handoff':
        return step.replaceDialog(ESCALATION_DIALOG, { reason: 'asked', confirmed: true } satisfies EscalationOptions);
      case 'exhausted':
        return step.replaceDialog(ESCALATION_DIALOG, { reason: 'all-causes-tried', offer: 'exhausted' } satisfies EscalationOptions);
      case 'refused':
        // The only fix left is one the user won't do: say so, and offer a person.
        return step.replaceDialog(ESCALATION_DIALOG, { reason: 'all-causes-tried', offer: 'refused' } satisfies EscalationOptions);
      case 'unclear':
        return step.replaceDialog(ESCALATION_DIALOG, { reason: 'not-understood', offer: 'unclear' } satisfies EscalationOptions);
      case 'new-problem':
        // Another problem's error typed at a card: that problem, from the start, as a new description.
        return this.restart(step, text ?? '', record);
      case 'left':
        // Thanks or bye at a card only IT can act on: say plainly that nothing went to IT, and how to send it.
        await step.context.sendActivity(t(step.context)('cause.notSent'));
        return step.endDialog();
    }
  }

  /** The case starts over on what the user typed, read as a new description (a new record, their facts kept). */
  private restart(step: WaterfallStepContext<MainOptions>, text: string, record: DiagnosticRecord | undefined): Promise<DialogTurnResult> {
    return step.replaceDialog(MAIN_DIALOG, { text, ...(record ? { role: record.role } : {}) } satisfies MainOptions);
  }
}

function asideReply(aside: Aside, tr: ReturnType<typeof t>): string {
  if (aside === 'lostDevice') return tr('asides.lostDevice');
  if (aside === 'factoryReset') return tr('outOfScope.reply');
  // The knowledge's own step for getting the app (a cause of "Workplace Join failed" reinstalls it).
  return tr('asides.getCompanyPortal', { install: tr('knowledge:causes.workplace-join-failed.app-outdated.steps.install-app') });
}

function smallTalkReply(kind: SmallTalk, tr: ReturnType<typeof t>): string {
  if (kind === 'greeting') {
    const examples = ['example1', 'example2', 'example3'].map((k) => `- ${tr(`welcome.${k}`)}`).join('\n');
    return `${tr('smallTalk.hello')}\n\n${examples}`;
  }
  return tr(kind === 'thanks' ? 'smallTalk.thanks' : 'smallTalk.goodbye');
}

/**
 * A new case for this conversation. Facts about the user's situation given earlier in the conversation carry over
 * (so nobody asks twice); the error, symptom and attempts are the new problem's own. After "start over" there is
 * no current case, so nothing carries over.
 */
export function startRecord(data: ConversationData, role: Role, locale: string): DiagnosticRecord {
  const previous = data.record;
  const record = newRecord(role, locale);
  if (previous) {
    data.history = [...(data.history ?? []), previous].slice(-5);
    for (const [q, a] of Object.entries(previous.answers)) {
      // What was inferred from the previous symptom (its error, ADE for an ADE symptom) is that symptom's, not the user's.
      if (q !== 'error-message' && q !== 'error-location' && a && a.source !== 'inferred')
        record.answers[q as keyof DiagnosticRecord['answers']] = { ...a, source: 'conversation' };
    }
  }
  data.record = record;
  return record;
}
