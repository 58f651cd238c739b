import { spawnSync } from 'child_process';
import { loadCatalog } from '../src/core/knowledge/catalog';
import { readLocaleFile } from '../src/core/knowledge/locales';
import { readExamples } from '../src/core/nlu/dataset';
import { extractEntities } from '../src/core/nlu/entities';
import { evaluate } from '../src/core/nlu/evaluate';
import { fromRoot } from '../src/core/paths';
import { sharedRecognizer } from './helpers/harness';

const recognizer = sharedRecognizer();
const intentOf = (text: string, locale: string): string => recognizer.recognize(text, locale).intent;
const errorSymptoms = loadCatalog().symptoms.filter((s) => s.group === 'error-message');

describe('pasted error texts', () => {
  it.each(['en', 'es', 'it'])('recognizes every device error text of every language in a %s conversation', (locale) => {
    for (const s of errorSymptoms) {
      for (const l of ['en', 'es', 'it']) {
        const seen = (readLocaleFile(l, 'knowledge.json')!.symptoms as Record<string, { seen: string }>)[s.id]!.seen;
        expect({ pasted: seen, as: l, into: locale, intent: intentOf(seen, locale) }).toEqual({
          pasted: seen,
          as: l,
          into: locale,
          intent: s.id,
        });
      }
    }
  });

  it('recognizes English device texts inside Spanish and Italian sentences', () => {
    expect(intentOf('me sale "Profile Installation Failed. A network error has occurred" al registrar el iPad', 'es')).toBe(
      'network-error',
    );
    expect(intentOf('company portal temporarily unavailable sul mio ipad', 'it')).toBe('company-portal-unavailable');
    expect(intentOf('al inscribir sale: The new MDM payload does not match the old payload', 'es')).toBe('payload-mismatch');
  });

  it('recognizes error codes in any case or spacing, in any locale', () => {
    for (const locale of ['en', 'es', 'it']) {
      expect(intentOf('NoEnrollmentPolicy', locale)).toBe('noenrollmentpolicy');
      expect(intentOf('error: no_enrollment_policy', locale)).toBe('noenrollmentpolicy');
      expect(intentOf('ACCOUNTNOTONBOARDED', locale)).toBe('accountnotonboarded');
      expect(intentOf('Account Not Onboarded when enrolling', locale)).toBe('accountnotonboarded');
      expect(intentOf('xpc_type_error connection invalid', locale)).toBe('xpc-connection-invalid');
      expect(intentOf('XPC TYPE ERROR', locale)).toBe('xpc-connection-invalid');
      expect(intentOf('DeviceCapReached', locale)).toBe('device-cap-reached');
    }
  });

  it('tells "This service is not supported. No Enrollment Policy." apart from the NoEnrollmentPolicy code', () => {
    expect(intentOf('This Service is not supported. No Enrollment Policy.', 'en')).toBe('service-not-supported');
    expect(intentOf('No se admite este servicio. No hay ninguna directiva de inscripción.', 'es')).toBe('service-not-supported');
  });
});

describe('users in their own words', () => {
  it.each([
    ['en', 'my new iPad says I have too many devices', 'device-cap-reached'],
    ['es', 'cuando intento registrar el iPhone me dice que no tengo licencia', 'license-type-invalid'],
    ['it', "l'iPhone aziendale nuovo si blocca dopo che inserisco la password durante la configurazione", 'ade-stuck-at-login'],
    ['en', 'the company iphone finished setup but never asked to enroll in intune', 'ade-enrollment-doesnt-start'],
  ])('%s: "%s" → %s', (locale, text, intent) => {
    expect(intentOf(text, locale)).toBe(intent);
  });
});

describe('out of scope', () => {
  it.each([
    ['en', 'my outlook keeps asking for my password'],
    ['en', 'hello!'],
    ['es', 'la impresora de la tercera planta no imprime'],
    ['it', 'la VPN non si connette da casa'],
    ['en', 'an app is stuck on pending in company portal on my enrolled iphone'],
    ['es', '¿cuándo sale la próxima actualización de iOS?'],
  ])('%s: "%s" → none', (locale, text) => {
    expect(intentOf(text, locale)).toBe('none');
  });

  it('answers none for empty, emoji-only and symbol-only messages', () => {
    for (const text of ['', '   ', '👍🎉', '???']) expect(intentOf(text, 'en')).toBe('none');
  });
});

describe('ambiguity', () => {
  it('ranks candidates and flags a close call so the bot can ask', () => {
    const r = recognizer.recognize('profile installation failed', 'en');
    expect(r.candidates.length).toBeGreaterThan(1);
    expect(r.candidates.map((c) => c.intent)).toEqual(expect.arrayContaining(['network-error']));
    expect(r.ambiguous || r.intent === 'none').toBe(true);
    for (let i = 1; i < r.candidates.length; i++) expect(r.candidates[i - 1]!.score).toBeGreaterThanOrEqual(r.candidates[i]!.score);
  });
});

