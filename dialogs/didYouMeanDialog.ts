import { TurnContext } from 'botbuilder';
import { AskDialog, AskState, Reply } from './askDialog';
import { didYouMeanCard } from '../cards';
import { isSymptomId, NONE, SymptomId } from '../src/core/knowledge/catalog';
import { Translate } from '../src/core/knowledge/locales';
import { readChoice, SOMETHING_ELSE } from '../src/core/replies/understand';
import { BotServices, cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const DID_YOU_MEAN_DIALOG = 'did-you-mean';

export interface DidYouMeanOptions {
  /** The plausible symptoms, best first (two or three). */
  candidates: SymptomId[];
}

/** The symptom picked, or none of them ("something else", or still unclear after a re-ask). */
export type DidYouMeanResult = { symptom: SymptomId } | { symptom?: undefined };

type State = DidYouMeanOptions & AskState;

/**
 * "Did you mean…?" with the plausible symptoms and "something else". Typed replies count: the option's number or
 * position, its words ("the server one", "el del servidor", "quello del server"), or a new description that names
 * a symptom clearly.
 */
export class DidYouMeanDialog extends AskDialog<DidYouMeanOptions, DidYouMeanResult> {
  constructor(private readonly services: BotServices) {
    super(DID_YOU_MEAN_DIALOG);
  }

  protected override valid(options: DidYouMeanOptions): boolean {
    return options.candidates.length > 0 && options.candidates.every(isSymptomId);
  }

  protected async prompt(context: TurnContext, state: State): Promise<void> {
    await context.sendActivity(cardActivity(didYouMeanCard(t(context), state.candidates)));
  }

  protected read(context: TurnContext, state: State): Reply<DidYouMeanResult> {
    const press = pressed(context);
    if (press) {
      const d = press.kind === 'action' ? press.data : undefined;
      if (d?.action === 'choose-symptom' && isSymptomId(d.symptom)) return { value: { symptom: d.symptom } };
      if (d?.action === 'something-else') return { value: {} };
      return 'stale';
    }
    const text = messageText(context);
    const locale = turnLocale(context);
    const tr = t(context);
    const options = state.candidates.map((id) => ({
      id,
      labels: [tr(`knowledge:symptoms.${id}.title`), tr(`knowledge:symptoms.${id}.seen`)],
    }));
    const chosen = readChoice(text, locale, options);
    if (chosen === SOMETHING_ELSE) return { value: {} };
    if (chosen && isSymptomId(chosen)) return { value: { symptom: chosen } };
    // Not one of the options: perhaps the problem described again, more clearly.
    const r = this.services.recognizer.recognize(text, locale);
    if (r.intent !== NONE && !r.ambiguous) return { value: { symptom: r.intent } };
    return 'miss';
  }

  protected reask(tr: Translate): string {
    return tr('recognize.reaskChoice');
  }

  protected fallback(): DidYouMeanResult {
    return {};
  }
}
