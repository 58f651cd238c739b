/**
 * The Teams app package: the manifest and its localizations against Microsoft's official v1.29 schemas (offline),
 * `npm run package` with and without an app id, the icons, and every command title being one the bot understands.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { matchAgentCommand } from '../dialogs/agentCommands';
import { matchCommand } from '../dialogs/commands';
import { colorIcon, outlineIcon, SAFE_AREA } from '../scripts/icons';
import {
  buildManifest,
  DEVELOPER_VARIABLES,
  Env,
  PACKAGE_FILES,
  PackageError,
  packageContents,
  parseEnvFile,
  readZip,
  writeZip,
  zipBuffer,
} from '../scripts/package';
import { fromRoot } from '../src/core/paths';
import { normalize } from '../src/core/nlu/text';

const APP_ID = '5f0c1e2d-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
/** What a package for users needs: the bot id and the developer's name and links. */
const RELEASE: Env = {
  MicrosoftAppId: APP_ID,
  DEVELOPER_NAME: 'Contoso IT',
  DEVELOPER_WEBSITE_URL: 'https://it.contoso.example/help',
  DEVELOPER_PRIVACY_URL: 'https://it.contoso.example/privacy',
  DEVELOPER_TERMS_URL: 'https://it.contoso.example/terms',
};
const manifestDir = fromRoot('manifest');
const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const localizations = { es: readJson(path.join(manifestDir, 'es.json')), it: readJson(path.join(manifestDir, 'it.json')) };

interface Command {
  title: string;
  description?: string;
}
interface Manifest {
  id: string;
  version: string;
  bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: Command[] }[] }[];
  composeExtensions: { botId: string; commands: (Command & { id: string; type: string })[] }[];
  localizationInfo: { additionalLanguages: { languageTag: string; file: string }[] };
  validDomains: string[];
}

// ---- (1) the official schemas, with the validator setup of @microsoft/app-manifest itself ----

