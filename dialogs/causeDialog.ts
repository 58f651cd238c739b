import { TurnContext } from 'botbuilder';
import { AskDialog, AskState, Reply } from './askDialog';
import { causeCard } from '../cards';
import { Outcome } from '../cards/actions';
import { SymptomId } from '../src/core/knowledge/catalog';
import { Translate } from '../src/core/knowledge/locales';
import { readOutcome, readSmallTalk } from '../src/core/replies/understand';
import { BotServices, cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const CAUSE_DIALOG = 'cause';

export interface CauseOptions {
  symptom: SymptomId;
  cause: string;
  /** 1-based position of this cause in the plan, and the plan's length. */
  position: number;
  total: number;
  /** The diagnostic record's id: buttons of another case's cards are stale. */
  record: string;
  /** Text to send before the card the first time (e.g. "one more thing to check"). */
  lead?: string;
}

/**
 * What the user said about the fix; "unclear" after a re-ask that didn't help either; "handoff" when they pressed
 * "Send it to IT now" on a cause only IT can fix (a yes already: no confirmation).
 */
export type CauseResult = Outcome | 'unclear' | 'handoff';

type State = CauseOptions & AskState;

/**
 * One possible cause as a card (what you see, the likely cause, the steps) and whether its fix worked: the card's
 * buttons, or typed ("that worked!", "sigue igual", "si blocca ancora" is not a yes).
 */
export class CauseDialog extends AskDialog<CauseOptions, CauseResult> {
  constructor(private readonly services: BotServices) {
    super(CAUSE_DIALOG);
  }

  protected async prompt(context: TurnContext, state: State, first: boolean): Promise<void> {
    if (first && state.lead) await context.sendActivity(state.lead);
    // Who is asking decides what the card shows (an employee's steps, or every step); the answers pick alternatives.
    const record = (await this.services.conversationData.get(context, {})).record;
    const card = causeCard(t(context), {
      symptom: state.symptom,
      cause: state.cause,
      position: state.position,
      total: state.total,
      record: state.record,
      locale: turnLocale(context),
      ...(record ? { role: record.role, answers: record.answers } : {}),
      ...(record?.symptom ? { reported: record.symptom } : {}),
    });
    await context.sendActivity(cardActivity(card));
  }

  protected read(context: TurnContext, state: State): Reply<CauseResult> {
    const press = pressed(context);
    if (press) {
      const d = press.kind === 'action' ? press.data : undefined;
      const mine = !!d && 'cause' in d && d.symptom === state.symptom && d.cause === state.cause && d.record === state.record;
      if (mine && d.action === 'outcome') return { value: d.outcome };
      if (mine && d.action === 'person') return { value: 'handoff' };
      return 'stale';
    }
    const text = messageText(context);
    const outcome = readOutcome(text, turnLocale(context));
    if (outcome === 'fixed' || outcome === 'not-fixed' || outcome === 'person') return { value: outcome };
    // A bare "thanks" after a step is polite, not an answer: it may mean it worked, or thanks for the steps. The
    // re-ask acknowledges it and asks for the outcome ("thanks, it worked" is read above as fixed).
    if (readSmallTalk(text, turnLocale(context)) === 'thanks') return { miss: t(context)('cause.thanksReask') };
    return 'miss';
  }

  protected reask(tr: Translate): string {
    return tr('cause.reask');
  }

  protected fallback(): CauseResult {
    return 'unclear';
  }
}
