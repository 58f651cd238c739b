import { DONT_KNOW, Question } from '../knowledge/catalog';
import { Translate } from '../knowledge/locales';
import { extractEntities } from '../nlu/entities';
import { normalize } from '../nlu/text';

/** Words for "I don't know" in every language, beyond the button label. */
const DONT_KNOW_WORDS =
  /^(i )?(dont|do not) know|^(no (lo )?se|ni idea|no estoy seguro|non (lo )?so|boh|non saprei|not sure|no idea|dunno|idk|nose|nonso)$/;

/**
 * Maps a typed answer to one of the question's closed answers, in the user's language. Returns undefined when the
 * text fits none of them (the dialog then asks once more). Free-text questions accept any non-empty text.
 */
export function parseAnswer(question: Question, text: string, t: Translate): string | undefined {
  const n = normalize(text);
  if (!n) return undefined;
  if (DONT_KNOW_WORDS.test(n) || n === normalize(t(`knowledge:questions.${question.id}.answers.${DONT_KNOW}`))) return DONT_KNOW;
  if (question.answers.length === 0) return text.trim();
  // 1. exact id or label, or a number for the n-th button
  const num = Number.parseInt(n, 10);
  if (String(num) === n && num >= 1 && num <= question.answers.length) return question.answers[num - 1];
  for (const a of question.answers) {
    if (n === normalize(a) || n === normalize(t(`knowledge:questions.${question.id}.answers.${a}`))) return a;
  }
  // 2. entities for the questions they answer
  const e = extractEntities(text);
  if (question.id === 'platform' && e.platform) return e.platform;
  if (question.id === 'enrollment-method' && e.enrollmentMethod) return e.enrollmentMethod;
  if (question.id === 'users-affected' && e.usersAffected) return e.usersAffected;
  // 3. yes/no/all/some words
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
        )
      )
        return 'worked-before';
      return undefined;
    case 'users-affected':
    case 'devices-affected':
      if (any('all', 'every', 'everyone', 'todos', 'todas', 'tutti', 'tutte')) return 'all';
      if (any('some', 'few', 'several', 'algunos', 'algunas', 'varios', 'alcuni', 'alcune', 'diversi')) return 'some';
      if (any('one', 'only', 'just', 'mine', 'uno', 'una', 'solo', 'mio', 'mi')) return 'one';
      return undefined;
    case 'mdm-authority':
      if (any('intune')) return 'intune';
      if (any('configuration manager', 'configmgr', 'sccm', 'mecm', 'hybrid', 'hibrido', 'ibrido', 'co management')) return 'configmgr';
      if (any('basic mobility', '365', 'office')) return 'm365';
      return undefined;
    case 'error-location':
      if (any('company portal', 'portal de empresa', 'portale aziendale', 'app')) return 'company-portal-app';
      if (any('settings', 'ajustes', 'configuracion', 'impostazioni')) return 'settings-app';
      if (any('safari', 'browser', 'navegador', 'web', 'website')) return 'browser';
      if (any('admin center', 'portal', 'console', 'centro de administracion', 'interfaccia')) return 'admin-center';
      if (any('iphone', 'ipad', 'phone', 'device', 'screen', 'setup', 'movil', 'telefono', 'pantalla', 'dispositivo', 'schermo'))
        return 'device-setup';
      return undefined;
    default:
      return undefined;
  }
}
