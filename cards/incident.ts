import { Incident } from '../src/core/escalation/incident';
import { Translate } from '../src/core/knowledge/locales';
import { AdaptiveCardJson, expand } from './index';
import { alertMention, HelpdeskAlert } from './ticket';

const utc = (iso: string): string => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

/**
 * The warning card of a tenant-wide incident (an Apple MDM push certificate or ADE token expiring or expired),
 * posted once per stage to the helpdesk channel in HELPDESK_LOCALE: what, when, what it does to enrollment,
 * where to renew it. The helpdesk (tag or channel) is mentioned like on a new ticket.
 */
export function incidentCard(t: Translate, incident: Incident, options: { alert?: HelpdeskAlert } = {}): AdaptiveCardJson {
  const date = incident.expiresAt.slice(0, 10);
  const event = incident.events.find((e) => e.stage === incident.stage);
  const mention = options.alert ? alertMention(options.alert) : undefined;
  return expand('incident', {
    title: t(`incident.title.${incident.kind}.${incident.stage}`, { date, name: incident.name ?? '' }).replace(/\s+/g, ' '),
    color: incident.stage === 'expired' ? 'Attention' : 'Warning',
    alertText: mention ? `🔔 ${mention.text}` : '',
    mentions: mention ? [mention] : [],
    impact: t(`incident.impact.${incident.kind}.${incident.stage}`),
    where: t(`incident.where.${incident.kind}`),
    facts: [
      { title: t('incident.id'), value: incident.id },
      { title: t('incident.expires'), value: utc(incident.expiresAt) },
      ...(incident.tenantId ? [{ title: t('incident.tenant'), value: incident.tenantId }] : []),
      { title: t('incident.detected'), value: utc(event?.at ?? incident.updatedAt) },
    ],
    tickets: t('incident.tickets'),
  });
}
