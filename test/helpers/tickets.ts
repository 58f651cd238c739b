import { newRecord } from '../../src/core/diagnostics/record';
import { NewTicket } from '../../src/core/escalation/service';
import { TransitionResult } from '../../src/core/escalation/ticket';

/** A Spanish user's escalation with an empty record: what the tests turn into tickets. */
export const draft = (): NewTicket => ({
  requester: { id: '29:u', name: 'Ana', locale: 'es' },
  requesterConversation: {},
  record: newRecord('user', 'es'),
  transcript: [],
});

/** Of two simultaneous "Assign to me", exactly one wins; the other is told who holds the ticket. */
export function expectOneAssignWins(results: (TransitionResult | undefined)[]): void {
  expect(results.filter((r) => r?.ok)).toHaveLength(1);
  const loser = results.find((r) => !r?.ok)!;
  expect(loser).toMatchObject({ ok: false, reason: 'already-assigned' });
  expect(loser.ticket.assignee!.name).toBe(results.find((r) => r?.ok)!.ticket.assignee!.name);
}
