/**
 * Answers that fit who is asking, through the real bot: every symptom in every language, as an employee and as a
 * helpdesk agent. Employees never get an admin portal's link or a numbered step in one; a cause only IT can fix offers
 * the handoff on the card itself; agents get every step. The plan follows the answers, and every ticket carries all
 * eight prerequisite facts, each marked answered or inferred.
 */
import { Activity } from 'botbuilder';
import { cardToText } from '../cards/text';
import { ticketCard } from '../cards/ticket';
import { causePlan, DiagnosticRecord, isInferred } from '../src/core/diagnostics/record';
import { causeKind, DONT_KNOW, getSymptom, loadCatalog, stepTextKey, SymptomId } from '../src/core/knowledge/catalog';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { Conversation } from './helpers/harness';

const catalog = loadCatalog();
type Replies = Partial<Activity>[];
const LOCALES = ['en', 'es', 'it'] as const;
const ROLES = ['employee', 'agent'] as const;
type Who = (typeof ROLES)[number];

const dataOf = (b: { data?: unknown }): Record<string, unknown> => (b.data ?? {}) as Record<string, unknown>;
const isCauseCard = (a: Partial<Activity>): boolean => buttons(a).some((b) => typeof dataOf(b).cause === 'string');
const isQuestionCard = (a: Partial<Activity>): boolean => buttons(a).some((b) => dataOf(b).action === 'answer');
const causeOf = (a: Partial<Activity>): { symptom: SymptomId; cause: string } => {
  const d = dataOf(buttons(a).find((b) => typeof dataOf(b).cause === 'string')!);
  return { symptom: d.symptom as SymptomId, cause: d.cause as string };
};

/** A helpdesk agent writes in the helpdesk team's channel, mentioning the bot. */
const HELPDESK = { HELPDESK_TEAM_ID: 'team-1' };
const inChannel = (id: string): Partial<Activity> =>
  ({
    conversation: { id, conversationType: 'channel', isGroup: true, name: 'helpdesk' },
    channelData: { team: { id: 'team-1' } },
  }) as Partial<Activity>;
const MENTION = { entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'Bot' }, text: '<at>Bot</at>' }] } as Partial<Activity>;

interface Walk {
  /** Buttons pressed (questions answered, a "did you mean" choice) before the first cause card. */
  clicks: number;
  asked: string[];
  /** Every cause card of the plan, in order ("didn't help" / "another possible cause" on each). */
  cards: Partial<Activity>[];
}

/** Reports the symptom as the device shows it, answers every question "I don't know", then walks every cause card. */
async function walk(locale: string, symptom: SymptomId, who: Who, answer = (_q: string): string => DONT_KNOW): Promise<Walk> {
  const t = translator(locale);
  const convo = who === 'agent' ? new Conversation(`${locale}-XX`, undefined, HELPDESK) : new Conversation(`${locale}-XX`);
  const extra = who === 'agent' ? inChannel(`ch-${locale}-${symptom}`) : {};
  const seen = t(`knowledge:symptoms.${symptom}.seen`);
  let r: Replies = await convo.send(who === 'agent' ? `<at>Bot</at> ${seen}` : seen, { ...extra, ...(who === 'agent' ? MENTION : {}) });
  let clicks = 0;
  const asked: string[] = [];
  for (let i = 0; i < 12 && !r.some(isCauseCard); i++) {
    const q = r.find(isQuestionCard);
    const data = q
      ? buttonData(q, (d) => d.answer === answer(String(d.question)))
      : buttonData(r[r.length - 1], (d) => d.action === 'choose-symptom' && d.symptom === symptom);
    if (q) asked.push(String(data.question));
    clicks++;
    r = await convo.send(data, extra);
  }
  const cards: Partial<Activity>[] = [];
  let card = r.find(isCauseCard);
  while (card && cards.length < 10) {
    cards.push(card);
    const next = buttons(card).find((b) => dataOf(b).outcome === 'not-fixed');
    if (!next) break;
    card = (await convo.send(dataOf(next), extra)).find(isCauseCard);
  }
  return { clicks, asked, cards };
}

/** What names an admin portal, in that language: the admin centers, Apple Business/School Manager. */
function adminPortalWords(locale: string): string[] {
  const t = translator(locale);
  return [
    t('knowledge:links.intune-admin-center'),
    t('knowledge:links.m365-admin-center'),
    'admin center',
    'centro de administración',
    'interfaccia di amministrazione',
    'Apple Business Manager',
    'Apple School Manager',
  ].map((w) => w.toLowerCase());
}
const adminUrls = Object.values(catalog.links)
  .filter((l) => l.by === 'admin')
  .map((l) => l.url);

