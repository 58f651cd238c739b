import { DONT_KNOW, getQuestion, loadCatalog } from '../src/core/knowledge/catalog';
import { Translate } from '../src/core/knowledge/locales';
import { Ticket } from '../src/core/escalation/ticket';
import { evidenceFacts } from './evidence';
import { AdaptiveCardJson, expand } from './index';

const STATUS_COLOR = { open: 'Attention', assigned: 'Accent', resolved: 'Good' } as const;
const TRANSCRIPT_LINES = 8;

/** Teams deep link to a 1:1 chat with the requester (by AAD object id, the form Teams accepts). */
export function chatDeepLink(ticket: Ticket): string {
  const user = ticket.requester.aadObjectId;
  return user ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(user)}` : '';
}

/** The ticket card posted to the helpdesk channel, in HELPDESK_LOCALE, with the agents' Universal Actions. */
export function ticketCard(t: Translate, ticket: Ticket): AdaptiveCardJson {
  const r = ticket.record;
  const answerText = (q: string, value: string): string => {
    const question = getQuestion(q);
    if (!question) return value;
    if (value === DONT_KNOW || question.answers.includes(value)) return t(`knowledge:questions.${q}.answers.${value}`);
    return value;
  };
  const facts = [
    { title: t('ticket.requester'), value: ticket.requester.name },
    { title: t('ticket.language'), value: ticket.requester.locale },
    { title: t('ticket.symptom'), value: r.symptom ? t(`knowledge:symptoms.${r.symptom}.title`) : t('ticket.notRecognized') },
    ...loadCatalog()
      .questions.filter((q) => r.answers[q.id])
      .map((q) => ({ title: t(`knowledge:questions.${q.id}.prompt`), value: answerText(q.id, r.answers[q.id]!.value) })),
    ...evidenceFacts(t, r.evidence),
    { title: t('ticket.created'), value: ticket.createdAt.replace('T', ' ').slice(0, 16) + ' UTC' },
  ];
  const words = [r.description, ticket.description].filter((w): w is string => !!w).map((text) => ({ text: text.slice(0, 1000) }));
  const causes = r.attempts.length
    ? r.attempts.map((a) => ({ text: `• ${t(`knowledge:causes.${a.symptom}.${a.cause}.title`)}: ${t(`ticket.outcome.${a.outcome}`)}` }))
    : [{ text: t('ticket.noCauses') }];
  const transcript = ticket.transcript
    .slice(-TRANSCRIPT_LINES)
    .map((e) => ({ text: `${e.from === 'user' ? '👤' : '🤖'} ${e.text.replace(/\s+/g, ' ').slice(0, 160)}` }));
  const status = ticket.status;
  return expand('ticket', {
    id: ticket.id,
    symptomTitle: r.symptom ? t(`knowledge:symptoms.${r.symptom}.title`) : t('ticket.notRecognized'),
    statusLabel: t(`ticket.status.${status}`),
    statusColor: STATUS_COLOR[status],
    assignment: ticket.assignee && status !== 'open' ? t('ticket.assignedTo', { name: ticket.assignee.name }) : '',
    facts,
    wordsLabel: t('ticket.words'),
    words: words.length ? words : [{ text: '–' }],
    causesLabel: t('ticket.causes'),
    causes,
    transcriptLabel: t('ticket.transcript'),
    transcript: transcript.length ? transcript : [{ text: '–' }],
    resolution: ticket.resolution ? t('ticket.resolution', { name: ticket.resolution.by.name, note: ticket.resolution.note }) : '',
    canAssign: status === 'open',
    canResolve: status !== 'resolved',
    canReopen: status === 'resolved',
    assignLabel: t('ticket.assign'),
    resolveLabel: t('ticket.resolve'),
    noteLabel: t('ticket.note'),
    noteRequired: t('ticket.noteRequired'),
    reopenLabel: t('ticket.reopen'),
    chatLabel: t('ticket.chat'),
    chatUrl: chatDeepLink(ticket),
    refreshUserIds: [ticket.assignee?.id, ticket.resolution?.by.id].filter((x): x is string => !!x),
  });
}
