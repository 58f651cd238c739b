import { DiagnosticRecord } from '../diagnostics/record';
import { NewDelivery, Outbox } from './outbox';
import {
  addRequesterNote,
  assign,
  boundText,
  Person,
  release,
  reopen,
  reportWorks,
  Requester,
  resolve,
  Ticket,
  TranscriptEntry,
  TransitionResult,
  withdraw,
} from './ticket';
import { TicketStore, ticketIdFor } from './ticketStore';

export interface NewTicket {
  requester: Requester;
  requesterConversation: unknown;
  record: DiagnosticRecord;
  description?: string;
  transcript: TranscriptEntry[];
}

/** Ids tried for one record before giving up (each a different hash; another record holding all of them is absurd). */
const ID_ATTEMPTS = 5;

/** The record as stored on a ticket: every piece of the user's text bounded (and marked when cut). */
function boundedRecord(record: DiagnosticRecord): DiagnosticRecord {
  const answers = Object.fromEntries(
    Object.entries(record.answers).map(([q, a]) => [
      q,
      a ? { ...a, value: boundText(a.value), ...(a.raw !== undefined ? { raw: boundText(a.raw) } : {}) } : a,
    ]),
  ) as DiagnosticRecord['answers'];
  return { ...record, answers, ...(record.description ? { description: boundText(record.description) } : {}) };
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

  /**
   * Creates the ticket of a record, or returns the one already created for it (a retry never makes a second
   * ticket). Its first deliveries are stored before the ticket: if they cannot be, nothing is created and this
   * throws; if the ticket then cannot be stored, those deliveries find no ticket and are dropped. A ticket that
   * exists therefore always has its deliveries.
   */
  async create(input: NewTicket, now = new Date()): Promise<Ticket> {
    const at = now.toISOString();
    for (let salt = 0; salt < ID_ATTEMPTS; salt++) {
      const id = ticketIdFor(input.record.id, salt);
      const existing = await this.tickets.get(id);
      if (existing?.record.id === input.record.id) return existing;
      if (existing) continue;
      const ticket: Ticket = {
        id,
        status: 'open',
        version: 1,
        requester: input.requester,
        requesterConversation: input.requesterConversation,
        record: boundedRecord(input.record),
        ...(input.description ? { description: boundText(input.description) } : {}),
        ...(input.record.incidentId ? { incidentId: input.record.incidentId } : {}),
        transcript: input.transcript.map((e) => ({ ...e, text: boundText(e.text) })),
        history: [{ at, status: 'open' }],
        createdAt: at,
        updatedAt: at,
      };
      await this.outbox.enqueue(this.firstDeliveries(ticket), { deliver: false });
      const inserted = await this.tickets.insert(ticket).finally(() => this.outbox.kick());
      if (inserted === 'created') return ticket;
      // Someone stored a ticket under this id in between: the same record (a retry on another instance) or another.
      const raced = await this.tickets.get(id);
      if (raced?.record.id === input.record.id) return raced;
    }
    throw new Error(`no free ticket id for record ${input.record.id}`);
  }

  private firstDeliveries(ticket: Ticket): NewDelivery[] {
    const key = (kind: string): string => `${ticket.id}:v${ticket.version}:${kind}`;
    return [
      { kind: 'channel-post', ticketId: ticket.id, idempotencyKey: key('channel-post'), version: ticket.version },
      { kind: 'webhook', ticketId: ticket.id, idempotencyKey: key('webhook'), version: ticket.version },
      ...(this.options.handoffEvent
        ? [{ kind: 'handoff' as const, ticketId: ticket.id, idempotencyKey: key('handoff'), version: ticket.version }]
        : []),
    ];
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

  /** The assignee gives the ticket back to the helpdesk: the card shows it open again; the user is not told. */
  release(id: string, agent: Person): Promise<TransitionResult | undefined> {
    return this.change(id, (t) => release(t, agent));
  }

  /** The requester says it works now (from their chat): the card shows it, an agent resolves. Their own ticket only. */
  reportWorks(id: string, requester: Person): Promise<TransitionResult | undefined> {
    return this.change(id, (t) => reportWorks(t, requester));
  }

  /** The requester adds to their own open ticket from the chat: the card shows it, for the agent working on it. */
  addNote(id: string, requester: Person, text: string): Promise<TransitionResult | undefined> {
    return this.change(id, (t) => addRequesterNote(t, requester, text));
  }

  /** The requester cancels their own open ticket (from their chat, confirmed there): resolved by them, with the note. */
  withdraw(id: string, requester: Person, note: string): Promise<TransitionResult | undefined> {
    return this.change(id, (t) => withdraw(t, requester, note));
  }

  /**
   * A change and what it must reach (the card, the requester, the webhook) exist together or not at all: the
   * deliveries, keyed by the version the change makes, are stored before the ticket is written. If they cannot be,
   * the ticket is not changed and this throws; if the ticket then cannot be written (or another agent's change
   * won that version), the deliveries find the ticket below their version, or another event there, and are dropped.
   */
  private async change(
    id: string,
    apply: (t: Ticket) => TransitionResult,
    event?: 'assigned' | 'resolved' | 'reopened',
  ): Promise<TransitionResult | undefined> {
    let queued = false;
    try {
      return await this.tickets.transition(id, apply, async (t) => {
        const key = (kind: string): string => `${t.id}:v${t.version}:${kind}`;
        const version = t.version;
        await this.outbox.enqueue(
          [
            { kind: 'channel-update', ticketId: t.id, idempotencyKey: key('channel-update'), version },
            ...(event
              ? [{ kind: 'user-notify' as const, ticketId: t.id, idempotencyKey: key(`user-notify:${event}`), event, version }]
              : []),
            { kind: 'webhook', ticketId: t.id, idempotencyKey: key('webhook'), ...(event ? { event } : {}), version },
          ],
          { deliver: false },
        );
        queued = true;
      });
    } finally {
      if (queued) this.outbox.kick();
    }
  }
}