const clicks: number[] = [];

describe.each(LOCALES)('answers that fit who is asking, in %s', (locale) => {
  const t = translator(locale);
  describe.each(ROLES)('as %s', (who) => {
    it.each(catalog.symptoms.map((s) => s.id))('%s', async (symptomId) => {
      const { clicks: n, asked, cards } = await walk(locale, symptomId, who);
      const planned = causePlan(symptomId, { role: who === 'agent' ? 'agent' : 'user', answers: {} });
      expect(cards.length).toBeGreaterThan(0);
      if (who === 'agent') {
        // All eight questions but what the message already told: the exact error, and for ADE errors or an error of the
        // Company Portal app, how the device is enrolled.
        const told =
          getSymptom(symptomId)!.group === 'ade' ||
          /company portal|portal de empresa|portale aziendale/i.test(t(`knowledge:symptoms.${symptomId}.seen`));
        expect(asked).toEqual(
          catalog.questions.map((q) => q.id).filter((q) => q !== 'error-message' && (q !== 'enrollment-method' || !told)),
        );
        expect(cards.map(causeOf)).toEqual(planned);
        for (const card of cards) {
          const { symptom, cause } = causeOf(card);
          const c = getSymptom(symptom)!.causes.find((x) => x.id === cause)!;
          const text = visibleText(card);
          for (const st of c.steps) expect(text).toContain(t(`knowledge:${stepTextKey(symptom, cause, st, true)}`));
          for (const l of c.links) expect(buttons(card).map((b) => b.url)).toContain(catalog.links[l]!.url);
        }
        return;
      }
      clicks.push(n);
      for (const card of cards) {
        const { symptom, cause } = causeOf(card);
        const c = getSymptom(symptom)!.causes.find((x) => x.id === cause)!;
        const { text, buttons: bs } = cardToText((card.attachments ?? [])[0]!.content);
        const name = `${locale} ${symptom}/${cause}`;
        // No admin portal's link, no numbered step that names one.
        expect({ name, adminLinks: bs.filter((b) => b.url && adminUrls.includes(b.url)).map((b) => b.url) }).toEqual({
          name,
          adminLinks: [],
        });
        const numbered = text.split('\n').filter((l) => /^\d+\.\s/.test(l));
        for (const line of numbered) {
          expect({ name, line, admin: adminPortalWords(locale).some((w) => line.toLowerCase().includes(w)) }).toEqual({
            name,
            line,
            admin: false,
          });
        }
        const kind = causeKind(c);
        if (kind === 'user-fixable') return;
        // Where only IT can act: what IT will do, and the handoff on the card itself (first when nothing is left to try).
        expect(text).toContain(t(`knowledge:causes.${symptom}.${cause}.itDoes`));
        const handoff = bs.findIndex((b) => dataOf(b).action === 'person');
        expect({ name, handoff: handoff >= 0 }).toEqual({ name, handoff: true });
        if (kind === 'admin-only') {
          expect({ name, first: handoff }).toEqual({ name, first: 0 });
          expect(numbered).toEqual([]);
        }
      }
    });
  });
});

describe('clicks to the first useful answer', () => {
  it('an employee needs at most 2 clicks on average over 15 symptoms × 3 languages', () => {
    expect(clicks).toHaveLength(catalog.symptoms.length * LOCALES.length);
    const average = clicks.reduce((a, b) => a + b, 0) / clicks.length;
    console.log(
      `clicks to the first useful answer (employee, ${clicks.length} conversations): average ${average.toFixed(2)}, max ${Math.max(...clicks)}`,
    );
    expect(average).toBeLessThanOrEqual(2);
  });
});

