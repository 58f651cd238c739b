/**
 * npm run gallery
 * The card gallery: renders every Adaptive Card the bot sends with the official `adaptivecards` JavaScript renderer
 * (its UMD bundle, in a browser page) and a Teams-like host config, in headless Chromium from Debian's `chromium`
 * package, and writes one PNG per card under docs/cards/ plus docs/cards/README.md, the index.
 *
 * How: a small HTTP server on 127.0.0.1 (port 0) serves scripts/gallery-page/page.html with the cards and
 * scripts/gallery-page/host-config.json embedded, and the bundle from node_modules. Chromium runs twice per purpose,
 * with the plain CLI (no npm browser tooling):
 * 1. once with --dump-dom on a page that renders ALL cards: the page collects parse events, validation failures,
 *    window errors and console errors/warnings per card, measures each card, and leaves the findings as base64 JSON
 *    in <pre id="gallery-result">;
 * 2. once per card with --screenshot on a page that renders just that card, the window sized to the measured height.
 *
 * Options: --serve keeps the server running (open the printed URL in a browser to look at the cards), --out <dir>
 * writes somewhere else than docs/cards. CHROMIUM_PATH overrides /usr/bin/chromium.
 */
import { causePlan } from '../src/core/diagnostics/record';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import {
  AdaptiveCardJson,
  causeCard,
  didYouMeanCard,
  helpCard,
  menuCard,
  offerPersonCard,
  pickSymptomCard,
  questionCard,
  ratingCard,
  startFlowCard,
  welcomeCard,
} from '../cards';
import { sampleTicket } from '../cards/samples';
import { ticketCard } from '../cards/ticket';
import { getQuestion, loadCatalog } from '../src/core/knowledge/catalog';
import { supportedLocales, translator } from '../src/core/knowledge/locales';
import { fromRoot } from '../src/core/paths';

export { sampleTicket };

export type GalleryGroup = 'conversation' | 'cause' | 'helpdesk';

export interface GalleryCard {
  /** File name without .png, unique: "welcome", "cause-es-network-error", "ticket-open"… */
  id: string;
  group: GalleryGroup;
  /** Which builder made it: "welcome", "help", "question", "cause", "ticket"… */
  kind: string;
  locale: string;
  title: string;
  card: AdaptiveCardJson;
}

/** The language the non-cause cards are shown in (the helpdesk cards use HELPDESK_LOCALE, English by default). */
const MAIN_LOCALE = 'en';
export const LANGUAGE_NAMES: Record<string, string> = { en: 'English', es: 'Español', it: 'Italiano' };

