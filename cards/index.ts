/**
 * Adaptive Cards of the bot: JSON templates in cards/templates bound with adaptivecards-templating.
 * Every function returns a plain Adaptive Card (schema 1.5, the Teams limit); no botbuilder here.
 */
import * as fs from 'fs';
import * as ACData from 'adaptivecards-templating';
import { DiagnosticRecord, Role } from '../src/core/diagnostics/record';
import {
  articleUrl,
  causeKind,
  DONT_KNOW,
  getSymptom,
  loadCatalog,
  Question,
  Reader,
  Step,
  stepTextKey,
  SymptomId,
} from '../src/core/knowledge/catalog';
import { Translate } from '../src/core/knowledge/locales';
import { fromRoot } from '../src/core/paths';
import { action, CardAction } from './actions';

export type AdaptiveCardJson = { type: 'AdaptiveCard'; version: string; body: unknown[]; actions?: unknown[] } & Record<string, unknown>;

export const CARD_TEMPLATES = [
  'welcome',
  'help',
  'question',
  'cause',
  'choices',
  'rating',
  'offer',
  'ticket',
  'pickSymptom',
  'startFlow',
  'answered',
  'incident',
] as const;
export type CardTemplate = (typeof CARD_TEMPLATES)[number];

const templates = new Map<CardTemplate, ACData.Template>();

function template(name: CardTemplate): ACData.Template {
  let tpl = templates.get(name);
  if (!tpl) {
    tpl = new ACData.Template(JSON.parse(fs.readFileSync(fromRoot('cards', 'templates', `${name}.json`), 'utf8')));
    templates.set(name, tpl);
  }
  return tpl;
}

/** Stands for the diagnostic record id in card data, so that one expanded card serves every user. */
const RECORD = '@@record@@';
/** Expanded cards by template and data (ticket cards, different every time, are not kept), split at RECORD. */
const expanded = new Map<string, string[]>();
const MAX_EXPANDED = 1000;

/**
 * Binds a template to its data. Templating is the costliest part of building a card, and the same question or cause
 * card in the same language is the same for every user but for the record id in its buttons: such cards are
 * expanded once with RECORD in the data, and each user's id is put in its place.
 */
export function expand(name: CardTemplate, data: Record<string, unknown>, record?: string): AdaptiveCardJson {
  if (name === 'ticket') return template(name).expand({ $root: data }) as AdaptiveCardJson;
  const key = `${name}\u0000${JSON.stringify(data)}`;
  let parts = expanded.get(key);
  if (!parts) {
    parts = JSON.stringify(template(name).expand({ $root: data })).split(RECORD);
    if (expanded.size >= MAX_EXPANDED) expanded.delete(expanded.keys().next().value!);
    expanded.set(key, parts);
  }
  return JSON.parse(parts.join(JSON.stringify(record ?? '').slice(1, -1))) as AdaptiveCardJson;
}

/** The first message: for an employee, what the bot does for them; for a helpdesk agent, what they get and can run. */
export function welcomeCard(t: Translate, role: Role = 'user'): AdaptiveCardJson {
  const agent = role === 'agent';
  return expand('welcome', {
    title: t(agent ? 'welcome.agentTitle' : 'welcome.title'),
    body: t(agent ? 'welcome.agentBody' : 'welcome.body'),
    examplesTitle: t('welcome.examplesTitle'),
    examples: ['example1', 'example2', 'example3'].map((k) => ({
      text: t(`welcome.${k}`),
      data: action({ action: 'say', text: t(`welcome.${k}`) }),
    })),
    languages: t('welcome.languages'),
  });
}

/** What can be typed at any point; the helpdesk's own commands only for an agent (an employee can't use them). */
export function helpCard(t: Translate, role: Role = 'user'): AdaptiveCardJson {
  const lines = ['commandHelp', 'commandRestart', 'commandCancel', 'commandPerson', 'commandLanguage'];
  if (role === 'agent') lines.push('commandAgent');
  return expand('help', {
    title: t('help.title'),
    body: t('help.body'),
    commands: lines.map((k) => ({ line: t(`help.${k}`) })),
    showTopics: t('help.showTopics'),
    menuData: action({ action: 'menu' }),
  });
}