interface SchemaError {
  instancePath: string;
  message?: string;
  params?: unknown;
}
interface ValidateFunction {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
interface AjvInstance {
  compile(schema: object): ValidateFunction;
  addSchema(schema: object, key: string): void;
}
type AjvClass = new (options: Record<string, unknown>) => AjvInstance;
type Module<T> = T | { default: T };
const unwrap = <T>(m: Module<T>): T => (typeof m === 'object' && m !== null && 'default' in m ? m.default : (m as T));

// The ajv-draft-04 and ajv-formats that @microsoft/app-manifest depends on, resolved from that package (ajv 8; the
// top-level `ajv` is eslint's ajv 6). The schemas ship in the package, so nothing is fetched.
const manifestPackage = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
const requireFromPackage = createRequire(path.join(manifestPackage, 'package.json'));
const Ajv04 = unwrap(requireFromPackage('ajv-draft-04') as Module<AjvClass>);
const addFormats = unwrap(requireFromPackage('ajv-formats') as Module<(ajv: AjvInstance, formats: string[]) => void>);
const schemaDir = path.join(manifestPackage, 'build', 'json-schemas', 'teams', 'v1.29');

/**
 * Compiles one of the v1.29 schemas as the package's own validator does (draft-04, allErrors, strictTypes off, the
 * uri/email/regex formats). A $ref to another schema file is served from the same folder; ajv never fetches.
 * `unicodeRegExp: false` only for the localization schema: one of its patternProperties ("…\b]\.description$")
 * is not a valid regular expression with the u flag that ajv 8 uses by default.
 */
function compileSchema(file: string, unicodeRegExp = true): ValidateFunction {
  const ajv = new Ajv04({ allErrors: true, strictTypes: false, unicodeRegExp });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const text = fs.readFileSync(path.join(schemaDir, file), 'utf8');
  for (const ref of new Set([...text.matchAll(/"\$ref"\s*:\s*"([^"#][^"]*)"/g)].map((m) => m[1].split('#')[0]))) {
    const local = path.join(schemaDir, path.basename(ref));
    if (!fs.existsSync(local)) throw new Error(`${file} references ${ref}, which the package does not ship`);
    ajv.addSchema(readJson(local), ref);
  }
  return ajv.compile(JSON.parse(text) as object);
}
const validateManifest = compileSchema('MicrosoftTeams.schema.json');
const validateLocalization = compileSchema('MicrosoftTeams.Localization.schema.json', false);
const schemaErrors = (validate: ValidateFunction, data: unknown): string[] =>
  validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

describe('schemas (official v1.29, from @microsoft/app-manifest)', () => {
  const manifest = buildManifest(RELEASE);

  test('the built manifest validates, a development build too', () => {
    expect(schemaErrors(validateManifest, manifest)).toEqual([]);
    expect(schemaErrors(validateManifest, buildManifest({ MicrosoftAppId: APP_ID, APP_DEV_BUILD: 'on' }))).toEqual([]);
    expect(manifest).toMatchObject({
      $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.schema.json',
      manifestVersion: '1.29',
    });
  });

  test.each(Object.keys(localizations) as (keyof typeof localizations)[])('%s.json validates', (lng) => {
    expect(schemaErrors(validateLocalization, localizations[lng])).toEqual([]);
    expect(localizations[lng].$schema).toBe(
      'https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.Localization.schema.json',
    );
  });

  test('the validators do reject what Teams would reject', () => {
    expect(schemaErrors(validateManifest, { ...manifest, accentColor: 'blue' })).not.toEqual([]);
    expect(schemaErrors(validateManifest, { ...manifest, id: 'not-a-guid' })).not.toEqual([]);
    expect(schemaErrors(validateLocalization, { ...localizations.es, 'name.short': 'x'.repeat(31) })).not.toEqual([]);
    expect(schemaErrors(validateLocalization, { ...localizations.es, 'bots[0].commandLists[0].commands[12].title': 'x' })).not.toEqual([]);
  });

  test('localizations translate every command of the manifest, and nothing else', () => {
    const m = manifest as unknown as Manifest;
    const expected = new Set(['$schema', 'name.short', 'name.full', 'description.short', 'description.full']);
    m.bots[0].commandLists.forEach((list, l) =>
      list.commands.forEach((_c, c) => {
        expected.add(`bots[0].commandLists[${l}].commands[${c}].title`);
        expected.add(`bots[0].commandLists[${l}].commands[${c}].description`);
      }),
    );
    m.composeExtensions[0].commands.forEach((_c, c) => {
      expected.add(`composeExtensions[0].commands[${c}].title`);
      expected.add(`composeExtensions[0].commands[${c}].description`);
    });
    for (const loc of Object.values(localizations)) {
      expect(new Set(Object.keys(loc))).toEqual(expected);
      for (const v of Object.values(loc)) expect(typeof v === 'string' && v.trim()).toBeTruthy();
    }
    expect(m.localizationInfo.additionalLanguages).toEqual([
      { languageTag: 'es', file: 'es.json' },
      { languageTag: 'it', file: 'it.json' },
    ]);
  });

  /**
   * How a Teams client picks the strings (Microsoft Teams docs, "Localize your app"): the manifest's own strings, then
   * the file whose tag is the client's language alone, then the one for its language and region.
   */
  const stringsFor = (clientLanguage: string): Record<string, unknown> => {
    const m = manifest as unknown as Manifest & { name: { short: string } };
    const files = new Map(m.localizationInfo.additionalLanguages.map((l) => [l.languageTag.toLowerCase(), l.file]));
    const tag = clientLanguage.toLowerCase();
    const read = (t: string): Record<string, unknown> => {
      const file = files.get(t);
      return file ? readJson(path.join(manifestDir, file)) : {};
    };
    return { 'name.short': m.name.short, ...read(tag.split('-')[0]!), ...read(tag) };
  };

  test.each([
    ['es-es', 'es'],
    ['es-mx', 'es'],
    ['es-419', 'es'],
    ['es-ar', 'es'],
    ['es-us', 'es'],
    ['it-it', 'it'],
    ['it-ch', 'it'],
    ['en-us', 'en'],
    ['en-gb', 'en'],
    ['fr-fr', 'en'],
  ] as const)('a Teams client in %s shows the app name and commands in %s', (client, lng) => {
    const strings = stringsFor(client);
    const commandKey = 'bots[0].commandLists[0].commands[0].title';
    if (lng === 'en') {
      expect(strings['name.short']).toBe((manifest as unknown as { name: { short: string } }).name.short);
      expect(strings[commandKey]).toBeUndefined();
    } else {
      expect(strings['name.short']).toBe(localizations[lng]['name.short']);
      expect(strings[commandKey]).toBe(localizations[lng][commandKey]);
    }
  });
});

// ---- (2) npm run package ----

describe('packaging', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apppkg-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** The real CLI (as `npm run package` runs it after the build), in a scratch folder: ./.env and ./build are there. */
  const cli = (vars: Env, args: string[] = []): SpawnSyncReturns<string> => {
    const env: Env = { ...process.env };
    for (const k of ['MicrosoftAppId', 'APP_VERSION', 'APP_DEV_BUILD', ...Object.keys(DEVELOPER_VARIABLES)]) delete env[k];
    return spawnSync(process.execPath, [fromRoot('dist', 'scripts', 'package.js'), ...args], {
      cwd: tmp,
      env: { ...env, ...vars },
      encoding: 'utf8',
    });
  };

  test('without MicrosoftAppId: exit 1, a clear message on stderr, nothing written', () => {
    const r = cli({});
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/MicrosoftAppId is not set/);
    expect(r.stdout).toBe('');
    expect(fs.existsSync(path.join(tmp, 'build'))).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('an empty MicrosoftAppId in .env counts as missing; one that is not a GUID is refused', () => {
    fs.writeFileSync(path.join(tmp, '.env'), 'MicrosoftAppId=\n');
    expect(cli({}).stderr).toMatch(/MicrosoftAppId is not set/);
    const r = cli({ MicrosoftAppId: 'my-bot' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/must be a GUID/);
    expect(fs.readdirSync(tmp)).toEqual(['.env']);
  });

  test('without the developer name and links: exit 1 naming each missing variable, nothing written', () => {
    const r = cli({ MicrosoftAppId: APP_ID, DEVELOPER_NAME: 'Contoso IT' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/DEVELOPER_WEBSITE_URL, DEVELOPER_PRIVACY_URL, DEVELOPER_TERMS_URL are not set/);
    expect(r.stderr).toMatch(/--dev/);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(cli({ ...RELEASE, DEVELOPER_TERMS_URL: ' ' }).stderr).toMatch(/: DEVELOPER_TERMS_URL is not set/);
  });

  test('a development build (--dev or APP_DEV_BUILD=on) needs only the app id, and says what it is', () => {
    for (const r of [cli({ MicrosoftAppId: APP_ID }, ['--dev']), cli({ MicrosoftAppId: APP_ID, APP_DEV_BUILD: 'on' })]) {
      expect([r.status, r.stderr]).toEqual([0, '']);
      const manifest = readJson(path.join(tmp, 'build', 'appPackage', 'manifest.json')) as { developer: Record<string, string> };
      expect(manifest.developer.name).toBe('IT Helpdesk (development build)');
      expect(schemaErrors(validateManifest, manifest)).toEqual([]);
    }
    expect(cli({ MicrosoftAppId: APP_ID, APP_DEV_BUILD: 'maybe' }).stderr).toMatch(/APP_DEV_BUILD must be on or off/);
    expect(cli({ MicrosoftAppId: APP_ID, APP_DEV_BUILD: 'off' }).status).toBe(1);
    expect(cli({ MicrosoftAppId: APP_ID }, ['--release']).stderr).toMatch(/unknown argument --release/);
  });

  test('with the app id and the developer details: the zip holds exactly the five files, every id is the app id, no placeholder is left', () => {
    const r = cli(RELEASE);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const zipPath = path.join(tmp, 'build', 'appPackage.zip');
    expect(r.stdout.trim()).toBe(zipPath);
    const entries = readZip(fs.readFileSync(zipPath));
    expect(entries.map((e) => e.name).sort()).toEqual([...PACKAGE_FILES].sort());
    for (const e of entries) {
      if (e.name.endsWith('.json')) expect(e.data.toString('utf8')).not.toContain('{{');
      // The unpacked folder holds the same bytes.
      expect(fs.readFileSync(path.join(tmp, 'build', 'appPackage', e.name))).toEqual(e.data);
    }
    const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString('utf8')) as Manifest;
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.composeExtensions[0].botId).toBe(APP_ID);
    expect((manifest as unknown as { developer: unknown }).developer).toEqual({
      name: RELEASE.DEVELOPER_NAME,
      websiteUrl: RELEASE.DEVELOPER_WEBSITE_URL,
      privacyUrl: RELEASE.DEVELOPER_PRIVACY_URL,
      termsOfUseUrl: RELEASE.DEVELOPER_TERMS_URL,
    });
    expect(manifest.version).toBe(readJson(fromRoot('package.json')).version);
    expect(schemaErrors(validateManifest, manifest)).toEqual([]);
    for (const lng of ['es', 'it'] as const) {
      expect(JSON.parse(entries.find((e) => e.name === `${lng}.json`)!.data.toString('utf8'))).toEqual(localizations[lng]);
    }
    expect(entries.find((e) => e.name === 'color.png')!.data).toEqual(fs.readFileSync(path.join(manifestDir, 'color.png')));
  });

  test('reads ./.env when the environment has no value, and the environment wins over it', () => {
    const other = 'a1b2c3d4-0000-4000-8000-123456789abc';
    fs.writeFileSync(path.join(tmp, '.env'), `# bot\nMicrosoftAppId="${other}"\nAPP_VERSION=2.3.4 # release\nAPP_DEV_BUILD=on\n`);
    expect(cli({}).status).toBe(0);
    let manifest = readJson(path.join(tmp, 'build', 'appPackage', 'manifest.json')) as unknown as Manifest;
    expect([manifest.id, manifest.version]).toEqual([other, '2.3.4']);
    expect(cli({ ...RELEASE, APP_VERSION: '3.0.0', APP_DEV_BUILD: 'off' }).status).toBe(0);
    manifest = readJson(path.join(tmp, 'build', 'appPackage', 'manifest.json')) as unknown as Manifest;
    expect([manifest.id, manifest.version]).toEqual([APP_ID, '3.0.0']);
  });

  test('buildManifest: the checks, the version, the developer name and links', () => {
    expect(() => buildManifest({})).toThrow(PackageError);
    expect(() => buildManifest({ MicrosoftAppId: '  ' })).toThrow(/MicrosoftAppId is not set/);
    expect(() => buildManifest({ ...RELEASE, APP_VERSION: '1.0' })).toThrow(/APP_VERSION/);
    expect(() => buildManifest({ ...RELEASE, DEVELOPER_PRIVACY_URL: 'privacy.html' })).toThrow(/DEVELOPER_PRIVACY_URL must be an http/);
    expect(() => buildManifest({ ...RELEASE, DEVELOPER_NAME: 'x'.repeat(33) })).toThrow(/DEVELOPER_NAME must be at most 32/);
    expect(() => buildManifest({ MicrosoftAppId: APP_ID })).toThrow(
      /DEVELOPER_NAME, DEVELOPER_WEBSITE_URL, DEVELOPER_PRIVACY_URL, DEVELOPER_TERMS_URL are not set/,
    );
    const m = buildManifest({ ...RELEASE, APP_VERSION: '1.2.3', DEVELOPER_NAME: 'Contoso "IT" \\ Support' });
    expect(m.version).toBe('1.2.3');
    expect(m.developer).toEqual({
      name: 'Contoso "IT" \\ Support',
      websiteUrl: 'https://it.contoso.example/help',
      privacyUrl: 'https://it.contoso.example/privacy',
      termsOfUseUrl: 'https://it.contoso.example/terms',
    });
    // A development build keeps what is given and fills the rest.
    expect(buildManifest({ MicrosoftAppId: APP_ID, APP_DEV_BUILD: 'on', DEVELOPER_NAME: 'Lab' }).developer).toEqual({
      name: 'Lab',
      websiteUrl: 'https://learn.microsoft.com/mem/intune/',
      privacyUrl: 'https://learn.microsoft.com/mem/intune/',
      termsOfUseUrl: 'https://learn.microsoft.com/mem/intune/',
    });
    expect(m.validDomains).toEqual(['token.botframework.com']);
    // Only for the resource-specific permission to read the helpdesk channel back (ticket cards): no SSO, nothing else.
    expect(m.webApplicationInfo).toEqual({ id: APP_ID, resource: `api://botid-${APP_ID}` });
    expect(m.authorization).toEqual({ permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }] } });
    expect(JSON.stringify(packageContents(RELEASE).map((f) => f.name))).toBe(JSON.stringify(PACKAGE_FILES));
  });

  test('a placeholder left in the template is refused', () => {
    const root = path.join(tmp, 'root');
    fs.mkdirSync(path.join(root, 'manifest'), { recursive: true });
    fs.copyFileSync(fromRoot('package.json'), path.join(root, 'package.json'));
    for (const f of fs.readdirSync(manifestDir)) fs.copyFileSync(path.join(manifestDir, f), path.join(root, 'manifest', f));
    const template = path.join(root, 'manifest', 'manifest.template.json');
    fs.writeFileSync(template, fs.readFileSync(template, 'utf8').replace('"Enrollment Helper"', '"{{APP_NAME}}"'));
    expect(() => buildManifest(RELEASE, root)).toThrow(/placeholder \(\{\{APP_NAME\}\}\)/);
  });

  test('parseEnvFile', () => {
    expect(parseEnvFile('# c\n\nA=1\nexport B = two words \nC="q # not a comment"\nD=\'x\'\nE=v # comment\nbroken line\n')).toEqual({
      A: '1',
      B: 'two words',
      C: 'q # not a comment',
      D: 'x',
      E: 'v',
    });
  });

  test('writeZip / readZip: round trip, PKZIP signatures, deterministic bytes, CRC-32 checked', () => {
    const entries = [
      { name: 'empty.txt', data: Buffer.alloc(0) },
      { name: 'ñandú.json', data: Buffer.from('{"a":"ä"}') },
      // Pseudo-random bytes don't compress: the middle of the zip is inside this entry's data.
      { name: 'big.bin', data: Buffer.from(Array.from({ length: 20000 }, (_, i) => ((i * 1103515245 + 12345) >>> 16) & 0xff)) },
    ];
    const file = path.join(tmp, 'sub', 'x.zip');
    writeZip(file, entries);
    const zip = fs.readFileSync(file);
    expect(readZip(zip)).toEqual(entries);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
    expect(zipBuffer(entries)).toEqual(zip); // deterministic: fixed timestamps
    const corrupt = Buffer.from(zip);
    corrupt[Math.floor(zip.length / 2)] ^= 0xff;
    expect(() => readZip(corrupt)).toThrow();
  });
});

// ---- (3) icons: our own PNG decoder (chunks, CRC, inflate, the five filters) ----

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  rgba: Buffer;
}

