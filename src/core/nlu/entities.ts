import { normalize } from './text';

/** Facts found in the user's own message that answer prerequisite questions before they are asked. */
export interface Entities {
  platform?: 'ios' | 'android' | 'windows' | 'macos';
  enrollmentMethod?: 'ade' | 'company-portal';
  usersAffected?: 'all' | 'some' | 'one';
  /** Text the user quoted, or the known error text found in the message. */
  errorText?: string;
}

const has = (n: string, re: RegExp): boolean => re.test(n);

export function extractEntities(text: string): Entities {
  const n = ` ${normalize(text)} `;
  const e: Entities = {};
  if (has(n, / (iphone|iphones|ipad|ipads|ios|ipados|ipone|iphon|i phone) /)) e.platform = 'ios';
  else if (has(n, / (android|samsung|pixel) /)) e.platform = 'android';
  else if (has(n, / (macbook|macos|mac) /)) e.platform = 'macos';
  else if (has(n, / (windows|laptop|pc|surface) /)) e.platform = 'windows';

  if (
    has(
      n,
      / (ade|dep|abm|asm|apple business manager|apple school manager|business manager|school manager|setup assistant|asistente de configuracion|assistente (di )?configurazione|automated device enrollment|inscripcion automatizada|registrazione automatica|device enrollment program|programa de inscripcion) /,
    )
  )
    e.enrollmentMethod = 'ade';
  else if (has(n, / (company portal|portal de empresa|portale aziendale|byod|comp portal|portal empresa|portale azienda) /))
    e.enrollmentMethod = 'company-portal';

  if (
    has(
      n,
      / (everyone|everybody|all (the |our )?users|all (of )?us|nobody can|no one can|todos|todo el mundo|nadie puede|ningun usuario|tutti|nessuno riesce|tutti gli utenti) /,
    )
  )
    e.usersAffected = 'all';
  else if (
    has(
      n,
      / (some users|a few users|some people|several users|algunos|varios usuarios|unos usuarios|alcuni|qualche utente|diversi utenti) /,
    )
  )
    e.usersAffected = 'some';
  else if (has(n, / (only me|just me|only for me|solo yo|solo a mi|solo me pasa a mi|solo io|solo a me|capita solo a me) /))
    e.usersAffected = 'one';

  const quoted = text.match(/["“”«»'‘’]([^"“”«»]{6,300})["“”«»]/);
  if (quoted?.[1]) e.errorText = quoted[1].trim();
  return e;
}
