import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { articleUrl, causeKind, loadCatalog, requiredKnowledgeKeys } from '../src/core/knowledge/catalog';
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
    // The APNs renewal routes are alternatives by MDM authority, one per answer of the MDM-authority question (the
    // Spanish 2019 version has the hybrid Configuration Manager route).
    const apns = catalog.symptoms.find((s) => s.id === 'accountnotonboarded')!.causes[0]!;
    expect(apns.steps.filter((s) => s.when).map((s) => s.when!['mdm-authority'])).toEqual(
      catalog.questions.find((q) => q.id === 'mdm-authority')!.answers,
    );
    expect(apns.warnings.map((w) => w.id)).toContain('renew-not-replace');
    const sns = catalog.symptoms.find((s) => s.id === 'service-not-supported')!.causes[0]!;
    expect(sns.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['if-missing-get', 'if-invalid-renew']));
    expect(catalog.symptoms.find((s) => s.id === 'company-portal-unavailable')!.related).toContain('device-cap-reached');
    // No source links these two: no "related" between them.
    expect(catalog.symptoms.find((s) => s.id === 'service-not-supported')!.related).toEqual([]);
    expect(catalog.symptoms.find((s) => s.id === 'noenrollmentpolicy')!.related).toEqual([]);
  });

  it('says who does every step; each cause is user-fixable, admin-only or mixed by its steps', () => {
    const kinds: Record<string, string> = {};
    for (const s of catalog.symptoms) {
      for (const c of s.causes) {
        for (const st of c.steps) expect(['employee', 'admin']).toContain(st.by);
        for (const a of [...c.notes, ...c.warnings]) expect(['employee', 'admin', 'everyone']).toContain(a.by);
        kinds[`${s.id}/${c.id}`] = causeKind(c);
      }
    }
    for (const l of Object.values(catalog.links)) expect(['employee', 'admin', 'everyone']).toContain(l.by);
    expect(Object.values(kinds).filter((k) => k === 'admin-only')).toHaveLength(10);
    expect(kinds).toMatchObject({
      'server-connection-failed/previous-user': 'user-fixable',
      'server-connection-failed/no-license': 'admin-only',
      'device-cap-reached/too-many-devices': 'mixed',
      'ade-stuck-at-login/mfa-enabled': 'admin-only',
      'gov-cloud-redirect/no-gov-redirect': 'user-fixable',
    });
    // ADE stuck at sign-in leads with modern authentication; turning off MFA is an administrator's alternative.
    const mfa = catalog.symptoms.find((s) => s.id === 'ade-stuck-at-login')!.causes[0]!;
    expect(mfa.steps[0]).toEqual({ id: 'modern-auth', by: 'admin' });
    expect(mfa.notes).toEqual([{ id: 'disable-mfa', by: 'admin' }]);
    // The device limit: the employee's own fix leads (worded for an agent too: "have the user remove…").
    expect(catalog.symptoms.find((s) => s.id === 'device-cap-reached')!.causes[0]!.steps[0]).toEqual({
      agentWording: true,
      id: 'remove-own-device',
      by: 'employee',
    });
  });

  it('references only links that exist, all https and well-formed', () => {
    for (const [id, { url }] of Object.entries(catalog.links)) {
      const u = new URL(url);
      expect({ id, protocol: u.protocol }).toEqual({ id, protocol: 'https:' });
    }
    for (const s of catalog.symptoms) for (const c of s.causes) for (const l of c.links) expect(catalog.links).toHaveProperty([l]);
    const symptom = (id: string) => catalog.symptoms.find((s) => s.id === id)!;
    for (const l of ['en', 'es', 'it']) {
      const u = new URL(articleUrl(l, symptom('device-cap-reached')));
      expect(u.protocol).toBe('https:');
      expect(u.pathname).toContain(catalog.article.locales[l]);
      expect(u.hash).toBe('#iosipados-enrollment-errors');
      // A symptom whose section the current article no longer has links to the article's top.
      expect(new URL(articleUrl(l, symptom('network-error'))).hash).toBe('');
    }
  });

  it('links each symptom where its section lives on the current article (2024), or to its top', () => {
    const anchors = Object.fromEntries(catalog.symptoms.map((s) => [s.id, s.anchor]));
    expect(anchors).toEqual({
      'network-error': '',
      'server-connection-failed': '',
      'service-not-supported': '',
      'payload-mismatch': '',
      'company-portal-unavailable': 'iosipados-enrollment-errors',
      'device-cap-reached': 'iosipados-enrollment-errors',
      'license-type-invalid': 'iosipados-enrollment-errors',
      noenrollmentpolicy: 'iosipados-enrollment-errors',
      accountnotonboarded: 'iosipados-enrollment-errors',
      'user-name-not-recognized': 'user-name-not-recognized',
      'workplace-join-failed': 'workplace-join-failed',
      'xpc-connection-invalid': 'xpc_type_error-connection-invalid',
      'ade-enrollment-doesnt-start': 'ade-enrollment-doesnt-start',
      'ade-stuck-at-login': 'ade-enrollment-stuck-at-user-login',
      'gov-cloud-redirect': 'authentication-doesnt-redirect-to-the-government-cloud',
    });
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

  it('keeps the three languages in step: same iOS path, no drift between them', () => {
    const texts = (l: string): string => JSON.stringify(readLocaleFile(l, 'knowledge.json'));
    expect(texts('es')).not.toMatch(/VPN y gesti/);
    expect(texts('es')).not.toMatch(/C[oó]digo (NoEnrollmentPolicy|AccountNotOnboarded)/);
    expect(texts('it')).not.toMatch(/\(Setup Assistant/);
    // No source says to sign in again after choosing the government cloud.
    for (const l of ['en', 'es', 'it']) {
      const k = readLocaleFile(l, 'knowledge.json') as { causes: Record<string, Record<string, { steps: Record<string, string> }>> };
      expect(k.causes['gov-cloud-redirect']!['no-gov-redirect']!.steps['set-government']).not.toMatch(/again|de nuevo|vuelve|di nuovo/i);
      // The device limit path: Devices > Enroll devices > Enrollment restrictions in every language (three parts).
      const limit = k.causes['device-cap-reached']!['too-many-devices']!.steps['check-limit']!;
      expect(limit.match(/\*\*[^*]+\*\*/g)).toHaveLength(3);
    }
    // es: one term for the government cloud throughout.
    const gov = JSON.stringify(
      (readLocaleFile('es', 'knowledge.json') as { causes: Record<string, unknown> }).causes['gov-cloud-redirect'],
    );
    expect(gov).not.toMatch(/gubernamental/);
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