describe('entities', () => {
  it('finds platform, enrollment method, scope and the quoted error', () => {
    expect(extractEntities('my iPad via Apple Business Manager, everyone has it')).toEqual({
      platform: 'ios',
      enrollmentMethod: 'ade',
      usersAffected: 'all',
    });
    expect(extractEntities('en el Portal de empresa del iPhone, solo a mí me pasa')).toEqual({
      platform: 'ios',
      enrollmentMethod: 'company-portal',
      usersAffected: 'one',
    });
    expect(extractEntities('alcuni utenti con DEP')).toEqual({ enrollmentMethod: 'ade', usersAffected: 'some' });
    expect(extractEntities('it says "Workplace Join failed" on my phone').errorText).toBe('Workplace Join failed');
  });
});

describe('held-out evaluation (never trained on)', () => {
  it.each(['en', 'es', 'it'])('%s: ≥95%% of in-scope messages right, ≥90%% of out-of-scope answered none', (locale) => {
    const result = evaluate(recognizer, locale, readExamples(locale, 'nlu-heldout.json'));
    expect(result.inScopeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.noneRecallPrecision.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('never trains on a held-out message', () => {
    for (const l of ['en', 'es', 'it']) {
      const train = new Set(readExamples(l, 'nlu-train.json').map((e) => e.text.trim().toLowerCase()));
      const leaked = readExamples(l, 'nlu-heldout.json').filter((e) => train.has(e.text.trim().toLowerCase()));
      expect(leaked).toEqual([]);
    }
  });

  it('has at least 40 training examples per symptom and 80 none per locale', () => {
    for (const l of ['en', 'es', 'it']) {
      const counts = new Map<string, number>();
      for (const e of readExamples(l, 'nlu-train.json')) counts.set(e.intent, (counts.get(e.intent) ?? 0) + 1);
      for (const s of loadCatalog().symptoms) expect({ l, s: s.id, ok: (counts.get(s.id) ?? 0) >= 40 }).toEqual({ l, s: s.id, ok: true });
      expect(counts.get('none')).toBeGreaterThanOrEqual(80);
    }
  });
});

describe('command line: npm run nlu', () => {
  const cli = (args: string[], input = ''): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, [fromRoot('dist', 'scripts', 'nlu.js'), ...args], { input, encoding: 'utf8', cwd: fromRoot() });

  it('classify writes one pure JSON line per input line and nothing else on stdout', () => {
    const input = [
      'Se alcanzó el límite de dispositivos',
      'hola',
      'AccountNotOnboarded',
      '',
      'Profile Installation Failed. A network error has occurred.',
    ].join('\n');
    const r = cli(['classify', '--locale', 'es'], input);
    expect(r.status).toBe(0);
    const lines = String(r.stdout).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const parsed = lines.map((l) => JSON.parse(l) as { text: string; locale: string; intent: string; score: number });
    expect(parsed.map((p) => p.intent)).toEqual(['device-cap-reached', 'none', 'accountnotonboarded', 'none', 'network-error']);
    for (const p of parsed) {
      expect(p.locale).toBe('es');
      expect(p.score).toBeGreaterThanOrEqual(0);
      expect(p.score).toBeLessThanOrEqual(1);
    }
    expect(parsed[0]!.text).toBe('Se alcanzó el límite de dispositivos');
  });

  it('through `npm run nlu -- classify` (the contract), stdout is still pure JSON lines', () => {
    const r = spawnSync('npm', ['run', 'nlu', '--', 'classify', '--locale', 'it'], {
      input: 'Numero massimo dispositivi raggiunto\nciao\n',
      encoding: 'utf8',
      cwd: fromRoot(),
    });
    expect(r.status).toBe(0);
    const lines = String(r.stdout)
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.map((l) => (JSON.parse(l) as { intent: string }).intent)).toEqual(['device-cap-reached', 'none']);
  });

  it('refuses an unsupported locale with a clear message and a non-zero exit', () => {
    const r = cli(['classify', '--locale', 'fr'], 'hello\n');
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(String(r.stderr)).toMatch(/unsupported locale "fr"/);
  });

  it('evaluate reports accuracy per locale and the most confused pairs', () => {
    const r = cli(['evaluate']);
    expect(r.status).toBe(0);
    for (const l of ['en', 'es', 'it']) expect(String(r.stdout)).toMatch(new RegExp(`^${l}\\s+\\d+\\s+\\d+\\.\\d%`, 'm'));
    expect(String(r.stdout)).toContain('Most confused');
    // The blind set (independent writer) beside the held-out one, each with top-1 and did-you-mean figures.
    for (const set of ['nlu-heldout.json', 'nlu-blind.json', 'nlu-blind-untouched.json']) expect(String(r.stdout)).toContain(`${set}:`);
    expect(String(r.stdout)).toContain('in did-you-mean');
  });
});