/** Every card of the gallery: conversation cards, the first cause of each symptom in every language, helpdesk cards. */
export function galleryCards(): GalleryCard[] {
  const catalog = loadCatalog();
  const t = translator(MAIN_LOCALE);
  const out: GalleryCard[] = [];
  const add = (group: GalleryGroup, kind: string, id: string, title: string, card: AdaptiveCardJson, locale = MAIN_LOCALE): void => {
    out.push({ id, group, kind, locale, title, card });
  };

  const question = getQuestion('error-location');
  if (!question) throw new Error('The catalog has no "error-location" question');
  add('conversation', 'welcome', 'welcome', 'Welcome', welcomeCard(t));
  add('conversation', 'help', 'help', 'Help', helpCard(t));
  add('conversation', 'question', 'question', 'A prerequisite question (1 of 4)', questionCard(t, question, 1, 4, 'r1'));
  add(
    'conversation',
    'did-you-mean',
    'did-you-mean',
    'Did you mean…? (two candidate symptoms)',
    didYouMeanCard(t, ['network-error', 'server-connection-failed']),
  );
  add('conversation', 'menu', 'menu', 'Menu of every symptom', menuCard(t));
  add('conversation', 'rating', 'rating', 'Fixed: rate the help', ratingCard(t, 'r1'));
  add('conversation', 'offer', 'offer', 'Every cause tried: offer a person', offerPersonCard(t, 'r1'));

  for (const locale of supportedLocales()) {
    const tl = translator(locale);
    for (const s of catalog.symptoms) {
      // The first card an employee gets for this symptom (what they can do, or what IT will do and the handoff).
      const plan = causePlan(s.id, { role: 'user', answers: {} });
      const first = plan[0];
      if (!first) throw new Error(`Symptom ${s.id} has no cause`);
      add(
        'cause',
        'cause',
        `cause-${locale}-${s.id}`,
        tl(`knowledge:symptoms.${s.id}.title`),
        causeCard(tl, { ...first, position: 1, total: plan.length, record: 'r1', locale, role: 'user' }),
        locale,
      );
    }
  }

  const ticket = sampleTicket();
  const agent = { id: '29:9z8y7x', name: 'Marco Rossi', aadObjectId: '0a9b8c7d-0000-4e5f-8a9b-0c1d2e3f4a5b' };
  add('helpdesk', 'ticket', 'ticket-open', 'Ticket, open (in the helpdesk channel)', ticketCard(t, ticket));
  add(
    'helpdesk',
    'ticket',
    'ticket-assigned',
    'Ticket, assigned',
    ticketCard(t, { ...ticket, status: 'assigned', version: 2, assignee: agent }),
  );
  add(
    'helpdesk',
    'ticket',
    'ticket-resolved',
    'Ticket, resolved',
    ticketCard(t, {
      ...ticket,
      status: 'resolved',
      version: 3,
      assignee: agent,
      resolution: {
        note: 'The device had a stale Company Portal; reinstalled it and enrolled again.',
        by: agent,
        at: '2026-03-02T10:05:00Z',
      },
    }),
  );
  add('helpdesk', 'pick-symptom', 'pick-symptom', 'Messaging extension: pick a flow', pickSymptomCard(t));
  add(
    'helpdesk',
    'start-flow',
    'start-flow',
    'Messaging extension: the flow card dropped into a chat',
    startFlowCard(t, 'device-cap-reached'),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Chromium

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** The width of the screenshots (the card bubble is 568 px, with 16 px of chat background around it). */
export const PAGE_WIDTH = 600;
const PAGE_PADDING = 16;

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The Chromium binary to use: CHROMIUM_PATH, else /usr/bin/chromium. Throws a message that says how to install it. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, defaultPath = DEFAULT_CHROMIUM): string {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    throw new Error(
      `CHROMIUM_PATH is set to ${configured}, which is not an executable file. Unset it to use ${defaultPath} ` +
        `(sudo apt-get install -y chromium), or point it at a Chromium binary.`,
    );
  }
  if (isExecutableFile(defaultPath)) return defaultPath;
  throw new Error(
    `Chromium is not installed: ${defaultPath} not found. The card gallery renders the cards in headless Chromium ` +
      `from Debian's package; install it with: sudo apt-get install -y chromium ` +
      `(or set CHROMIUM_PATH to a Chromium or Chrome binary).`,
  );
}

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
];

