import { availableLocales, readLocaleFile } from '../knowledge/locales';
import { normalize } from './text';

/**
 * Whose device a problem description says it is ("on my personal iPhone", "sul mio iphone aziendale", "el móvil de la
 * empresa"): the employee's own or the company's. Only words that name the device with its owner count, in any
 * language the bot speaks (like the other entities of a first message): a bare "my" or "mio" says nothing, and the
 * Company Portal app ("portale aziendale") is no device. Both in one message say nothing either. Phrases are in
 * locales/<lng>/deviceOwner.json.
 */
export type DeviceOwner = 'own' | 'company';

let phrases: { owner: DeviceOwner; text: string }[] | undefined;

function ownerPhrases(): { owner: DeviceOwner; text: string }[] {
  if (phrases) return phrases;
  phrases = [];
  for (const locale of availableLocales()) {
    const data = readLocaleFile(locale, 'deviceOwner.json') as Partial<Record<DeviceOwner, string[]>> | undefined;
    for (const owner of ['own', 'company'] as const) {
      for (const text of data?.[owner] ?? []) phrases.push({ owner, text: ` ${normalize(text)} ` });
    }
  }
  return phrases;
}

export function deviceOwnerIn(text: string): DeviceOwner | undefined {
  const n = ` ${normalize(text)} `;
  const found = new Set(
    ownerPhrases()
      .filter((p) => n.includes(p.text))
      .map((p) => p.owner),
  );
  return found.size === 1 ? [...found][0] : undefined;
}