function decodePng(png: Buffer): Png {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let p = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  for (;;) {
    const length = png.readUInt32BE(p);
    const type = png.toString('ascii', p + 4, p + 8);
    const data = png.subarray(p + 8, p + 8 + length);
    expect(png.readUInt32BE(p + 8 + length)).toBe(zlib.crc32(png.subarray(p + 4, p + 8 + length)));
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    p += 12 + length;
    if (type === 'IEND') break;
  }
  if (!ihdr) throw new Error('no IHDR');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr[8];
  const colorType = ihdr[9];
  if (bitDepth !== 8 || ![2, 6].includes(colorType) || ihdr[12] !== 0) throw new Error('only 8-bit RGB/RGBA, not interlaced');
  const bpp = colorType === 6 ? 4 : 3;
  const stride = width * bpp;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((stride + 1) * height);
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= bpp ? pixels[y * stride + x - bpp] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0;
      let predictor: number;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`bad filter ${filter}`);
      pixels[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    pixels.copy(rgba, i * 4, i * bpp, i * bpp + 3);
    rgba[i * 4 + 3] = bpp === 4 ? pixels[i * bpp + 3] : 255;
  }
  return { width, height, bitDepth, colorType, rgba };
}

describe('icons', () => {
  const color = decodePng(fs.readFileSync(path.join(manifestDir, 'color.png')));
  const outline = decodePng(fs.readFileSync(path.join(manifestDir, 'outline.png')));
  const pixel = (png: Png, x: number, y: number): number[] => [...png.rgba.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4)];

  test('sizes from IHDR: color 192×192, outline 32×32', () => {
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  test('the outline has only fully transparent or opaque white pixels, and some of each', () => {
    let white = 0;
    let clear = 0;
    for (let i = 0; i < 32 * 32; i++) {
      const [r, g, b, a] = outline.rgba.subarray(i * 4, i * 4 + 4);
      if (a === 0) clear++;
      else if (a === 255 && r === 255 && g === 255 && b === 255) white++;
      else throw new Error(`pixel ${i % 32},${Math.floor(i / 32)} is rgba(${r},${g},${b},${a})`);
    }
    expect(white).toBeGreaterThan(100);
    expect(clear).toBeGreaterThan(300);
    expect(pixel(outline, 0, 0)[3]).toBe(0);
  });

  test('the colour icon: a full opaque square, #0F6CBD up to every corner, the white glyph inside the 96×96 safe area', () => {
    expect(SAFE_AREA).toEqual({ x0: 48, y0: 48, x1: 144, y1: 144 });
    const BLUE = 0x0f6cbdff;
    let blue = 0;
    let white = 0;
    const glyph = { x0: 192, y0: 192, x1: -1, y1: -1 };
    for (let y = 0; y < 192; y++) {
      for (let x = 0; x < 192; x++) {
        const [r, g, b, a] = pixel(color, x, y);
        if (a !== 255) throw new Error(`pixel ${x},${y} is not opaque: alpha ${a}`);
        if (color.rgba.readUInt32BE((y * 192 + x) * 4) === BLUE) {
          blue++;
          continue;
        }
        if (r === 255 && g === 255 && b === 255) white++;
        glyph.x0 = Math.min(glyph.x0, x);
        glyph.y0 = Math.min(glyph.y0, y);
        glyph.x1 = Math.max(glyph.x1, x + 1);
        glyph.y1 = Math.max(glyph.y1, y + 1);
      }
    }
    for (const [x, y] of [
      [0, 0],
      [191, 0],
      [0, 191],
      [191, 191],
    ])
      expect(pixel(color, x!, y!)).toEqual([0x0f, 0x6c, 0xbd, 255]);
    // Everything that is not background lies within the safe area, and the glyph fills most of it.
    expect(glyph.x0).toBeGreaterThanOrEqual(SAFE_AREA.x0);
    expect(glyph.y0).toBeGreaterThanOrEqual(SAFE_AREA.y0);
    expect(glyph.x1).toBeLessThanOrEqual(SAFE_AREA.x1);
    expect(glyph.y1).toBeLessThanOrEqual(SAFE_AREA.y1);
    expect(glyph.y1 - glyph.y0).toBeGreaterThan(90);
    expect(white).toBeGreaterThan(1500);
    expect(blue / (192 * 192)).toBeGreaterThan(0.8);
  });

  test('the committed PNGs are what `npm run icons` draws', () => {
    expect(decodePng(colorIcon()).rgba).toEqual(color.rgba);
    expect(decodePng(outlineIcon()).rgba).toEqual(outline.rgba);
  });
});

// ---- (4) every command title is a phrase the bot understands, in its own language ----

describe('command titles', () => {
  const manifest = buildManifest(RELEASE) as unknown as Manifest;
  const lists = manifest.bots[0].commandLists;

  /** What the router does with a title: the user commands first, then the agent commands. */
  const understood = (title: string): string | undefined => {
    const c = matchCommand(title);
    if (c) return c.command === 'language' ? `language:${c.locale}` : c.command;
    const a = matchAgentCommand(title);
    return a && !a.rest ? a.command : undefined;
  };
  /** The phrases of locales/<lng>/ui.json "commands", normalized like the bot does. */
  const phrasesOf = (lng: string): Set<string> => {
    const commands = (readJson(fromRoot('locales', lng, 'ui.json')) as { commands: Record<string, string> }).commands;
    return new Set(Object.values(commands).flatMap((v) => v.split('|').map(normalize)));
  };

  test('one command list per scope; the agent commands only in team', () => {
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(lists.map((l) => l.scopes)).toEqual([['personal'], ['groupChat'], ['team']]);
    const meaning = (l: { commands: Command[] }): (string | undefined)[] => l.commands.map((c) => understood(c.title));
    expect(meaning(lists[0])).toEqual(['help', 'restart', 'cancel', 'person', 'language:en']);
    expect(meaning(lists[1])).toEqual(meaning(lists[0]));
    expect(meaning(lists[2])).toEqual([...meaning(lists[0]), 'flows', 'tickets', 'startFlow', 'sendFlow']);
  });

  test('English titles are English phrases of the bot', () => {
    const en = phrasesOf('en');
    for (const l of lists) for (const c of l.commands) expect([c.title, en.has(normalize(c.title))]).toEqual([c.title, true]);
  });

  test.each(['es', 'it'] as const)('%s titles mean the same command, said in that language', (lng) => {
    const own = phrasesOf(lng);
    lists.forEach((list, l) =>
      list.commands.forEach((command, c) => {
        const title = localizations[lng][`bots[0].commandLists[${l}].commands[${c}].title`] as string;
        expect([title, own.has(normalize(title))]).toEqual([title, true]);
        const expected = understood(command.title)?.replace(/^language:en$/, `language:${lng}`);
        expect([title, understood(title)]).toEqual([title, expected]);
      }),
    );
  });

  test('the compose extension: one action command that fetches its task module', () => {
    expect(manifest.composeExtensions).toHaveLength(1);
    expect(manifest.composeExtensions[0].commands).toEqual([
      {
        id: 'startGuidedFlow',
        type: 'action',
        context: ['compose', 'commandBox'],
        fetchTask: true,
        title: 'Start guided troubleshooting',
        description: expect.any(String),
      },
    ]);
  });
});