/** Runs chromium once with a fresh profile directory, removed afterwards. */
async function runChromium(chromium: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-chromium-'));
  try {
    return await new Promise<string>((resolve, reject) => {
      execFile(
        chromium,
        [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args],
        { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error) {
            const tail = String(stderr).trim().split('\n').slice(-8).join('\n');
            reject(new Error(`chromium ${args.join(' ')} failed: ${error.message}\n${tail}`));
          } else resolve(String(stdout));
        },
      );
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The local server

export interface GalleryServer {
  url: string;
  close(): Promise<void>;
}

const pageDir = (): string => fromRoot('scripts', 'gallery-page');

export function hostConfig(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(pageDir(), 'host-config.json'), 'utf8')) as Record<string, unknown>;
}

/** The page with the cards embedded as a script literal (so rendering is synchronous, before the load event). */
function page(cards: GalleryCard[], mode: 'all' | 'single'): string {
  const template = fs.readFileSync(path.join(pageDir(), 'page.html'), 'utf8');
  const data = { hostConfig: hostConfig(), mode, cards: cards.map(({ id, title, card }) => ({ id, title, card })) };
  const literal = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  if (!template.includes('/*GALLERY_DATA*/ null')) throw new Error('scripts/gallery-page/page.html lost its /*GALLERY_DATA*/ placeholder');
  return template.replace('/*GALLERY_DATA*/ null', () => literal);
}

/** Serves /all (every card), /card/<id> (one card), /cards/<id>.json, /host-config.json and /adaptivecards.js. */
export async function startGalleryServer(cards: GalleryCard[]): Promise<GalleryServer> {
  const bundle = fs.readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'));
  const byId = new Map(cards.map((c) => [c.id, c]));
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const p = decodeURIComponent(url.pathname);
      if (p === '/adaptivecards.js') return send(200, 'text/javascript; charset=utf-8', bundle);
      if (p === '/host-config.json') return send(200, 'application/json; charset=utf-8', JSON.stringify(hostConfig(), null, 2));
      if (p === '/' || p === '/all') return send(200, 'text/html; charset=utf-8', page(cards, 'all'));
      const single = /^\/card\/([\w.-]+)$/.exec(p);
      if (single && byId.has(single[1]!)) return send(200, 'text/html; charset=utf-8', page([byId.get(single[1]!)!], 'single'));
      const json = /^\/cards\/([\w.-]+)\.json$/.exec(p);
      if (json && byId.has(json[1]!))
        return send(200, 'application/json; charset=utf-8', JSON.stringify(byId.get(json[1]!)!.card, null, 2));
      return send(404, 'text/plain; charset=utf-8', 'not found');
    } catch (e) {
      return send(500, 'text/plain; charset=utf-8', String(e));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Inspection and screenshots

export interface RenderedCard {
  width: number;
  height: number;
  /** Characters of visible text, and rendered buttons: a card that rendered as an empty box has neither. */
  textLength: number;
  buttons: number;
  /** Element and action types the renderer parsed (Action.Execute, FactSet…). */
  types: string[];
  /** Button titles shown with an ellipsis (Teams cuts them the same way), and button rows wider than the card. */
  truncated: string[];
}

export interface RenderIssue {
  /** The card's id, or "(page)" for anything outside a card's rendering. */
  card: string;
  kind: string;
  message: string;
}

export interface Inspection {
  results: Record<string, RenderedCard>;
  issues: RenderIssue[];
}

function parseResult(dom: string): Inspection {
  const match = /<pre id="gallery-result"[^>]*>([A-Za-z0-9+/=\s]*)<\/pre>/.exec(dom);
  if (!match || !match[1]!.trim()) throw new Error('The gallery page left no result: it did not run (see chromium output)');
  return JSON.parse(Buffer.from(match[1]!.trim(), 'base64').toString('utf8')) as Inspection;
}

/** Renders every card in one page load and returns, per card, its size and what the renderer reported. */
export async function inspectCards(chromium: string, server: GalleryServer): Promise<Inspection> {
  const dom = await runChromium(chromium, [`--window-size=${PAGE_WIDTH},800`, '--dump-dom', `${server.url}/all`]);
  return parseResult(dom);
}

/** Screenshot of one card: the window is as tall as the card plus the chat background around it. */
export async function screenshotCard(chromium: string, server: GalleryServer, id: string, height: number, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  const windowHeight = Math.max(64, Math.ceil(height) + 2 * PAGE_PADDING);
  await runChromium(chromium, [`--window-size=${PAGE_WIDTH},${windowHeight}`, `--screenshot=${file}`, `${server.url}/card/${id}`]);
  if (!fs.existsSync(file)) throw new Error(`chromium wrote no screenshot for ${id}`);
}

/** Runs tasks with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export interface Shot {
  card: GalleryCard;
  file: string;
  bytes: number;
}

export interface GalleryRun {
  cards: GalleryCard[];
  inspection: Inspection;
  shots: Shot[];
}

/** Inspects all cards, then screenshots `screenshot` of them (default: all) into outDir/<id>.png. */
export async function renderGallery(options: {
  outDir: string;
  chromium?: string;
  cards?: GalleryCard[];
  screenshot?: (card: GalleryCard) => boolean;
  concurrency?: number;
}): Promise<GalleryRun> {
  const chromium = options.chromium ?? findChromium();
  const cards = options.cards ?? galleryCards();
  const server = await startGalleryServer(cards);
  try {
    const inspection = await inspectCards(chromium, server);
    const wanted = cards.filter((c) => (options.screenshot ? options.screenshot(c) : true));
    const shots = await pool(wanted, options.concurrency ?? 2, async (card) => {
      const measured = inspection.results[card.id];
      if (!measured)
        throw new Error(`The card ${card.id} did not render: ${JSON.stringify(inspection.issues.filter((i) => i.card === card.id))}`);
      const file = path.join(options.outDir, `${card.id}.png`);
      await screenshotCard(chromium, server, card.id, measured.height, file);
      return { card, file, bytes: fs.statSync(file).size };
    });
    return { cards, inspection, shots };
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// docs/cards/README.md

const GROUP_TITLES: Record<GalleryGroup, string> = {
  conversation: 'Conversation cards',
  cause: 'Cause cards',
  helpdesk: 'Helpdesk cards',
};

/** Markdown-safe text for headings and image alt text. */
const md = (s: string): string => s.replace(/([\\`*_[\]<>#|])/g, '\\$1');

export function galleryIndex(run: GalleryRun): string {
  const version = (
    JSON.parse(
      fs.readFileSync(path.join(path.dirname(require.resolve('adaptivecards/dist/adaptivecards.min.js')), '..', 'package.json'), 'utf8'),
    ) as { version: string }
  ).version;
  const shot = new Set(run.shots.map((s) => s.card.id));
  const cards = run.cards.filter((c) => shot.has(c.id));
  const image = (c: GalleryCard, heading: string): string[] => [heading, '', `![${md(c.title)}](${c.id}.png)`, ''];
  const lines: string[] = [
    '# Card gallery',
    '',
    'Every Adaptive Card the bot sends, rendered by the official `adaptivecards` JavaScript renderer ' +
      `(${version}, the same library the tests validate with) in headless Chromium, with a Teams-like host config: ` +
      '[scripts/gallery-page/host-config.json](../../scripts/gallery-page/host-config.json). ' +
      'Fonts fall back from Segoe UI to what the machine has, so Teams itself looks slightly different.',
    '',
    'Generated by `npm run gallery` ([scripts/gallery.ts](../../scripts/gallery.ts)); do not edit by hand. Run it again after ' +
      'changing `cards/`, `locales/` or the host config. `npm run gallery -- --serve` serves the same pages to look at in a browser.',
    '',
  ];
  const causeLocales = [...new Set(cards.filter((c) => c.group === 'cause').map((c) => c.locale))];
  const anchor = (heading: string): string =>
    `#${heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .replace(/\s/g, '-')}`;
  const link = (heading: string): string => `[${heading}](${anchor(heading)})`;
  lines.push(
    `Contents: ${link(GROUP_TITLES.conversation)} · ${link(GROUP_TITLES.cause)} (` +
      causeLocales.map((l) => link(LANGUAGE_NAMES[l] ?? l)).join(', ') +
      `) · ${link(GROUP_TITLES.helpdesk)}`,
    '',
  );
  for (const group of ['conversation', 'cause', 'helpdesk'] as const) {
    const inGroup = cards.filter((c) => c.group === group);
    if (!inGroup.length) continue;
    lines.push(`## ${GROUP_TITLES[group]}`, '');
    if (group === 'cause') {
      lines.push('The first possible cause of each symptom, in each language the bot speaks.', '');
      for (const locale of [...new Set(inGroup.map((c) => c.locale))]) {
        lines.push(`### ${LANGUAGE_NAMES[locale] ?? locale}`, '');
        for (const c of inGroup.filter((x) => x.locale === locale)) lines.push(...image(c, `#### ${md(c.title)}`));
      }
    } else {
      for (const c of inGroup) lines.push(...image(c, `### ${md(c.title)}`));
    }
  }
  const truncated = cards.filter((c) => run.inspection.results[c.id]?.truncated.length);
  if (truncated.length) {
    lines.push(
      '## Button titles cut short',
      '',
      `Button titles the renderer shows with an ellipsis at this width (${PAGE_WIDTH} px, buttons side by side as the host ` +
        'config says). Teams clients lay buttons out their own way: check these cards in Teams too.',
      '',
    );
    for (const c of truncated) {
      const titles = run.inspection.results[c.id]!.truncated.map((t) => `“${md(t)}”`).join(', ');
      lines.push(`- \`${c.id}\`: ${titles}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

/** Whether fontconfig knows a color emoji font (the cards use ⚠️ 💡 🎫 👤 🤖). Unknown (no fc-list) counts as yes. */
function hasEmojiFont(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('fc-list', [':', 'family'], { encoding: 'utf8' }, (error, stdout) => resolve(!!error || /emoji/i.test(String(stdout))));
  });
}

function describeIssues(issues: RenderIssue[]): string {
  return issues.map((i) => `  ${i.card}: [${i.kind}] ${i.message}`).join('\n');
}

async function main(argv: string[]): Promise<number> {
  let chromium: string;
  try {
    chromium = findChromium();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  const cards = galleryCards();
  if (argv.includes('--serve')) {
    const server = await startGalleryServer(cards);
    process.stdout.write(`Card gallery pages: ${server.url}/all (one card: ${server.url}/card/<id>). Ctrl+C to stop.\n`);
    await new Promise<never>(() => undefined);
  }
  const outIndex = argv.indexOf('--out');
  const outDir = outIndex >= 0 && argv[outIndex + 1] ? path.resolve(argv[outIndex + 1]!) : fromRoot('docs', 'cards');
  const started = Date.now();
  const run = await renderGallery({ outDir, chromium, cards, concurrency: Math.min(4, Math.max(2, os.cpus().length)) });

  // Screenshots of cards that no longer exist would linger in the index's folder: remove them.
  const written = new Set(run.shots.map((s) => path.basename(s.file)));
  for (const f of fs.readdirSync(outDir)) if (f.endsWith('.png') && !written.has(f)) fs.rmSync(path.join(outDir, f));
  const index = path.join(outDir, 'README.md');
  fs.writeFileSync(index, galleryIndex(run));

  const rel = (f: string): string => path.relative(process.cwd(), f) || f;
  for (const s of run.shots) process.stdout.write(`${rel(s.file)}  ${(s.bytes / 1024).toFixed(1)} KB\n`);
  process.stdout.write(`${rel(index)}\n${run.shots.length} PNGs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (!(await hasEmojiFont())) {
    process.stdout.write(
      'No color emoji font found: the emoji in the cards show as boxes (sudo apt-get install -y fonts-noto-color-emoji).\n',
    );
  }
  const truncated = run.cards.filter((c) => run.inspection.results[c.id]?.truncated.length);
  if (truncated.length) {
    process.stdout.write(`Button titles cut short at ${PAGE_WIDTH} px (listed in the index):\n`);
    for (const c of truncated) process.stdout.write(`  ${c.id}: ${run.inspection.results[c.id]!.truncated.join(' | ')}\n`);
  }
  if (run.inspection.issues.length) {
    process.stderr.write(`The renderer reported ${run.inspection.issues.length} problem(s):\n${describeIssues(run.inspection.issues)}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