/**
 * A question's wording for who is asked: an employee gets the words of their own situation where the locale has
 * them ("Is this iPhone/iPad your own, or one the company gave you?"), an agent the articles' terms.
 */
export function questionWording(
  t: Translate,
  question: Question,
  role: Role = 'agent',
): { prompt: string; label: (answer: string) => string } {
  const base = `knowledge:questions.${question.id}`;
  const employee = `questions.employee.${question.id}`;
  const own = (key: string): string | undefined => {
    if (role !== 'user') return undefined;
    const text = t(`${employee}.${key}`, { defaultValue: '' });
    return text || undefined;
  };
  return {
    prompt: own('prompt') ?? t(`${base}.prompt`),
    label: (answer) => own(`answers.${answer}`) ?? t(`${base}.answers.${answer}`),
  };
}

export function questionCard(
  t: Translate,
  question: Question,
  index: number,
  total: number,
  record: string,
  role?: Role,
): AdaptiveCardJson {
  const wording = questionWording(t, question, role);
  const answers = [...question.answers, DONT_KNOW].map((id) => ({
    label: wording.label(id),
    data: action({ action: 'answer', question: question.id, answer: id, record: RECORD }),
  }));
  return expand(
    'question',
    {
      progress: t('questions.progress', { current: index, total }),
      prompt: wording.prompt,
      hint: question.answers.length === 0 ? t('questions.freeTextHint') : '',
      buttons: answers,
    },
    record,
  );
}

export interface CauseCardInput {
  symptom: SymptomId;
  cause: string;
  /** 1-based position of this cause in the plan, and the plan's length. */
  position: number;
  total: number;
  record: string;
  locale: string;
  /** Who reads the card: an employee (the default) or a helpdesk agent. */
  role?: Role;
  /** The answers so far: of steps that are alternatives (by MDM authority), the one that applies. */
  answers?: DiagnosticRecord['answers'];
  /**
   * The symptom the user reported, when this cause is a related symptom's (Company Portal unavailable → the device
   * limit): "What you see" stays what they see.
   */
  reported?: SymptomId;
}

/** Which parts and buttons a cause card shows its reader: one place for the card and for reading typed replies. */
function causeLayout(input: CauseCardInput) {
  const symptom = getSymptom(input.symptom);
  const cause = symptom?.causes.find((c) => c.id === input.cause);
  if (!symptom || !cause) throw new Error(`Unknown cause ${input.symptom}/${input.cause}`);
  const agent = input.role === 'agent';
  const kind = causeKind(cause);
  const adminOnly = !agent && kind === 'admin-only';
  return {
    symptom,
    cause,
    agent,
    kind,
    adminOnly,
    handoffFirst: adminOnly,
    handoffLast: !agent && kind === 'mixed',
    showOutcomes: !adminOnly,
    showNotFixed: !adminOnly || input.position < input.total,
    showPerson: agent || kind === 'user-fixable',
  };
}

/** What a cause card's button stands for: an outcome, or the handoff to IT. */
export type CauseButton = 'fixed' | 'not-fixed' | 'person' | 'handoff';

/** The buttons of a cause card, in the card's order, with their labels in the reader's language. */
export function causeButtons(t: Translate, input: CauseCardInput): { label: string; button: CauseButton }[] {
  const l = causeLayout(input);
  const out: { label: string; button: CauseButton }[] = [];
  if (l.handoffFirst) out.push({ label: t('cause.handoff'), button: 'handoff' });
  if (l.showOutcomes) out.push({ label: t('cause.fixed'), button: 'fixed' });
  if (l.showNotFixed) out.push({ label: t(l.adminOnly ? 'cause.nextPossible' : 'cause.notFixed'), button: 'not-fixed' });
  if (l.showPerson) out.push({ label: t('cause.person'), button: 'person' });
  if (l.handoffLast) out.push({ label: t('cause.handoff'), button: 'handoff' });
  return out;
}

