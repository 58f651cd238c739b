import { DONT_KNOW, Question } from '../knowledge/catalog';
import { Translate } from '../knowledge/locales';
import { extractEntities } from '../nlu/entities';
import { normalize } from '../nlu/text';
import { labelShare, readDeviceOwner } from '../replies/cardReplies';
import { readChoice, readDontKnow, readPosition } from '../replies/understand';

/**
 * Maps a typed answer to one of the question's closed answers, in the user's language. Returns undefined when the
 * text fits none of them (the dialog then asks once more). Free-text questions accept any non-empty text.
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
  const byWords = (): string | undefined => {
    const chosen = readChoice(
      text,
      locale,
      buttons.map((id) => ({ id, labels: [label(id)] })),
    );
    // The message must be mostly the option's words: one shared word ("Manager") does not pick an option.
    return chosen && buttons.includes(chosen) && labelShare(text, locale, label(chosen)) >= 0.5 ? chosen : undefined;
  };
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
  // 4. yes/no/all/some words
  const words = new Set(n.split(' '));
  const any = (...ws: string[]): boolean => ws.some((w) => (w.includes(' ') ? n.includes(w) : words.has(w)));
  switch (question.id) {
    case 'started':
      if (any('never', 'nunca', 'jamas', 'mai', 'first time', 'primera vez', 'prima volta')) return 'never-worked';
      if (
        any(
          'before',
          'worked',
          'used to',
          'yesterday',
          'antes',
          'funcionaba',
          'ayer',
          'prima',
          'funzionava',
          'ieri',
          'since',
          'desde',
          'da',
          'ago',
          'until',
          'hace',
          'iba',
          'hasta',
          'fa',
          'andava',
          'fino',
        )
      )
        return 'worked-before';
      return byWords();
    case 'users-affected':
    case 'devices-affected':
      if (any('all', 'every', 'everyone', 'todos', 'todas', 'tutti', 'tutte')) return 'all';
      if (any('some', 'few', 'several', 'algunos', 'algunas', 'varios', 'alcuni', 'alcune', 'diversi')) return 'some';
      if (any('one', 'only', 'just', 'mine', 'uno', 'una', 'solo', 'mio', 'mi')) return 'one';
      return byWords();
    case 'mdm-authority':
      if (any('intune')) return 'intune';
      if (any('configuration manager', 'configmgr', 'sccm', 'mecm', 'hybrid', 'hibrido', 'ibrido', 'co management')) return 'configmgr';
      if (any('basic mobility', '365', 'office')) return 'm365';
      return byWords();
    case 'error-location':
      if (any('company portal', 'portal de empresa', 'portale aziendale', 'app')) return 'company-portal-app';
      if (any('settings', 'ajustes', 'configuracion', 'impostazioni')) return 'settings-app';
      if (any('safari', 'browser', 'navegador', 'web', 'website')) return 'browser';
      if (any('admin center', 'portal', 'console', 'centro de administracion', 'interfaccia')) return 'admin-center';
      if (any('iphone', 'ipad', 'phone', 'device', 'screen', 'setup', 'movil', 'telefono', 'pantalla', 'dispositivo', 'schermo'))
        return 'device-setup';
      return byWords();
    default:
      return byWords();
  }
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