describe('the plan follows the answers', () => {
  it('an employee with an ADE device never gets "only corporate devices"; with a personal device it comes after their own fixes', async () => {
    const ade = await walk('en', 'server-connection-failed', 'employee', (q) => (q === 'enrollment-method' ? 'ade' : DONT_KNOW));
    const personal = await walk('en', 'server-connection-failed', 'employee', (q) =>
      q === 'enrollment-method' ? 'company-portal' : DONT_KNOW,
    );
    expect(ade.asked).toEqual(['enrollment-method']);
    expect(ade.cards.map((c) => causeOf(c).cause)).toEqual(['previous-user', 'other-mdm', 'dns-cname', 'no-license']);
    expect(personal.cards.map((c) => causeOf(c).cause)).toEqual([
      'previous-user',
      'other-mdm',
      'corporate-only',
      'dns-cname',
      'no-license',
    ]);
  });

  it('an agent who knows the MDM authority gets the one APNs renewal route that applies; otherwise both, as alternatives', async () => {
    const t = translator('en');
    const k = 'knowledge:causes.accountnotonboarded.apns-problem.steps';
    const known = await walk('en', 'accountnotonboarded', 'agent', (q) => (q === 'mdm-authority' ? 'intune' : DONT_KNOW));
    const unknown = await walk('en', 'accountnotonboarded', 'agent');
    expect(visibleText(known.cards[0])).toContain(`1. ${t(`${k}.renew-standalone`)}`);
    expect(visibleText(known.cards[0])).not.toContain(t(`${k}.renew-m365`));
    expect(visibleText(unknown.cards[0])).toContain(`1. ${t('cause.alternatives')}`);
    expect(visibleText(unknown.cards[0])).toContain(`- ${t(`${k}.renew-m365`)}`);
  });

  it("causePlan: answers rule causes out, an employee sees their own fixes first, an agent the articles' order", () => {
    const at = '2026-01-01T00:00:00Z';
    const ade: DiagnosticRecord['answers'] = { 'enrollment-method': { value: 'ade', source: 'question', at } };
    const ids = (p: { cause: string }[]): string[] => p.map((x) => x.cause);
    expect(ids(causePlan('server-connection-failed'))).toEqual(['corporate-only', 'dns-cname', 'previous-user', 'other-mdm', 'no-license']);
    expect(ids(causePlan('server-connection-failed', { role: 'agent', answers: ade }))).toEqual([
      'dns-cname',
      'previous-user',
      'other-mdm',
      'no-license',
    ]);
    expect(ids(causePlan('server-connection-failed', { role: 'user', answers: {} }))).toEqual([
      'previous-user',
      'other-mdm',
      'corporate-only',
      'dns-cname',
      'no-license',
    ]);
  });
});

describe('every ticket carries all eight facts, answered or inferred', () => {
  it('an employee hands a cause only IT can fix to the helpdesk from the card; the ticket marks what was inferred', async () => {
    const convo = new Conversation('es-ES');
    const t = translator('es');
    let r = await convo.send(t('knowledge:symptoms.license-type-invalid.seen'));
    const card = r.find(isCauseCard)!;
    expect(visibleText(card)).toContain(t('cause.onlyIt'));
    r = await convo.send(buttonData(card, (d) => d.action === 'person'));
    // Straight to the optional description: pressing the button was the confirmation.
    expect(visibleText(r[0])).toContain(t('escalation.describe'));
    r = await convo.send(buttonData(r[0], (d) => d.action === 'skip'));
    // How the device is enrolled changes nothing for this ticket: not asked, marked as not known.
    expect(r.some(isQuestionCard)).toBe(false);
    const id = /IOS-\d+/.exec(visibleText(r[0]))![0];
    const ticket = (await convo.bot.services.escalation.tickets.get(id))!;
    const answers = ticket.record.answers;
    expect(Object.keys(answers).sort()).toEqual(catalog.questions.map((q) => q.id).sort());
    expect(answers['enrollment-method']).toMatchObject({ value: DONT_KNOW, source: 'inferred' });
    expect(answers['error-message']).toMatchObject({ source: 'message' });
    expect(answers.platform).toMatchObject({ value: 'ios', source: 'inferred' });
    expect(answers['mdm-authority']).toMatchObject({ value: DONT_KNOW, source: 'inferred' });
    expect(ticket.record.attempts).toEqual([expect.objectContaining({ cause: 'no-valid-license', outcome: 'escalated' })]);
    // The helpdesk sees which facts nobody was asked.
    const text = cardToText(ticketCard(translator('en'), ticket)).text;
    const inferred = catalog.questions.filter((q) => isInferred(answers[q.id]));
    expect(inferred.length).toBeGreaterThan(0);
    for (const q of inferred) {
      const value = translator('en')(`knowledge:questions.${q.id}.answers.${answers[q.id]!.value}`);
      expect(text).toContain(translator('en')('questions.inferred', { value }));
    }
  });
});
