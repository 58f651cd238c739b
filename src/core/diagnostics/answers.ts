import { DONT_KNOW, Question } from '../knowledge/catalog';
import { Translate } from '../knowledge/locales';
import { extractEntities } from '../nlu/entities';
import { normalize } from '../nlu/text';
import { labelShare, readDeviceOwner } from '../replies/cardReplies';
import { readChoiceFull, readDontKnow, readPosition } from '../replies/understand';

/**
 * Maps a typed answer to one of the question's closed answers, in the user's language. Returns undefined when the
 * text fits none of them (the dialog then asks once more). Free-text questions accept any non-empty text.
 * The words of each answer are data: its label, the employee's wording, and the meaning classes of
 * locales/<lng>/replies.json those share ("nunca" is `never`, "todos" is `all`, "sccm" is `configmgr`), read by the
 * one choice reader (readChoiceFull) as for any options on screen.
 */
export function parseAnswer(question: Question, text: string, t: Translate, locale: string): string | undefined {
  const n = normalize(text);
  if (!n) return undefined;
  const label = (a: string): string => t(`knowledge:questions.${question.id}.answers.${a}`);
  if (readDontKnow(text, locale) || n === normalize(label(DONT_KNOW))) return DONT_KNOW;
  if (question.answers.length === 0) return text.trim();
  // 1. exact id or label, or the number or position of a button ("2", "the second one")
  // The employee's wording of the answers too, where the locale has one ("Me lo dio la empresa").
  const own = (a: string): string => t(`questions.employee.${question.id}.answers.${a}`, { defaultValue: '' });
  for (const a of question.answers) if (n === normalize(a) || n === normalize(label(a)) || (own(a) && n === normalize(own(a)))) return a;
  const buttons = [...question.answers, DONT_KNOW];
  const position = readPosition(text, locale, buttons.length);
  if (position !== undefined) return buttons[position - 1];
  // 2. whose device it is answers how it is enrolled: the employee's own (Company Portal) or the company's (ADE)
  if (question.id === 'enrollment-method') {
    const owner = readDeviceOwner(text, locale);
    if (owner) return owner === 'own' ? 'company-portal' : 'ade';
  }
  // 3. entities for the questions they answer
  const e = extractEntities(text);
  if (question.id === 'platform' && e.platform) return e.platform;
  if (question.id === 'enrollment-method' && e.enrollmentMethod) return e.enrollmentMethod;
  if (question.id === 'users-affected' && e.usersAffected) return e.usersAffected;
  // 4. the answers' words and meanings
  const labels = (a: string): string[] => [label(a), own(a)].filter(Boolean);
  const chosen = readChoiceFull(
    text,
    locale,
    buttons.map((id) => ({ id, labels: labels(id) })),
  );
  if (!chosen || !buttons.includes(chosen.id)) return undefined;
  // Chosen by a label's words alone, the message must be mostly those words: one shared word ("Manager") does not
  // pick an option.
  if (chosen.by === 'words' && !labels(chosen.id).some((l) => labelShare(text, locale, l) >= 0.5)) return undefined;
  return chosen.id;
}

/**
 * An Apple serial number in what the employee typed: 10 characters (devices since 2021) to 12, letters and digits,
 * at least one digit; spaces and dashes between groups ignored; case ignored. Undefined when there is none.
 */
export function readSerialNumber(text: string): string | undefined {
  const isSerial = (s: string): boolean => /^[A-Z0-9]{10,12}$/.test(s) && /\d/.test(s) && /[A-Z]/.test(s);
  const upper = text.toUpperCase().trim();
  const joined = upper.replace(/[\s-]+/g, '');
  if (isSerial(joined)) return joined;
  const tokens = upper.split(/[^A-Z0-9]+/).filter(isSerial);
  return tokens.length === 1 ? tokens[0] : undefined;
}
