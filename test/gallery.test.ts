/**
 * The card gallery (scripts/gallery.ts): every card the bot sends, rendered by the real adaptivecards renderer in
 * headless Chromium with the Teams-like host config. Needs Debian's chromium (/usr/bin/chromium or CHROMIUM_PATH):
 * without it these tests fail and say how to install it; .ci/run installs it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  findChromium,
  GalleryCard,
  galleryCards,
  GalleryServer,
  Inspection,
  inspectCards,
  PAGE_WIDTH,
  pool,
  screenshotCard,
  startGalleryServer,
} from '../scripts/gallery';
import { causePlan } from '../src/core/diagnostics/record';
import { causeKind, getSymptom, loadCatalog, SymptomId } from '../src/core/knowledge/catalog';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MIN_PNG_BYTES = 4 * 1024;

const cards = galleryCards();
const symptoms = loadCatalog().symptoms;

describe('card gallery', () => {
  it('covers every card type, and the first cause of every symptom in English, Spanish and Italian', () => {
    expect(new Set(cards.map((c) => c.kind))).toEqual(
      new Set(['welcome', 'help', 'question', 'cause', 'did-you-mean', 'menu', 'rating', 'offer', 'ticket', 'pick-symptom', 'start-flow']),
    );
    expect(cards.filter((c) => c.kind === 'ticket').map((c) => c.id)).toEqual(['ticket-open', 'ticket-assigned', 'ticket-resolved']);
    for (const locale of ['en', 'es', 'it']) {
      const causes = cards.filter((c) => c.kind === 'cause' && c.locale === locale);
      expect(causes.map((c) => c.id)).toEqual(symptoms.map((s) => `cause-${locale}-${s.id}`));
    }
    expect(symptoms).toHaveLength(15);
    expect(new Set(cards.map((c) => c.id)).size).toBe(cards.length);
  });

  it('says how to install Chromium when it is missing', () => {
    expect(() => findChromium({}, '/nonexistent/chromium')).toThrow(/not installed.*sudo apt-get install -y chromium/);
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chrome' })).toThrow(/CHROMIUM_PATH.*sudo apt-get install -y chromium/);
  });
});

describe('card gallery in headless Chromium', () => {
  let chromium: string;
  let server: GalleryServer | undefined;
  let inspection: Inspection;
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-test-'));

  beforeAll(async () => {
    // Throws "Chromium is not installed … sudo apt-get install -y chromium": every test below then fails with it.
    chromium = findChromium();
    server = await startGalleryServer(cards);
    inspection = await inspectCards(chromium, server);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('renders every card in the adaptivecards renderer in headless Chromium without a warning or an error', () => {
    // Parse events, validateProperties() failures, window errors, console errors and warnings, render failures.
    expect(inspection.issues).toEqual([]);
    for (const card of cards) {
      const r = inspection.results[card.id];
      expect({ id: card.id, rendered: !!r }).toEqual({ id: card.id, rendered: true });
      expect({ id: card.id, width: r!.width }).toEqual({ id: card.id, width: 568 });
      expect(r!.height).toBeGreaterThan(100);
      expect(r!.textLength).toBeGreaterThan(30);
      expect(r!.buttons).toBeGreaterThan(0);
    }
    const ticket = inspection.results['ticket-open']!;
    expect(ticket.types).toEqual(expect.arrayContaining(['Action.Execute', 'Action.ShowCard', 'Action.OpenUrl', 'FactSet', 'ColumnSet']));
    expect(inspection.results['pick-symptom']!.types).toContain('Input.ChoiceSet');
    // The cause cards are the long ones: what you see, the cause, steps, links and three outcome buttons; or, where only
    // IT can fix it, the handoff (and the next possible cause when there is one).
    for (const c of cards.filter((x) => x.kind === 'cause')) {
      const symptom = c.id.replace(`cause-${c.locale}-`, '') as SymptomId;
      const plan = causePlan(symptom, { role: 'user', answers: {} });
      const first = getSymptom(symptom)!.causes.find((x) => x.id === plan[0]!.cause)!;
      const least = causeKind(first) === 'admin-only' ? Math.min(plan.length, 2) : 4;
      expect({ id: c.id, enough: inspection.results[c.id]!.buttons >= least }).toEqual({ id: c.id, enough: true });
    }
  });

  it('reports what the renderer complains about (the check above is not vacuous)', async () => {
    const broken: GalleryCard = {
      id: 'broken',
      group: 'conversation',
      kind: 'broken',
      locale: 'en',
      title: 'Broken',
      card: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'NoSuchElement' }, { type: 'TextBlock', text: 'hi', color: 'Purple' }],
        actions: Array.from({ length: 7 }, (_, i) => ({ type: 'Action.Submit', title: `Button ${i}` })),
      },
    };
    const brokenServer = await startGalleryServer([broken]);
    try {
      const result = await inspectCards(chromium, brokenServer);
      const kinds = result.issues.filter((i) => i.card === 'broken').map((i) => i.kind);
      expect(kinds).toEqual(expect.arrayContaining(['parse', 'validation']));
      expect(result.issues.map((i) => i.message).join('\n')).toMatch(/NoSuchElement/);
    } finally {
      await brokenServer.close();
    }
  }, 60_000);

  it('takes non-trivial PNG screenshots, sized to the card', async () => {
    // One card of each kind (tickets: open and assigned) and one cause card per language; npm run gallery does all.
    const causeSamples = ['cause-en-device-cap-reached', 'cause-es-network-error', 'cause-it-noenrollmentpolicy'];
    const sample = cards.filter((c) => (c.kind === 'cause' ? causeSamples.includes(c.id) : c.id !== 'ticket-resolved'));
    expect(sample).toHaveLength(7 + 4 + 3);
    await pool(sample, 2, (c) =>
      screenshotCard(chromium, server!, c.id, inspection.results[c.id]!.height, path.join(outDir, `${c.id}.png`)),
    );
    for (const c of sample) {
      const png = fs.readFileSync(path.join(outDir, `${c.id}.png`));
      expect({ id: c.id, signature: png.subarray(0, 8).toString('hex') }).toEqual({ id: c.id, signature: PNG_SIGNATURE.toString('hex') });
      expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
      expect({ id: c.id, width: png.readUInt32BE(16) }).toEqual({ id: c.id, width: PAGE_WIDTH });
      expect({ id: c.id, height: png.readUInt32BE(20) }).toEqual({ id: c.id, height: inspection.results[c.id]!.height + 32 });
      expect({ id: c.id, bigEnough: png.length > MIN_PNG_BYTES }).toEqual({ id: c.id, bigEnough: true });
    }
  }, 120_000);
});