/** Whether the card gives the reader nothing to try: only IT can fix it, and the handoff is what it offers. */
export const isHandoffCard = (input: CauseCardInput): boolean => causeLayout(input).adminOnly;

/**
 * The card's cautions for its reader (what a step risks, e.g. that a restore erases the device) with its links (the
 * Apple backup guide), as one short markdown text; empty when the card warns of nothing (a link alone is no caution).
 */
export function causeCaution(t: Translate, input: CauseCardInput): string {
  const { symptom, cause, agent, adminOnly } = causeLayout(input);
  if (adminOnly) return '';
  const k = `knowledge:causes.${symptom.id}.${cause.id}`;
  const links = loadCatalog().links;
  const reads = (by: Reader): boolean => agent || by !== 'admin';
  const warnings = cause.warnings.filter((w) => reads(w.by)).map((w) => t(`${k}.warnings.${w.id}`));
  if (warnings.length === 0) return '';
  const linked = cause.links.filter((l) => links[l] && reads(links[l].by)).map((l) => `[${t(`knowledge:links.${l}`)}](${links[l]!.url})`);
  return [...warnings, ...linked].join('\n\n');
}

/** One part of a cause card as its reader sees it: a step line ("1. …"), a note, what IT does, or a link. */
export interface CausePart {
  kind: 'step' | 'note' | 'it' | 'link';
  /** The part as markdown, as the card shows it (a link as [label](url)). */
  text: string;
  /** The words it is known by: the text, or a link's label. */
  words: string;
}

/** The parts of a cause card for its reader, in the card's order: what a question about the steps may be about. */
export function causeParts(t: Translate, input: CauseCardInput): CausePart[] {
  const { symptom, cause, agent, kind, adminOnly } = causeLayout(input);
  if (adminOnly) return [];
  const k = `knowledge:causes.${symptom.id}.${cause.id}`;
  const links = loadCatalog().links;
  const reads = (by: Reader): boolean => agent || by !== 'admin';
  const steps = cause.steps.filter((s) => agent || s.by === 'employee');
  const parts: CausePart[] = stepLines(t, [symptom.id, cause.id], steps, agent, input.answers).map(({ text }) => ({
    kind: 'step',
    text,
    words: text,
  }));
  for (const n of cause.notes.filter((n) => reads(n.by))) {
    const text = t(`${k}.notes.${n.id}`);
    parts.push({ kind: 'note', text, words: text });
  }
  if (!agent && kind !== 'user-fixable') parts.push({ kind: 'it', text: t(`${k}.itDoes`), words: t(`${k}.itDoes`) });
  for (const l of cause.links.filter((l) => links[l] && reads(links[l].by))) {
    const label = t(`knowledge:links.${l}`);
    parts.push({ kind: 'link', text: `[${label}](${links[l]!.url})`, words: label });
  }
  return parts;
}

/**
 * A cause as a card, for who is reading it. An agent gets every step, note, warning and link (admin portals too).
 * An employee gets what they can do on their own device; where only IT can fix it, that plainly, in their terms, with
 * what IT will do and the handoff to the helpdesk on the card itself (first, when nothing is left for them to try).
 */
