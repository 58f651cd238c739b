import { loadCatalog, SymptomId } from '../knowledge/catalog';
import { seenTexts } from '../knowledge/locales';
import { compact, contentWords, normalize } from './text';

interface KnownText {
  symptom: SymptomId;
  tokens: string[];
  compactLength: number;
  text: string;
  code: boolean;
}

export interface ErrorMatch {
  symptom: SymptomId;
  /** Share of the known text's words found in the message (1 for an error code). */
  containment: number;
  /** The known error text or code that matched, as the device shows it. */
  text: string;
}

let known: KnownText[] | undefined;

/**
 * Every error text the bot knows, in every language (the English device texts of the catalog, the error codes, and
 * each locale's own wording), so a pasted error is recognised whatever the user's language.
 */
export function knownErrorTexts(): KnownText[] {
  if (known) return known;
  const out: KnownText[] = [];
  const add = (symptom: SymptomId, text: string, code: boolean): void => {
    const n = normalize(text);
    if (!n) return;
    out.push({ symptom, tokens: [...new Set(n.split(' '))], compactLength: n.replace(/ /g, '').length, text, code });
  };
  for (const s of loadCatalog().symptoms) {
    for (const c of s.codes) add(s.id, c, true);
    for (const t of s.errorTexts) add(s.id, t, false);
    if (s.group !== 'error-message') continue;
    for (const seen of seenTexts(s.id)) {
      if (s.codes.every((c) => compact(seen).indexOf(compact(c)) < 0)) add(s.id, seen, false);
    }
  }
  known = out;
  return out;
}

const MIN_CONTAINMENT = 0.75;
const MIN_MATCHED_WORDS = 3;

/** The best known error text or code pasted into the message, if any. Longer matches beat shorter ones. */
export function matchErrorText(message: string): ErrorMatch | undefined {
  const n = normalize(message);
  if (!n) return undefined;
  const words = new Set(n.split(' '));
  // Codes count only when written as one word ("NoEnrollmentPolicy", "no_enrollment_policy", "XPC_TYPE_ERROR"):
  // spaced words ("...no enrollment policy") are left to the model, since they are also part of longer error texts.
  const codeWords = ` ${normalize(message.replace(/[_\-.]+/g, ''))} `;
  let best: { m: ErrorMatch; covered: number } | undefined;
  for (const k of knownErrorTexts()) {
    let containment: number;
    if (k.code) {
      containment = codeWords.includes(k.tokens.join('')) ? 1 : 0;
    } else {
      const hits = k.tokens.filter((t) => words.has(t)).length;
      containment = hits >= Math.min(MIN_MATCHED_WORDS, k.tokens.length) ? hits / k.tokens.length : 0;
      if (k.tokens.length < MIN_MATCHED_WORDS && !n.includes(k.tokens.join(' '))) containment = 0;
    }
    if (containment < (k.code ? 1 : MIN_CONTAINMENT)) continue;
    const covered = containment * k.compactLength;
    if (!best || covered > best.covered) best = { m: { symptom: k.symptom, containment, text: k.text }, covered };
  }
  return best?.m;
}

/**
 * Symptoms whose known error text contains every word of the message: "Profile Installation Failed" alone is the
 * start of three different errors, so the bot should ask which one rather than guess.
 */
export function fragmentOf(message: string): SymptomId[] {
  const n = normalize(message);
  const tokens = n ? [...new Set(n.split(' '))] : [];
  // Function words alone ("no se", "di un") are part of many texts without pointing at any of them.
  if (tokens.length < 2 || contentWords(n).length === 0) return [];
  const symptoms = new Set<SymptomId>();
  for (const k of knownErrorTexts()) {
    if (!k.code && tokens.every((t) => k.tokens.includes(t))) symptoms.add(k.symptom);
  }
  if (symptoms.size > 0) return [...symptoms];
  // The same words in another form ("installing the profile", "al instalar el perfil" for "Profile Installation
  // Failed…"): every content word shares its first letters with a word of the text.
  const content = [...new Set(contentWords(n))];
  if (content.length < 2) return [];
  const prefix = (w: string): string => w.slice(0, PREFIX);
  for (const k of knownErrorTexts()) {
    if (!k.code && content.every((w) => k.tokens.some((t) => prefix(t) === prefix(w) && Math.min(t.length, w.length) >= PREFIX)))
      symptoms.add(k.symptom);
  }
  return [...symptoms];
}

/** Letters two forms of a word share ("install-ing", "install-ation", "instal-ar"). */
const PREFIX = 5;

/**
 * Device errors the two seed articles have no entry for, each with the symptoms whose causes cover it, closest first.
 * "…could not be downloaded from <Company>: Invalid Profile" (the 2024 English article) is a device type
 * restriction, which is the first cause of "Connection to the server could not be established" (allow iOS/iPadOS);
 * the profile could not be installed, so the other profile installation errors follow (never "User License Type
 * Invalid" for sharing the word "invalid"). Phrases are whole words of the normalized message, in the device's English
 * and the iOS wording of each locale.
 */
const RELATED_ERRORS: { phrases: string[]; closest: SymptomId[] }[] = [
  {
    phrases: ['invalid profile', 'perfil no valido', 'perfil invalido', 'profilo non valido'],
    closest: ['server-connection-failed', 'network-error', 'payload-mismatch'],
  },
];

/** The symptoms closest to a device error that is not one of the known ones (empty when there is none). */
export function relatedErrorOf(message: string): SymptomId[] {
  const n = ` ${normalize(message)} `;
  return RELATED_ERRORS.find((r) => r.phrases.some((p) => n.includes(` ${p} `)))?.closest ?? [];
}
