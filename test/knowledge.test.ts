import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { articleUrl, loadCatalog, requiredKnowledgeKeys } from '../src/core/knowledge/catalog';
import { availableLocales, checkLocale, readLocaleFile, resolveLocale, translator } from '../src/core/knowledge/locales';
import { reviewTable } from '../src/core/knowledge/reviewTable';
import { fromRoot } from '../src/core/paths';

const catalog = loadCatalog();
const PRODUCT_SYMPTOMS = [
  'network-error',
  'server-connection-failed',
  'service-not-supported',
  'company-portal-unavailable',
  'device-cap-reached',
  'workplace-join-failed',
  'license-type-invalid',
  'user-name-not-recognized',
  'payload-mismatch',
  'noenrollmentpolicy',
  'accountnotonboarded',
  'xpc-connection-invalid',
  'ade-enrollment-doesnt-start',
  'ade-stuck-at-login',
  'gov-cloud-redirect',
];

describe('catalog', () => {
  it('has the 15 symptoms of the product contract and 19 causes', () => {
    expect(catalog.symptoms.map((s) => s.id).sort()).toEqual([...PRODUCT_SYMPTOMS].sort());
    expect(catalog.symptoms.reduce((n, s) => n + s.causes.length, 0)).toBe(19);
  });

  it('gives every symptom at least one cause and every cause at least one step', () => {
    for (const s of catalog.symptoms) {
      expect(s.causes.length).toBeGreaterThan(0);
      for (const c of s.causes)
        expect({ cause: `${s.id}/${c.id}`, steps: c.steps.length > 0 }).toEqual({ cause: `${s.id}/${c.id}`, steps: true });
    }
  });

  it('keeps the union of both article versions', () => {
    const causes = (id: string): string[] => catalog.symptoms.find((s) => s.id === id)!.causes.map((c) => c.id);
    expect(causes('server-connection-failed')).toEqual(['corporate-only', 'dns-cname', 'previous-user', 'other-mdm', 'no-license']);
    expect(causes('gov-cloud-redirect')).toHaveLength(1);
    const apns = catalog.symptoms.find((s) => s.id === 'accountnotonboarded')!.causes[0]!;
    expect(apns.steps.filter((s) => s.startsWith('renew-'))).toHaveLength(3);
    expect(apns.warnings).toContain('renew-not-replace');
    const sns = catalog.symptoms.find((s) => s.id === 'service-not-supported')!.causes[0]!;
    expect(sns.steps).toEqual(expect.arrayContaining(['if-missing-get', 'if-invalid-renew']));
    expect(catalog.symptoms.find((s) => s.id === 'company-portal-unavailable')!.related).toContain('device-cap-reached');
  });

  it('references only links that exist, all https and well-formed', () => {
    for (const [id, url] of Object.entries(catalog.links)) {
      const u = new URL(url);
      expect({ id, protocol: u.protocol }).toEqual({ id, protocol: 'https:' });
    }
    for (const s of catalog.symptoms) for (const c of s.causes) for (const l of c.links) expect(catalog.links).toHaveProperty([l]);
    for (const l of ['en', 'es', 'it']) {
      const u = new URL(articleUrl(l, catalog.symptoms[0]));
      expect(u.protocol).toBe('https:');
      expect(u.pathname).toContain(catalog.article.locales[l]);
      expect(u.hash).toBe(`#${catalog.symptoms[0]!.anchor}`);
    }
  });

  it('has the eight prerequisite questions, agents-only ones marked', () => {
    expect(catalog.questions).toHaveLength(8);
    expect(catalog.questions.filter((q) => q.audience === 'agent').map((q) => q.id)).toContain('mdm-authority');
    for (const id of ['platform', 'users-affected', 'devices-affected', 'mdm-authority', 'enrollment-method', 'started']) {
      expect(catalog.questions.find((q) => q.id === id)!.answers.length).toBeGreaterThan(1);
    }
  });
});

describe('locales', () => {
  it.each(availableLocales())('locale "%s" is complete: every key present, non-empty, no extras, same placeholders', (locale) => {
    const problems = checkLocale(locale).filter(
      (p) => p.missing.length + p.empty.length + p.extra.length + p.placeholderMismatch.length > 0,
    );
    // The message names the keys, so a translator knows what to add.
    expect(problems).toEqual([]);
  });

  it('covers at least English, Spanish and Italian', () => {
    expect(availableLocales()).toEqual(expect.arrayContaining(['en', 'es', 'it']));
  });

  it('names the missing keys of a new, incomplete locale folder', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'locales-'));
    for (const l of ['en']) {
      fs.mkdirSync(path.join(root, l));
      for (const f of ['knowledge.json', 'ui.json']) fs.copyFileSync(fromRoot('locales', l, f), path.join(root, l, f));
    }
    const fr = path.join(root, 'fr');
    fs.mkdirSync(fr);
    const knowledge = readLocaleFile('en', 'knowledge.json')! as Record<string, Record<string, Record<string, unknown>>>;
    delete knowledge.causes!['device-cap-reached'];
    fs.writeFileSync(path.join(fr, 'knowledge.json'), JSON.stringify(knowledge));
    const ui = readLocaleFile('en', 'ui.json')! as Record<string, Record<string, string>>;
    ui.cause!.fixed = '';
    ui.cause!.progress = 'Cause {{n}}';
    fs.writeFileSync(path.join(fr, 'ui.json'), JSON.stringify(ui));
    const [k, u] = checkLocale('fr', root);
    expect(k!.missing).toEqual(expect.arrayContaining(['causes.device-cap-reached.too-many-devices.steps.check-limit']));
    expect(u!.empty).toEqual(['cause.fixed']);
    expect(u!.placeholderMismatch).toEqual(['cause.progress']);
  });

  it('never uses the machine-translated name of the APNs certificate, nor the old product names', () => {
    for (const l of availableLocales()) {
      const text = JSON.stringify(readLocaleFile(l, 'knowledge.json'));
      expect(text).not.toMatch(/extracci[oó]n/i);
      expect(text).not.toMatch(/Office 365|Endpoint Manager|\bDEP\b/);
    }
  });

  it('maps Teams locales to supported languages and anything else to English', () => {
    expect(resolveLocale('es-ES')).toBe('es');
    expect(resolveLocale('it_IT')).toBe('it');
    expect(resolveLocale('EN-gb')).toBe('en');
    expect(resolveLocale('fr-FR')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
    expect(translator('de-DE')('cause.fixed')).toBe(translator('en')('cause.fixed'));
    expect(translator('es-MX')('cause.fixed')).not.toBe(translator('en')('cause.fixed'));
  });

  it('has every key the catalog requires, in Spanish text for Spanish', () => {
    const es = translator('es');
    const en = translator('en');
    const same = requiredKnowledgeKeys().filter((k) => es(`knowledge:${k}`) === en(`knowledge:${k}`) && !/^links\.|seen$/.test(k));
    // Only names that are the same in both languages (e.g. "Android") may be identical.
    expect(same.length).toBeLessThan(15);
  });
});

describe('review table', () => {
  it('is current (run `npm run knowledge-table` after changing content)', () => {
    expect(fs.readFileSync(fromRoot('docs', 'knowledge.md'), 'utf8')).toBe(reviewTable());
  });

  it('shows 15 symptoms and 19 causes complete in en, es and it', () => {
    const table = reviewTable();
    expect(table).toContain('15 symptoms, 19 causes');
    for (const l of ['en', 'es', 'it']) expect(table).toContain(`${l} (complete)`);
    expect(table).not.toContain('MISSING');
  });
});