export function causeCard(t: Translate, input: CauseCardInput): AdaptiveCardJson {
  const { symptom, cause, agent, kind, adminOnly, handoffFirst, handoffLast, showOutcomes, showNotFixed, showPerson } = causeLayout(input);
  const k = `knowledge:causes.${symptom.id}.${cause.id}`;
  const links = loadCatalog().links;
  const reads = (by: Reader): boolean => agent || by !== 'admin';
  const steps = adminOnly ? [] : cause.steps.filter((s) => agent || s.by === 'employee');
  const buttonIds = { symptom: symptom.id, cause: cause.id, record: RECORD };
  const seen = (input.reported && getSymptom(input.reported)) || symptom;
  return expand(
    'cause',
    {
      symptomTitle: t(`knowledge:symptoms.${symptom.id}.title`),
      progress: t('cause.progress', { current: input.position, total: input.total }),
      seenLabel: t('cause.seenLabel'),
      seen: t(`knowledge:symptoms.${seen.id}.seen`),
      seenFont: seen.seenKind === 'error-text' ? 'Monospace' : 'Default',
      causeLabel: t('cause.causeLabel'),
      causeTitle: t(`${k}.title`),
      explanation: agent || kind === 'user-fixable' ? t(`${k}.explanation`) : t(`${k}.problem`),
      warnings: adminOnly
        ? []
        : cause.warnings.filter((w) => reads(w.by)).map((w) => ({ label: t('cause.warningsLabel'), text: t(`${k}.warnings.${w.id}`) })),
      stepsLabel: t('cause.stepsLabel'),
      steps: stepLines(t, [symptom.id, cause.id], steps, agent, input.answers),
      itPart: !agent && kind !== 'user-fixable',
      itLabel: t(kind === 'admin-only' ? 'cause.onlyIt' : 'cause.onlyItAfter'),
      itDoes: kind === 'user-fixable' ? '' : t(`${k}.itDoes`),
      notesLabel: t('cause.notesLabel'),
      notes: adminOnly ? [] : cause.notes.filter((n) => reads(n.by)).map((n) => ({ text: t(`${k}.notes.${n.id}`) })),
      links: [
        ...cause.links.filter((l) => links[l] && reads(links[l].by)).map((l) => ({ label: t(`knowledge:links.${l}`), url: links[l]!.url })),
        ...(adminOnly ? [] : [{ label: t('knowledge:article'), url: articleUrl(input.locale, symptom) }]),
      ],
      handoffLabel: t('cause.handoff'),
      handoffFirst,
      handoffLast,
      showOutcomes,
      showNotFixed,
      notFixedLabel: t(adminOnly ? 'cause.nextPossible' : 'cause.notFixed'),
      showPerson,
      fixedLabel: t('cause.fixed'),
      personLabel: t('cause.person'),
      fixedData: action({ action: 'outcome', outcome: 'fixed', ...buttonIds }),
      notFixedData: action({ action: 'outcome', outcome: 'not-fixed', ...buttonIds }),
      personData: action({ action: 'outcome', outcome: 'person', ...buttonIds }),
      handoffData: action({ action: 'person', record: RECORD, symptom: symptom.id, cause: cause.id }),
    },
    input.record,
  );
}

/**
 * Numbered step lines. Steps that are alternatives (one per MDM authority): the one that applies when the answer is
 * known; otherwise all of them under one number, labelled as alternatives.
 */
function stepLines(
  t: Translate,
  [symptom, cause]: [string, string],
  steps: Step[],
  agent: boolean,
  answers: CauseCardInput['answers'] = {},
): { text: string }[] {
  const lines: { text: string }[] = [];
  let n = 0;
  let inAlternatives = false;
  for (const s of steps) {
    const text = t(`knowledge:${stepTextKey(symptom, cause, s, agent)}`);
    const [question, value] = Object.entries(s.when ?? {})[0] ?? [];
    if (!question) {
      inAlternatives = false;
      lines.push({ text: `${++n}. ${text}` });
      continue;
    }
    const known = answers[question as keyof typeof answers]?.value;
    const chosen = known !== undefined && steps.some((o) => o.when?.[question as keyof typeof o.when] === known);
    if (chosen) {
      if (value === known) lines.push({ text: `${++n}. ${text}` });
      continue;
    }
    if (!inAlternatives) lines.push({ text: `${++n}. ${t('cause.alternatives')}` });
    inAlternatives = true;
    lines.push({ text: `- ${text}` });
  }
  return lines;
}

