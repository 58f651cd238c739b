import { DiagnosticRecord } from '../src/core/diagnostics/record';
import { Ticket } from '../src/core/escalation/ticket';
import { translator } from '../src/core/knowledge/locales';

/** A realistic escalation: Ana (Spanish) could not enroll her iPhone, two causes were tried, then she asked for a person. */
export function sampleTicket(): Ticket {
  const es = translator('es');
  const at = (minute: number): string => `2026-03-02T09:${String(minute).padStart(2, '0')}:00Z`;
  const record: DiagnosticRecord = {
    id: 'mc1q2w3e-4r5t6y',
    role: 'user',
    locale: 'es',
    startedAt: at(12),
    description: 'Al inscribir el iPhone en Portal de empresa sale "No se pudo establecer una conexión con el servidor"',
    symptom: 'server-connection-failed',
    answers: {
      'error-message': { value: 'No se pudo establecer una conexión con el servidor.', source: 'message', at: at(12) },
      'error-location': { value: 'company-portal-app', source: 'question', at: at(13) },
      platform: { value: 'ios', source: 'message', at: at(12) },
      'users-affected': { value: 'one', source: 'question', at: at(13) },
      'enrollment-method': { value: 'company-portal', source: 'question', at: at(14) },
    },
    attempts: [
      { symptom: 'server-connection-failed', cause: 'corporate-only', outcome: 'not-fixed', at: at(17) },
      { symptom: 'server-connection-failed', cause: 'dns-cname', outcome: 'not-fixed', at: at(21) },
    ],
    personRequested: { at: at(22), reason: 'asked' },
    ticketId: 'IOS-48213377',
  };
  const title = es('knowledge:symptoms.server-connection-failed.title');
  return {
    id: 'IOS-48213377',
    status: 'open',
    version: 1,
    requester: {
      id: '29:1a2b3c',
      name: 'Ana García',
      aadObjectId: '6f1c2d3e-0000-4a5b-8c9d-1e2f3a4b5c6d',
      upn: 'ana.garcia@contoso.example',
      locale: 'es',
    },
    requesterConversation: {},
    record,
    description: 'Es mi iPhone de trabajo, el de mi compañera sí se inscribió ayer. Viajo mañana y necesito el correo.',
    transcript: [
      { from: 'user', text: record.description!, at: at(12) },
      { from: 'bot', text: es('recognize.recognized', { title }), at: at(12) },
      { from: 'bot', text: es('knowledge:questions.error-location.prompt'), at: at(13) },
      { from: 'user', text: es('knowledge:questions.error-location.answers.company-portal-app'), at: at(13) },
      { from: 'bot', text: `${title} · ${es('knowledge:causes.server-connection-failed.corporate-only.title')}`, at: at(15) },
      { from: 'user', text: es('cause.notFixed'), at: at(17) },
      { from: 'bot', text: `${title} · ${es('knowledge:causes.server-connection-failed.dns-cname.title')}`, at: at(18) },
      { from: 'user', text: es('cause.person'), at: at(22) },
    ],
    history: [{ at: at(23), status: 'open' }],
    createdAt: at(23),
    updatedAt: at(23),
  };
}
