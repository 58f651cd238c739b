import * as fs from 'fs';
import * as path from 'path';
import i18next, { i18n, TOptions } from 'i18next';
import { fromRoot } from '../paths';
import { requiredKnowledgeKeys } from './catalog';

export const DEFAULT_LOCALE = 'en';
/** The text namespaces every locale folder provides. */
export const NAMESPACES = ['knowledge', 'ui'] as const;
export type Namespace = (typeof NAMESPACES)[number];

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export function readLocaleFile(locale: string, file: string, root = fromRoot('locales')): Record<string, Json> | undefined {
  const p = path.join(root, locale, file);
  if (!fs.existsSync(p)) return undefined;
  return JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, Json>;
}

/** Locale folders present under locales/ (each one is a language the bot can speak). */
export function availableLocales(root = fromRoot('locales')): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[a-z]{2,3}$/.test(d.name))
    .map((d) => d.name)
    .sort();
}

/**
 * Maps a locale to a supported language by its primary language subtag, whatever the region or script: "es-MX",
 * "es-419", "it-CH", "IT-it", "it_IT.UTF-8" and "EN" all count. Anything else (another language, no language subtag,
 * not a string) becomes English.
 */
export function resolveLocale(raw: string | undefined | null, supported: string[] = supportedLocales()): string {
  if (typeof raw !== 'string') return DEFAULT_LOCALE;
  const lang = /^([a-z]{2,3})(?=$|[-_.@])/i.exec(raw.trim())?.[1]?.toLowerCase() ?? '';
  return supported.includes(lang) ? lang : DEFAULT_LOCALE;
}

/** Flattens a nested JSON object into dotted keys → string values. */
export function flatten(obj: Record<string, Json>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, Json>, key, out);
    else out[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

export interface LocaleProblem {
  locale: string;
  namespace: Namespace;
  missing: string[];
  empty: string[];
  extra: string[];
  placeholderMismatch: string[];
}

const placeholders = (s: string): string[] => (s.match(/\{\{\s*[\w.]+\s*\}\}/g) ?? []).map((p) => p.replace(/\s/g, '')).sort();

/**
 * Checks one locale folder against the catalog (knowledge) and the English reference (ui).
 * Returns the problems; an empty `missing`/`empty`/`extra`/`placeholderMismatch` means complete.
 */
export function checkLocale(locale: string, root = fromRoot('locales')): LocaleProblem[] {
  const reference: Record<Namespace, Record<string, string>> = {
    knowledge: Object.fromEntries(requiredKnowledgeKeys().map((k) => [k, ''])),
    ui: flatten(readLocaleFile(DEFAULT_LOCALE, 'ui.json', root) ?? {}),
  };
  const enKnowledge = flatten(readLocaleFile(DEFAULT_LOCALE, 'knowledge.json', root) ?? {});
  return NAMESPACES.map((ns) => {
    const texts = flatten(readLocaleFile(locale, `${ns}.json`, root) ?? {});
    const expected = Object.keys(reference[ns]);
    const enTexts = ns === 'ui' ? reference.ui : enKnowledge;
    return {
      locale,
      namespace: ns,
      missing: expected.filter((k) => !(k in texts)),
      empty: expected.filter((k) => k in texts && (texts[k] ?? '').trim() === ''),
      extra: Object.keys(texts).filter((k) => !(k in reference[ns])),
      placeholderMismatch: expected.filter(
        (k) => k in texts && k in enTexts && placeholders(texts[k] ?? '').join() !== placeholders(enTexts[k] ?? '').join(),
      ),
    };
  });
}

let supportedCache: string[] | undefined;
export function supportedLocales(): string[] {
  supportedCache ??= availableLocales().filter((l) => NAMESPACES.every((ns) => readLocaleFile(l, `${ns}.json`)));
  return supportedCache;
}

let seenCache: Map<string, string[]> | undefined;

/**
 * What the device shows for a symptom in every supported language: the "seen" text of each
 * locales/<lng>/knowledge.json (each file read once). Users paste it whatever language they write in.
 */
export function seenTexts(symptomId: string): string[] {
  if (!seenCache) {
    seenCache = new Map();
    for (const l of supportedLocales()) {
      const symptoms = (readLocaleFile(l, 'knowledge.json')?.symptoms ?? {}) as Record<string, { seen?: string }>;
      for (const [id, texts] of Object.entries(symptoms)) {
        if (texts.seen) seenCache.set(id, [...(seenCache.get(id) ?? []), texts.seen]);
      }
    }
  }
  return seenCache.get(symptomId) ?? [];
}

let instance: i18n | undefined;

/** One i18next instance with every locale folder loaded synchronously. */
export function getI18n(): i18n {
  if (instance) return instance;
  const resources: Record<string, Record<string, Record<string, Json>>> = {};
  for (const l of supportedLocales()) {
    resources[l] = {};
    for (const ns of NAMESPACES) resources[l][ns] = readLocaleFile(l, `${ns}.json`) ?? {};
  }
  const inst = i18next.createInstance();
  void inst.init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: supportedLocales(),
    ns: [...NAMESPACES],
    defaultNS: 'ui',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  } as Parameters<i18n['init']>[0]);
  instance = inst;
  return inst;
}

/** A translator bound to one locale. Keys are "ns:key" or plain ui keys. */
export type Translate = (key: string, options?: TOptions) => string;

const translators = new Map<string, Translate>();

/**
 * A translator per supported language, created once (every turn uses it many times). Texts are remembered by key and
 * options: the resources never change while the bot runs, and a card asks for a dozen of them per turn. The memory of
 * texts with options (progress counters, titles, ids) is bounded.
 */
export function translator(locale: string): Translate {
  const lang = resolveLocale(locale);
  let tr = translators.get(lang);
  if (!tr) {
    const t = getI18n().getFixedT(lang);
    const plain = new Map<string, string>();
    const withOptions = new Map<string, string>();
    tr = (key, options) => {
      if (options) {
        const k = `${key}\u0000${JSON.stringify(options)}`;
        let text = withOptions.get(k);
        if (text === undefined) {
          if (withOptions.size >= MAX_REMEMBERED) withOptions.clear();
          withOptions.set(k, (text = String(t(key, options))));
        }
        return text;
      }
      let text = plain.get(key);
      if (text === undefined) plain.set(key, (text = String(t(key, {}))));
      return text;
    };
    translators.set(lang, tr);
  }
  return tr;
}

const MAX_REMEMBERED = 5000;