/*
 * The question and choices templates put each button in an ActionSet of its own: side by side, Teams cuts long
 * button titles ("A netwo…"), which makes symptom and answer buttons unreadable (seen in the card gallery). A column
 * of full-width buttons stays readable in every language.
 */
const symptomButton = (t: Translate, id: SymptomId): { title: string; data: CardAction } => ({
  title: t(`knowledge:symptoms.${id}.title`),
  data: action({ action: 'choose-symptom', symptom: id }),
});

/** "Did you mean…?": the candidate symptoms as buttons, plus "something else". */
export function didYouMeanCard(t: Translate, candidates: SymptomId[]): AdaptiveCardJson {
  return expand('choices', {
    title: t('recognize.didYouMeanTitle'),
    body: t('recognize.didYouMeanBody'),
    groups: [{ label: '', buttons: candidates.map((id) => symptomButton(t, id)) }],
    extra: [{ title: t('recognize.somethingElse'), data: action({ action: 'something-else' }) }],
  });
}

/** Every symptom the bot covers, grouped (error messages / ADE / other), plus "talk to a person". */
export function menuCard(
  t: Translate,
  title = t('recognize.menuTitle'),
  body = t('recognize.menuBody'),
  offerPerson = true,
): AdaptiveCardJson {
  const catalog = loadCatalog();
  return expand('choices', {
    title,
    body,
    groups: catalog.groups.map((g) => ({
      label: t(`knowledge:groups.${g}`),
      buttons: catalog.symptoms.filter((s) => s.group === g).map((s) => symptomButton(t, s.id)),
    })),
    extra: offerPerson ? [{ title: t('cause.person'), data: action({ action: 'escalate' }) }] : [],
  });
}

export function ratingCard(t: Translate, record: string): AdaptiveCardJson {
  return expand(
    'rating',
    {
      fixed: t('outcome.fixed'),
      title: t('outcome.rateTitle'),
      ratings: [1, 2, 3, 4, 5].map((rating) => ({
        label: `${'★'.repeat(rating)} ${t(`outcome.rate${rating}`)}`,
        data: action({ action: 'rate', rating, record: RECORD }),
      })),
    },
    record,
  );
}

export function offerPersonCard(
  t: Translate,
  record: string,
  title = t('cause.allTried'),
  body = t('cause.offerPerson'),
  yes = t('cause.person'),
): AdaptiveCardJson {
  return expand(
    'offer',
    {
      title,
      body,
      yes,
      no: t('cause.noThanks'),
      yesData: action({ action: 'person', record: RECORD }),
      noData: action({ action: 'decline-person', record: RECORD }),
    },
    record,
  );
}

/** A message with buttons: titled buttons (grouped) and extra actions, each an Action.Submit. */
export function choicesCard(
  title: string,
  body: string,
  groups: { label: string; buttons: { title: string; data: CardAction }[] }[],
  extra: { title: string; data: CardAction }[],
): AdaptiveCardJson {
  return expand('choices', { title, body, groups, extra });
}

/** Task module of the messaging extension: the agent picks the symptom whose guided flow to drop into the chat. */
export function pickSymptomCard(t: Translate): AdaptiveCardJson {
  return expand('pickSymptom', {
    title: t('extension.pickTitle'),
    label: t('extension.pickLabel'),
    required: t('extension.required'),
    submit: t('extension.submit'),
    symptoms: loadCatalog().symptoms.map((s) => ({ id: s.id, title: t(`knowledge:symptoms.${s.id}.title`) })),
  });
}

/** The card an agent drops into a chat: whoever presses it gets that guided flow, in their own language. */
export function startFlowCard(t: Translate, symptom: SymptomId): AdaptiveCardJson {
  return expand('startFlow', {
    title: t('extension.cardTitle', { title: t(`knowledge:symptoms.${symptom}.title`) }),
    body: t('extension.cardBody'),
    start: t('extension.start'),
    symptom,
  });
}
