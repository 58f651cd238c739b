import { Activity, Attachment, CardFactory, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { AdaptiveCardJson } from '../cards';
import type { EvidenceSource } from '../src/core/diagnostics/evidence';
import { DiagnosticRecord } from '../src/core/diagnostics/record';
import { EscalationService } from '../src/core/escalation/service';
import { TranscriptEntry } from '../src/core/escalation/ticket';
import { resolveLocale, Translate, translator } from '../src/core/knowledge/locales';
import { SymptomRecognizer } from '../src/core/nlu/recognizer';

/** What the bot keeps per conversation. */
export interface ConversationData {
  /** The current (or last) troubleshooting case of this conversation. */
  record?: DiagnosticRecord;
  /** Earlier cases of this conversation, newest last (at most 5). */
  history?: DiagnosticRecord[];
  /** Messages in a row the bot could not match to a symptom. */
  misunderstood?: number;
  /** True while a "did you mean…?" card waits for the user's choice. */
  awaitingChoice?: boolean;
  /** The last messages of the conversation, both ways; travels with an escalation. */
  transcript?: TranscriptEntry[];
}

/** What the bot keeps per user. */
export interface UserProfile {
  /** A language the user chose explicitly in the chat; wins over the Teams client's locale. */
  locale?: string;
}

/** The services every dialog needs. */
export interface BotServices {
  recognizer: SymptomRecognizer;
  conversationData: StatePropertyAccessor<ConversationData>;
  userProfile: StatePropertyAccessor<UserProfile>;
  escalation: EscalationService;
  /** Called after a ticket is created or changed: starts background delivery (never awaited by the turn). */
  onTicketChange?: () => void;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** Evidence from the tenant (GRAPH_EVIDENCE=on): checks the likely causes before anyone is asked. */
  evidence?: EvidenceSource;
  /** Optional observer for metrics: recognitions and how flows end. */
  events?: { recognized(intent: string): void; outcome(kind: 'fixed' | 'escalated' | 'abandoned'): void };
}

const LOCALE_KEY = Symbol('locale');

/** The locale of this turn: the user's explicit choice, else the Teams activity's locale, else English. */
export async function establishLocale(context: TurnContext, services: BotServices): Promise<string> {
  const profile = await services.userProfile.get(context, {});
  const locale = resolveLocale(profile.locale ?? context.activity.locale);
  context.turnState.set(LOCALE_KEY, locale);
  return locale;
}

export function turnLocale(context: TurnContext): string {
  return (context.turnState.get(LOCALE_KEY) as string | undefined) ?? resolveLocale(context.activity.locale);
}

export function setTurnLocale(context: TurnContext, locale: string): void {
  context.turnState.set(LOCALE_KEY, locale);
}

export const t = (context: TurnContext): Translate => translator(turnLocale(context));

export function cardActivity(card: AdaptiveCardJson, text?: string): Partial<Activity> {
  const attachment: Attachment = CardFactory.adaptiveCard(card);
  return { type: 'message', attachments: [attachment], ...(text ? { text } : {}) };
}

/** The data of a card button press (Action.Submit), if this activity is one. */
export interface SubmitData {
  action?: unknown;
  [k: string]: unknown;
}

export function submitData(context: TurnContext): SubmitData | undefined {
  const v: unknown = context.activity.value;
  if (context.activity.type !== 'message' || !v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const data = v as SubmitData;
  // Teams wraps Action.Submit data with msteams properties in some clients; the action id stays at the top.
  return typeof data.action === 'string' ? data : { ...data, action: undefined };
}

export const messageText = (context: TurnContext): string =>
  (typeof context.activity.text === 'string' ? context.activity.text : '').trim();

/** A waterfall's per-instance scratch values. */
export const vals = (step: { values: object }): Record<string, unknown> => step.values as Record<string, unknown>;
