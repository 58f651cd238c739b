import { DiagnosticRecord } from '../diagnostics/record';
import { Outbox } from './outbox';
import { assign, Person, reopen, Requester, resolve, Ticket, TranscriptEntry, TransitionResult } from './ticket';
import { TicketStore } from './ticketStore';

export interface NewTicket {
  requester: Requester;
  requesterConversation: unknown;
  record: DiagnosticRecord;
  description?: string;
  transcript: TranscriptEntry[];
}

/**
 * Escalation: creates tickets and applies the agents' actions, and queues what must reach the outside world (the
 * helpdesk channel, the user, the ITSM webhook) in the durable outbox. Nothing here waits for the network.
 */
export class EscalationService {
  constructor(
    readonly tickets: TicketStore,
    readonly outbox: Outbox,
    private readonly options: { handoffEvent?: boolean } = {},
  ) {}

  async create(input: NewTicket, now = new Date()): Promise<Ticket> {
    const at = now.toISOString();
    const ticket = await this.tickets.create({
      status: 'open',
      version: 1,
      requester: input.requester,
      requesterConversation: input.requesterConversation,
      record: input.record,
      ...(input.description ? { description: input.description.slice(0, 4000) } : {}),
      transcript: input.transcript,
      history: [{ at, status: 'open' }],
      createdAt: at,
      updatedAt: at,
    });
    const key = (kind: string): string => `${ticket.id}:v${ticket.version}:${kind}`;
    await this.outbox.enqueue([
      { kind: 'channel-post', ticketId: ticket.id, idempotencyKey: key('channel-post') },
      { kind: 'webhook', ticketId: ticket.id, idempotencyKey: key('webhook') },
      ...(this.options.handoffEvent ? [{ kind: 'handoff' as const, ticketId: ticket.id, idempotencyKey: key('handoff') }] : []),
    ]);
    return ticket;
  }

  assign(id: string, agent: Person): Promise<TransitionResult | undefined> {
    return this.change(id, (t) => assign(t, agent), 'assigned');
  }

  resolve(id: string, agent: Person, note: string): Promise<TransitionResult | undefined> {
    return this.change(id, (t) => resolve(t, agent, note), 'resolved');
  }

  reopen(id: string, agent: Person): Promise<TransitionResult | undefined> {
    return this.change(id, (t) => reopen(t, agent), 'reopened');
  }

  private async change(
    id: string,
    apply: (t: Ticket) => TransitionResult,
    event: 'assigned' | 'resolved' | 'reopened',
  ): Promise<TransitionResult | undefined> {
    let fromVersion = -1;
    const result = await this.tickets.transition(id, (t) => {
      fromVersion = t.version;
      return apply(t);
    });
    if (result?.ok && result.ticket.version !== fromVersion) {
      const t = result.ticket;
      const key = (kind: string): string => `${t.id}:v${t.version}:${kind}`;
      await this.outbox.enqueue([
        { kind: 'channel-update', ticketId: t.id, idempotencyKey: key('channel-update') },
        { kind: 'user-notify', ticketId: t.id, idempotencyKey: key('user-notify'), event },
        { kind: 'webhook', ticketId: t.id, idempotencyKey: key('webhook') },
      ]);
    }
    return result;
  }
}
