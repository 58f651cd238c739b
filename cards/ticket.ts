import { DONT_KNOW, getQuestion, loadCatalog, QuestionId } from '../src/core/knowledge/catalog';
import { isInferred } from '../src/core/diagnostics/record';
import { Translate } from '../src/core/knowledge/locales';
import { Ticket } from '../src/core/escalation/ticket';
import { evidenceFacts } from './evidence';
import { AdaptiveCardJson, expand } from './index';

const STATUS_COLOR = { open: 'Attention', assigned: 'Accent', resolved: 'Good' } as const;
const TRANSCRIPT_LINES = 8;
/** Teams shows a per-user view (refresh.userIds) to at most this many users of one card. */
export const MAX_REFRESH_USERS = 60;

/** Teams deep link to a 1:1 chat with the requester: Teams takes the user's UPN there (no link without it). */
export function chatDeepLink(ticket: Ticket): string {
  const user = ticket.requester.upn;
  return user ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(user)}` : '';
}

/** Who a new ticket alerts in the helpdesk channel: a Teams tag (HELPDESK_TAG), or the channel itself. */
export type HelpdeskAlert = { kind: 'tag'; id: string; name: string } | { kind: 'channel'; id: string; name: string };

export interface TicketCardOptions {
  /** Mentioned on the card while the ticket waits for an agent (open). */
  alert?: HelpdeskAlert;
  /**
   * The agent this card is for (the refresh answer: a per-user view). Without one, the card everyone sees until
   * Teams fetches their own view: every button an agent may need.
   */
  viewer?: string;
  /** The helpdesk members Teams fetches a per-user view for (see refreshUsers). */
  refreshUserIds?: string[];
}

/**
 * Who gets a per-user view of a ticket's card: the assignee first, then the other helpdesk members in roster
 * order, at most MAX_REFRESH_USERS (Teams' limit). Members beyond it see the shared card.
 */
export function refreshUsers(ticket: Ticket, members: string[]): string[] {
  const first = [ticket.assignee?.id, ticket.resolution?.by.id].filter((x): x is string => !!x);
  return [...new Set([...first, ...members])].slice(0, MAX_REFRESH_USERS);
}

type Buttons = { canAssign: boolean; canResolve: boolean; canRelease: boolean; canReopen: boolean };

/**
 * The buttons a viewer gets. An open ticket: "Assign to me" (and, on the shared card, "Resolve"). Assigned: its
 * assignee resolves it or gives it back ("Unassign me": open again, so a colleague can take it); the other agents
 * get no buttons, since a ticket has one owner and nobody takes it from them (they talk to the assignee, who gives
 * it back). Resolved: "Reopen", for any agent.
 */
function buttonsFor(ticket: Ticket, viewer: string | undefined): Buttons {
  const status = ticket.status;
  if (viewer === undefined) {
    return { canAssign: status === 'open', canResolve: status !== 'resolved', canRelease: false, canReopen: status === 'resolved' };
  }
  const holds = status === 'assigned' && ticket.assignee?.id === viewer;
  return { canAssign: status === 'open', canResolve: holds, canRelease: holds, canReopen: status === 'resolved' };
}

/** An ISO time as the card shows it: "2026-01-31 09:05 UTC". */
const utc = (iso: string): string => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

type MentionEntity = { type: 'mention'; text: string; mentioned: Record<string, string> };

export function alertMention(alert: HelpdeskAlert): MentionEntity {
  const text = `<at>${alert.name}</at>`;
  return alert.kind === 'tag'
    ? { type: 'mention', text, mentioned: { id: alert.id, name: alert.name, type: 'tag' } }
    : {
        type: 'mention',
        text,
        mentioned: {
          id: alert.id,
          displayName: alert.name,
          conversationIdentityType: 'channel',
          'conversationIdentityType@odata.type': '#Microsoft.Teams.GraphSvc.conversationIdentityType',
        },
      };
}

/**
 * The ticket card posted to the helpdesk channel, in HELPDESK_LOCALE, with the agents' Universal Actions. An open
 * ticket mentions the helpdesk (options.alert); an assigned one mentions its assignee.
 */
export function ticketCard(t: Translate, ticket: Ticket, options: TicketCardOptions = {}): AdaptiveCardJson {
  const r = ticket.record;
  const answerText = (q: string, value: string): string => {
    const question = getQuestion(q);
    if (!question) return value;
    if (value === DONT_KNOW || question.answers.includes(value)) return t(`knowledge:questions.${q}.answers.${value}`);
    return value;
  };
  const markInferred = (q: QuestionId, v: string): string => (isInferred(r.answers[q]) ? t('questions.inferred', { value: v }) : v);
  // What people typed (names, free-text answers, their words, the transcript) is shown as TextRuns, which Teams
  // never renders as markdown; FactSet values and TextBlocks do, so only the catalog's own texts go there.
  const answered = loadCatalog().questions.filter((q) => r.answers[q.id]);
  const isClosed = (q: string, value: string): boolean => value === DONT_KNOW || !!getQuestion(q)?.answers.includes(value);
  const facts = [
    { title: t('ticket.language'), value: ticket.requester.locale },
    { title: t('ticket.symptom'), value: r.symptom ? t(`knowledge:symptoms.${r.symptom}.title`) : t('ticket.notRecognized') },
    ...(ticket.incidentId ? [{ title: t('ticket.incident'), value: ticket.incidentId }] : []),
    ...answered
      .filter((q) => isClosed(q.id, r.answers[q.id]!.value))
      .map((q) => ({
        title: t(`knowledge:questions.${q.id}.prompt`),
        value: markInferred(q.id, answerText(q.id, r.answers[q.id]!.value)),
      })),
    ...evidenceFacts(t, r.evidence),
    { title: t('ticket.created'), value: utc(ticket.createdAt) },
  ];
  const typedFacts = [
    { title: t('ticket.requester'), value: ticket.requester.name },
    ...answered
      .filter((q) => !isClosed(q.id, r.answers[q.id]!.value))
      .map((q) => ({ title: t(`knowledge:questions.${q.id}.prompt`), value: r.answers[q.id]!.value.slice(0, 1000) })),
    // The Configuration Manager version an agent gave with the MDM authority.
    ...(r.answers['mdm-authority']?.value === 'configmgr' && r.answers['mdm-authority'].raw
      ? [{ title: t('questions.configmgrVersionLabel'), value: r.answers['mdm-authority'].raw.slice(0, 100) }]
      : []),
  ].map((f) => ({ title: `${f.title}: `, value: f.value }));
  const words = [
    ...[r.description, ticket.description].filter((w): w is string => !!w).map((text) => ({ text: text.slice(0, 1000) })),
    // Added from the chat after the ticket was made, each with its time.
    ...(ticket.requesterNotes ?? []).map((n) => ({ text: `${t('ticket.requesterNote', { at: utc(n.at) })} ${n.text.slice(0, 1000)}` })),
  ];
  const causes = r.attempts.length
    ? r.attempts.map((a) => ({
        text: `• ${t(`knowledge:causes.${a.symptom}.${a.cause}.title`)}: ${t(`ticket.outcome.${a.before ? 'before' : a.outcome}`)}${a.reportedFixedAt ? ` ${t('ticket.reportedFixedFirst', { at: utc(a.reportedFixedAt) })}` : ''}`,
      }))
    : [{ text: t('ticket.noCauses') }];
  const transcript = ticket.transcript
    .slice(-TRANSCRIPT_LINES)
    .map((e) => ({ text: `${e.from === 'user' ? '👤' : '🤖'} ${e.text.replace(/\s+/g, ' ').slice(0, 160)}` }));
  const status = ticket.status;
  const mentions: MentionEntity[] = [];
  let alertText = '';
  if (status === 'open' && options.alert) {
    const mention = alertMention(options.alert);
    mentions.push(mention);
    alertText = `🔔 ${mention.text} ${t('ticket.newTicket')}`;
  }
  let assignment = '';
  if (ticket.assignee && status !== 'open') {
    const text = `<at>${ticket.assignee.name}</at>`;
    mentions.push({ type: 'mention', text, mentioned: { id: ticket.assignee.id, name: ticket.assignee.name } });
    assignment = t('ticket.assignedTo', { name: text });
  }
  return expand('ticket', {
    id: ticket.id,
    symptomTitle: r.symptom ? t(`knowledge:symptoms.${r.symptom}.title`) : t('ticket.notRecognized'),
    statusLabel: t(`ticket.status.${status}`),
    statusColor: STATUS_COLOR[status],
    assignment,
    alertText,
    mentions,
    facts,
    typedFacts,
    wordsLabel: t('ticket.words'),
    words: words.length ? words : [{ text: '–' }],
    causesLabel: t('ticket.causes'),
    causes,
    transcriptLabel: t('ticket.transcript'),
    transcript: transcript.length ? transcript : [{ text: '–' }],
    // A ticket the requester cancelled says so (the line below); its note is in their language, not the helpdesk's.
    resolution:
      ticket.resolution && ticket.requesterUpdate?.kind !== 'withdrawn'
        ? t('ticket.resolution', { name: ticket.resolution.by.name, note: ticket.resolution.note })
        : '',
    requesterUpdate: ticket.requesterUpdate
      ? t(ticket.requesterUpdate.kind === 'works' ? 'ticket.requesterWorks' : 'ticket.requesterWithdrew', {
          name: ticket.requester.name,
          at: utc(ticket.requesterUpdate.at),
        })
      : '',
    ...buttonsFor(ticket, options.viewer),
    assignLabel: t('ticket.assign'),
    resolveLabel: t('ticket.resolve'),
    noteLabel: t('ticket.note'),
    noteRequired: t('ticket.noteRequired'),
    reopenLabel: t('ticket.reopen'),
    releaseLabel: t('ticket.release'),
    chatLabel: t('ticket.chat'),
    chatUrl: chatDeepLink(ticket),
    refreshUserIds: options.refreshUserIds ?? refreshUsers(ticket, []),
  });
}

/** The ticket in a few plain-text lines, for the ITSM webhook (what users typed is carried as is, never as markup). */
export function ticketSummary(t: Translate, ticket: Ticket): { title: string; text: string } {
  const symptom = ticket.record.symptom ? t(`knowledge:symptoms.${ticket.record.symptom}.title`) : t('ticket.notRecognized');
  const words = [ticket.record.description, ticket.description].filter((w): w is string => !!w);
  return {
    title: `${ticket.id} · ${symptom}`,
    text: [
      `${t('ticket.requester')}: ${ticket.requester.name}`,
      ...words.map((w) => `${t('ticket.words')}: ${w}`),
      ...(ticket.requesterNotes ?? []).map((n) => `${t('ticket.requesterNote', { at: utc(n.at) })} ${n.text}`),
    ].join('\n'),
  };
}
