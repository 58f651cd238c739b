/**
 * npm run package
 * Builds the Teams app package from manifest/: fills manifest.template.json with the bot's app id and the app version,
 * and writes build/appPackage/ (manifest.json, es.json, it.json, color.png, outline.png) and build/appPackage.zip with
 * the same five files at its root, ready for "Upload an app" in Teams. Prints the zip's path on stdout.
 *
 * Variables (the environment wins; otherwise ./.env, KEY=VALUE lines):
 * - MicrosoftAppId (required, a GUID): the bot's app id, used as the app id, the bot id and the compose extension's bot id;
 * - APP_VERSION: the app version, major.minor.patch (default: package.json's version);
 * - DEVELOPER_NAME, DEVELOPER_WEBSITE_URL, DEVELOPER_PRIVACY_URL, DEVELOPER_TERMS_URL: who publishes the app and its
 *   support, privacy and terms pages, shown in Teams' app details. Required, unless the package is a development
 *   build (`npm run package -- --dev`, or APP_DEV_BUILD=on), which uses placeholders pointing at Microsoft's docs.
 * On any problem it prints one clear message on stderr, exits 1 and writes nothing.
 *
 * The ZIP writer is our own (zlib deflate-raw + zlib.crc32 + local headers + central directory), no dependency.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { fromRoot } from '../src/core/paths';

export type Env = Record<string, string | undefined>;

/** The files of the package, in zip order. */
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png', 'es.json', 'it.json'] as const;
const COPIED_FILES = ['color.png', 'outline.png', 'es.json', 'it.json'] as const;

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// The manifest schema's "semver" definition: Teams wants plain major.minor.patch.
const VERSION = /^([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)$/;
/** The developer fields of the manifest and the variables that set them. */
export const DEVELOPER_VARIABLES = {
  DEVELOPER_NAME: 'name',
  DEVELOPER_WEBSITE_URL: 'websiteUrl',
  DEVELOPER_PRIVACY_URL: 'privacyUrl',
  DEVELOPER_TERMS_URL: 'termsOfUseUrl',
} as const;
/** A development build's developer fields: enough to upload it for testing, not for anyone's users. */
const DEVELOPMENT_DEVELOPER = {
  name: 'IT Helpdesk (development build)',
  websiteUrl: 'https://learn.microsoft.com/mem/intune/',
  privacyUrl: 'https://learn.microsoft.com/mem/intune/',
  termsOfUseUrl: 'https://learn.microsoft.com/mem/intune/',
} as const;
// The manifest schema's limit on developer.name.
const MAX_DEVELOPER_NAME = 32;

/** A problem the user can fix (missing app id, bad version…): reported as one line, exit code 1. */
export class PackageError extends Error {}

/** KEY=VALUE lines of a .env file: blank lines and # comments skipped, `export ` allowed, quotes stripped. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '').trim();
    out[m[1]] = value;
  }
  return out;
}

/** The variables the packager sees: non-empty environment variables win over the .env file in `cwd`. */
export function resolveEnv(processEnv: Env, cwd: string): Env {
  const file = path.join(cwd, '.env');
  const fromFile = fs.existsSync(file) ? parseEnvFile(fs.readFileSync(file, 'utf8')) : {};
  const env: Env = { ...fromFile };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined && v.trim() !== '') env[k] = v;
  return env;
}

function packageVersion(root: string): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

function noPlaceholderLeft(name: string, text: string): void {
  const at = text.indexOf('{{');
  if (at < 0) return;
  const close = text.indexOf('}}', at);
  const placeholder = text.slice(at, close >= 0 && close - at < 60 ? close + 2 : at + 20);
  throw new PackageError(`${name} still contains a placeholder (${placeholder}). Nothing was written.`);
}

/** Whether this is a development build: APP_DEV_BUILD on/true/1 (or `--dev`, which sets it); off/false/0 or unset: no. */
export function isDevelopmentBuild(env: Env): boolean {
  const value = env.APP_DEV_BUILD?.trim().toLowerCase();
  if (!value || ['off', 'false', '0', 'no'].includes(value)) return false;
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  throw new PackageError(`APP_DEV_BUILD must be on or off, got "${env.APP_DEV_BUILD}". Nothing was written.`);
}

/**
 * The values of the template's {{DEVELOPER_…}} placeholders (the manifest's developer fields). A package that is not
 * a development build needs all four: Teams shows them in the app's details to everyone who installs it.
 */
