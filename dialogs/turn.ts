import { Activity, Attachment, CardFactory, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { AdaptiveCardJson } from '../cards';
import { readAction, ReadAction } from '../cards/actions';
import type { EvidenceSource } from '../src/core/diagnostics/evidence';
import { DiagnosticRecord } from '../src/core/diagnostics/record';
import type { Incidents } from '../src/core/escalation/incidents';
import { EscalationService } from '../src/core/escalation/service';
import { TranscriptEntry } from '../src/core/escalation/ticket';
import { resolveLocale, Translate, translator } from '../src/core/knowledge/locales';
import { SymptomRecognizer } from '../src/core/nlu/recognizer';

/** What the bot keeps per conversation. */
/** A dialog that ends because the message was not for it (rating, a declined offer): the router reads it as a new one. */
export interface PassOnResult {
  passOn?: boolean;
}

export interface ConversationData {
  /** The current (or last) troubleshooting case of this conversation. */
  record?: DiagnosticRecord;
  /** Earlier cases of this conversation, newest last (at most 5). */
  history?: DiagnosticRecord[];
  /** Messages in a row the bot could not match to a symptom. */
  misunderstood?: number;
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
  /** Deletes one user's data on an agent's request (their state, reference, 1:1 chat and tickets). */
  personalData?: { forgetUser(userId: string): Promise<{ items: number; tickets: number }> };
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** Evidence from the tenant (GRAPH_EVIDENCE=on): checks the likely causes before anyone is asked. */
  evidence?: EvidenceSource;
  /** Tenant-wide incidents (an expired Apple MDM push certificate or ADE token): reported from the evidence. */
  incidents?: Incidents;
  /** Optional observer for metrics: recognitions and how flows end. */
  events?: {
    recognized(intent: string): void;
    outcome(kind: 'fixed' | 'escalated' | 'abandoned'): void;
    /** A message that started no flow: about something the bot does not cover, or not understood at all. */
    unmatched(kind: 'out-of-scope' | 'not-understood'): void;
  };
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

/** The card button pressed, if this message is a press (Action.Submit) rather than typed text. */
export function pressed(context: TurnContext): ReadAction | undefined {
  const v: unknown = context.activity.value;
  if (context.activity.type !== 'message' || v === undefined || v === null) return undefined;
  return readAction(v);
}

export const messageText = (context: TurnContext): string =>
  (typeof context.activity.text === 'string' ? context.activity.text : '').trim();

/** A waterfall's scratch values (kept between its steps), typed per waterfall. */
export const scratch = <T extends object>(step: { values: object }): Partial<T> => step.values as Partial<T>;

/** A case of this conversation by its id: the current one or an earlier one (a rating on an older card). */
export function findRecord(conv: ConversationData, id: unknown): DiagnosticRecord | undefined {
  if (typeof id !== 'string') return undefined;
  return [conv.record, ...(conv.history ?? [])].find((r) => r?.id === id);
}
