import { Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { didYouMeanCard, menuCard, offerPersonCard } from '../cards';
import { DiagnosticRecord, newRecord, prefill, Role } from '../src/core/diagnostics/record';
import { getSymptom, isSymptomId, SymptomId } from '../src/core/knowledge/catalog';
import { Entities } from '../src/core/nlu/entities';
import { MAX_TEXT_LENGTH } from '../src/core/nlu/text';
import { collectEvidence, skipQuestions } from './evidence';
import { PREREQUISITES_DIALOG } from './prerequisitesDialog';
import { TROUBLESHOOT_DIALOG, TroubleshootResult } from './troubleshootDialog';
import { BotServices, cardActivity, ConversationData, messageText, submitData, t, turnLocale, vals } from './turn';

export const MAIN_DIALOG = 'main-flow';

/** How a troubleshooting flow starts: from what the user wrote, or directly on a symptom (button, agent command). */
export interface MainOptions {
  text?: string;
  symptom?: SymptomId;
  role?: Role;
}

interface Identified {
  symptom: SymptomId;
  entities: Entities;
  text?: string;
}

/** Requests for a person the router handles (the escalation handoff builds on this). */
export const PERSON_REQUESTED = 'personRequested';

/**
 * text → symptom recognition → (did you mean…?) → prerequisite questions → causes one at a time.
 * Nothing recognised: what the bot covers, as buttons, and the offer of a person.
 * The questions (PrerequisitesDialog) and the causes (TroubleshootDialog) are dialogs of the same dialog set.
 */
export class MainDialog extends WaterfallDialog {
  constructor(private readonly services: BotServices) {
    super(MAIN_DIALOG);
    for (const step of [this.recognize, this.choose, this.ask, this.troubleshoot, this.finish]) this.addStep(step.bind(this));
  }

  private async recognize(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as MainOptions;
    vals(step).role = options.role ?? 'user';
    if (options.symptom && isSymptomId(options.symptom)) return step.next({ symptom: options.symptom, entities: {} } satisfies Identified);
    const text = options.text ?? messageText(step.context);
    const tr = t(step.context);
    const data = await this.services.conversationData.get(step.context, {});
    if (!text) {
      await step.context.sendActivity(tr('recognize.emptyMessage'));
      return step.endDialog();
    }
    if (text.length > MAX_TEXT_LENGTH) await step.context.sendActivity(tr('recognize.tooLong', { count: MAX_TEXT_LENGTH }));
    const r = this.services.recognizer.recognize(text, turnLocale(step.context));
    this.services.events?.recognized(r.intent);
    if (r.intent !== 'none' && !r.ambiguous) {
      data.misunderstood = 0;
      return step.next({ symptom: r.intent, entities: r.entities, text } satisfies Identified);
    }
    if (r.ambiguous && r.candidates.length > 1) {
      data.misunderstood = 0;
      vals(step).pending = { entities: r.entities, text };
      data.awaitingChoice = true;
      await step.context.sendActivity(
        cardActivity(
          didYouMeanCard(
            tr,
            r.candidates.slice(0, 3).map((c) => c.intent),
          ),
        ),
      );
      return Dialog.EndOfTurn;
    }
    data.misunderstood = (data.misunderstood ?? 0) + 1;
    await step.context.sendActivity(tr('recognize.notUnderstood'));
    if (data.misunderstood >= 2) {
      // Twice in a row: offer a person straight away, with the list of topics below.
      await step.context.sendActivity(cardActivity(offerPersonCard(tr, data.record?.id ?? '', tr('recognize.stillNotUnderstood'))));
    }
    await step.context.sendActivity(cardActivity(menuCard(tr)));
    return step.endDialog();
  }

  /** After "did you mean…?": a button, "something else", or new text to recognise again. */
  private async choose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result) return step.next(step.result);
    const pending = vals(step).pending as { entities: Entities; text: string };
    (await this.services.conversationData.get(step.context, {})).awaitingChoice = false;
    const data = submitData(step.context);
    const tr = t(step.context);
    if (data?.action === 'choose-symptom' && isSymptomId(data.symptom)) {
      return step.next({ symptom: data.symptom, entities: pending.entities, text: pending.text } satisfies Identified);
    }
    if (data?.action === 'something-else') {
      await step.context.sendActivity(tr('recognize.describeAgain'));
      return step.endDialog();
    }
    if (data) {
      await step.context.sendActivity(tr('errors.unknownAction'));
      return step.endDialog();
    }
    return step.replaceDialog(MAIN_DIALOG, { text: messageText(step.context), role: vals(step).role as Role } satisfies MainOptions);
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const identified = step.result as Identified;
    const symptom = getSymptom(identified.symptom)!;
    const data = await this.services.conversationData.get(step.context, {});
    const record = startRecord(data, vals(step).role as Role, turnLocale(step.context));
    prefill(record, symptom, identified.entities, identified.text);
    // "Got it: …" travels with the first question: one message instead of three.
    const lead = t(step.context)('recognize.recognized', { title: t(step.context)(`knowledge:symptoms.${symptom.id}.title`) });
    await collectEvidence(step.context, this.services, record);
    if (skipQuestions(record, vals(step).role as Role)) {
      await step.context.sendActivity(lead);
      return step.next();
    }
    return step.beginDialog(PREREQUISITES_DIALOG, { lead });
  }

  private async troubleshoot(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(TROUBLESHOOT_DIALOG);
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as TroubleshootResult | undefined;
    if (result?.outcome === 'person') step.context.turnState.set(PERSON_REQUESTED, 'asked');
    return step.endDialog(result);
  }
}

/**
 * A new case for this conversation. Facts about the user's situation given earlier in the conversation carry over
 * (so nobody asks twice); the error, symptom and attempts are the new problem's own.
 */
export function startRecord(data: ConversationData, role: Role, locale: string): DiagnosticRecord {
  const previous = data.record;
  const record = newRecord(role, locale);
  if (previous) {
    data.history = [...(data.history ?? []), previous].slice(-5);
    for (const [q, a] of Object.entries(previous.answers)) {
      if (q !== 'error-message' && q !== 'error-location' && a)
        record.answers[q as keyof DiagnosticRecord['answers']] = { ...a, source: 'conversation' };
    }
  }
  data.record = record;
  return record;
}
