import { CauseCardInput, causeCaution, causeParts } from '../cards';
import { Translate } from '../src/core/knowledge/locales';
import { partsAbout, stepNamed } from '../src/core/replies/stepReplies';

/**
 * What the bot answers about a cause card's steps, from the card itself: it has nothing else to say about them.
 * A question gets the parts of the card it is about, quoted (the step whose words it shares, what IT does, a link
 * it names), with the card's cautions before anyone acts; a question that names none of them gets an honest "I can't
 * answer that", never a link that has nothing to do with it.
 */
export function answerAboutSteps(tr: Translate, input: CauseCardInput, text: string, locale: string): string {
  const parts = causeParts(tr, input);
  const caution = causeCaution(tr, input);
  const about = partsAbout(
    text,
    locale,
    parts.map((p) => p.words),
  )
    .map((i) => parts[i]!)
    .filter((p) => !caution.includes(p.text));
  const lines: string[] = [];
  if (about.length > 0)
    lines.push(
      tr('cause.cardSays', { parts: about.map((p) => (p.kind === 'link' ? p.text : tr('cause.quote', { text: p.text }))).join('\n\n') }),
    );
  if (caution) lines.push(tr('cause.aboutStep', { caution }));
  if (lines.length === 0) return tr('cause.cantAnswer');
  return [...lines, tr('cause.reask')].join('\n\n');
}

/**
 * The answer to a step reported done with a question of what now ("removed one, now what?"): the step after the one
 * it names, then whether it works; or, after the last step or when it names none, whether it works now.
 */
export function answerStepDone(tr: Translate, input: CauseCardInput, text: string, locale: string): string {
  const steps = causeParts(tr, input).filter((p) => p.kind === 'step');
  const done = stepNamed(
    text,
    locale,
    steps.map((s) => s.words),
  );
  const next = done === undefined ? undefined : steps[done + 1];
  if (!next) return tr('cause.worksNow');
  return `${tr('cause.nextStep', { step: next.text })}\n\n${tr('cause.reask')}`;
}

/**
 * The answer to a question at a card only IT can act on ("que significa eso", "so what now?"): the parts of the card
 * it is about, quoted, or that only IT can fix this; then whether to send it (and, when there is one, that another
 * possible cause can be shown instead).
 */
export function answerAtHandoff(tr: Translate, input: CauseCardInput, text: string, locale: string, another = false): string {
  const parts = causeParts(tr, input);
  const about = partsAbout(
    text,
    locale,
    parts.map((p) => p.words),
  ).map((i) => parts[i]!);
  const said =
    about.length > 0
      ? tr('cause.cardSays', { parts: about.map((p) => (p.kind === 'link' ? p.text : tr('cause.quote', { text: p.text }))).join('\n\n') })
      : tr('cause.onlyIt');
  return `${said} ${tr(another ? 'cause.reaskHandoffNext' : 'cause.reaskHandoff')}`;
}