function developer(env: Env): Record<keyof typeof DEVELOPER_VARIABLES, string> {
  const dev = isDevelopmentBuild(env);
  const missing = Object.keys(DEVELOPER_VARIABLES).filter((variable) => !env[variable]?.trim());
  if (missing.length > 0 && !dev)
    throw new PackageError(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: a package for your users needs the developer's name and its website, privacy and terms of use URLs (shown in Teams' app details). Set them in the environment or in .env (see .env.example), or build a development package with "npm run package -- --dev" (or APP_DEV_BUILD=on). Nothing was written.`,
    );
  const fields = Object.fromEntries(
    Object.entries(DEVELOPER_VARIABLES).map(([variable, field]) => [variable, DEVELOPMENT_DEVELOPER[field]]),
  ) as Record<keyof typeof DEVELOPER_VARIABLES, string>;
  for (const variable of Object.keys(DEVELOPER_VARIABLES) as (keyof typeof DEVELOPER_VARIABLES)[]) {
    const value = env[variable]?.trim();
    if (!value) continue;
    if (variable === 'DEVELOPER_NAME') {
      if (value.length > MAX_DEVELOPER_NAME)
        throw new PackageError(
          `DEVELOPER_NAME must be at most ${MAX_DEVELOPER_NAME} characters, got ${value.length}. Nothing was written.`,
        );
    } else if (!/^https?:\/\/\S+$/i.test(value)) {
      throw new PackageError(`${variable} must be an http(s) URL, got "${value}". Nothing was written.`);
    }
    fields[variable] = value;
  }
  return fields;
}

/**
 * The filled manifest from manifest/manifest.template.json. Throws a PackageError when MicrosoftAppId is missing or
 * not a GUID, when the version is not major.minor.patch, when a developer field is missing (outside a development
 * build) or malformed, or when any "{{" is left.
 */
export function buildManifest(env: Env, root: string = fromRoot()): Record<string, unknown> {
  const appId = env.MicrosoftAppId?.trim();
  if (!appId)
    throw new PackageError(
      'MicrosoftAppId is not set: set it to the bot\'s Microsoft App ID (a GUID) in the environment or in .env, e.g. "MicrosoftAppId=<guid> npm run package". See docs/teams-setup.md. Nothing was written.',
    );
  if (!GUID.test(appId))
    throw new PackageError(`MicrosoftAppId must be a GUID (the bot's Microsoft App ID), got "${appId}". Nothing was written.`);
  const version = env.APP_VERSION?.trim() || packageVersion(root);
  if (!VERSION.test(version))
    throw new PackageError(`APP_VERSION must be major.minor.patch (e.g. 1.0.0), got "${version}". Nothing was written.`);
  const developerFields = developer(env);

  const values: Record<string, string> = { MICROSOFT_APP_ID: appId, APP_VERSION: version, ...developerFields };
  const template = fs.readFileSync(path.join(root, 'manifest', 'manifest.template.json'), 'utf8');
  // Values are JSON-escaped so the result stays valid JSON whatever they hold.
  const filled = template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, key: string) =>
    key in values ? JSON.stringify(values[key]).slice(1, -1) : whole,
  );
  noPlaceholderLeft('manifest.template.json', filled);
  return JSON.parse(filled) as Record<string, unknown>;
}

/** Every file of the package, built and checked in memory before anything is written. */
export function packageContents(env: Env, root: string = fromRoot()): { name: string; data: Buffer }[] {
  const manifestJson = `${JSON.stringify(buildManifest(env, root), null, 2)}\n`;
  noPlaceholderLeft('manifest.json', manifestJson);
  const files = new Map<string, Buffer>([['manifest.json', Buffer.from(manifestJson)]]);
  for (const name of COPIED_FILES) {
    const file = path.join(root, 'manifest', name);
    if (!fs.existsSync(file))
      throw new PackageError(`${file} is missing${name.endsWith('.png') ? ' (npm run icons draws it)' : ''}. Nothing was written.`);
    const data = fs.readFileSync(file);
    if (name.endsWith('.json')) {
      noPlaceholderLeft(name, data.toString('utf8'));
      JSON.parse(data.toString('utf8'));
    }
    files.set(name, data);
  }
  return PACKAGE_FILES.map((name) => ({ name, data: files.get(name) as Buffer }));
}

// ---- ZIP (PKZIP APPNOTE: local file headers, data, central directory, end of central directory; no zip64) ----

// A fixed timestamp (2025-01-01 00:00 in MS-DOS format) makes the zip depend on its contents only.
const DOS_TIME = 0;
const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1;

/** A zip of the given files (deflated, names as given: keep them flat for a Teams package). */
export function zipBuffer(entries: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed to extract: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0); // central directory header signature
    header.writeUInt16LE(20, 4); // version made by: 2.0, MS-DOS attributes
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(deflated.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal attributes, external attributes: all 0
    header.writeUInt32LE(offset, 42); // offset of the local header
    parts.push(local, nameBytes, deflated);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + deflated.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...parts, directory, end]);
}

/** Writes a zip of the given files to `file` (its folder is created). */
export function writeZip(file: string, entries: { name: string; data: Buffer }[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zipBuffer(entries));
}

/** Reads a zip (stored or deflated entries) through its central directory; checks every CRC-32. */
export function readZip(zip: Buffer): { name: string; data: Buffer }[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('Not a zip: no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`Bad central directory header at ${p}`);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`Bad local header for ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = zlib.inflateRawSync(raw);
    else throw new Error(`${name}: unsupported compression method ${method}`);
    if (data.length !== size || zlib.crc32(data) !== crc) throw new Error(`${name}: size or CRC-32 mismatch`);
    out.push({ name, data });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

/**
 * Builds the package for the variables of `env` and writes <outDir>/appPackage/ and <outDir>/appPackage.zip.
 * Everything is checked before the first write. Returns the zip's path.
 */
export function writePackage(env: Env, outDir: string, root: string = fromRoot()): string {
  const files = packageContents(env, root);
  const dir = path.join(outDir, 'appPackage');
  const zip = path.join(outDir, 'appPackage.zip');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const { name, data } of files) fs.writeFileSync(path.join(dir, name), data);
  writeZip(zip, files);
  return zip;
}

/** The CLI: variables from the environment and ./.env, `--dev` for a development build, output in ./build. Returns the exit code. */
export function main(processEnv: Env = process.env, cwd: string = process.cwd(), args: string[] = process.argv.slice(2)): number {
  try {
    const unknown = args.filter((a) => a !== '--dev');
    if (unknown.length > 0) throw new PackageError(`unknown argument ${unknown[0]} (the only one is --dev). Nothing was written.`);
    const env = resolveEnv(processEnv, cwd);
    if (args.includes('--dev')) env.APP_DEV_BUILD = 'on';
    const zip = writePackage(env, path.join(cwd, 'build'));
    process.stdout.write(`${zip}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    process.stderr.write(`npm run package: ${err.message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
