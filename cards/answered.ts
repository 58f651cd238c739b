import { DONT_KNOW, getQuestion, getSymptom, isSymptomId } from '../src/core/knowledge/catalog';
import { Translate } from '../src/core/knowledge/locales';
import { CardAction } from './actions';
import { AdaptiveCardJson, expand } from './index';

/**
 * What the pressed button said, and what it answered (the question, the cause), from the button's data; data that
 * names nothing in the catalog (a forged press) gets no card.
 */
function chosen(t: Translate, data: CardAction): { heading: string; chosen: string } | undefined {
  switch (data.action) {
    case 'answer':
      if (!getQuestion(data.question) || !(data.answer === DONT_KNOW || getQuestion(data.question)?.answers.includes(data.answer)))
        return undefined;
      return {
        heading: t(`knowledge:questions.${data.question}.prompt`),
        chosen: t(`knowledge:questions.${data.question}.answers.${data.answer}`),
      };
    case 'outcome':
      if (!getSymptom(data.symptom)?.causes.some((c) => c.id === data.cause)) return undefined;
      return {
        heading: t(`knowledge:causes.${data.symptom}.${data.cause}.title`),
        chosen: t(data.outcome === 'fixed' ? 'cause.fixed' : data.outcome === 'not-fixed' ? 'cause.notFixed' : 'cause.person'),
      };
    case 'choose-symptom':
      if (!isSymptomId(data.symptom)) return undefined;
      return { heading: '', chosen: t(`knowledge:symptoms.${data.symptom}.title`) };
    case 'something-else':
      return { heading: '', chosen: t('recognize.somethingElse') };
    case 'rate':
      return { heading: t('outcome.rateTitle'), chosen: `${'★'.repeat(data.rating)} ${t(`outcome.rate${data.rating}`)}` };
    case 'person':
      return { heading: '', chosen: t(data.cause ? 'cause.handoff' : 'cause.person') };
    case 'decline-person':
      return { heading: '', chosen: t('cause.noThanks') };
    case 'skip':
      return { heading: '', chosen: t('escalation.skip') };
    default:
      // Welcome examples, the menu and "talk to a person" from it stay usable: they start something new each time.
      return undefined;
  }
}

/**
 * A card whose button was answered, as it is shown after the press: no buttons, only what was chosen (and what it
 * answered), so the same card cannot be pressed twice. Undefined for buttons whose card stays as it is.
 */
export function answeredCard(t: Translate, data: CardAction): AdaptiveCardJson | undefined {
  const view = chosen(t, data);
  return view && expand('answered', view);
}
