import { Activity } from 'botbuilder';
import { cardToText } from '../cards/text';
import { MAX_REFRESH_USERS } from '../cards/ticket';
import { App } from '../src/server/app';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, cardIssues } from './helpers/cards';
import { cardAction, eventually, FakeConnector, installInTeam, post, startApp, stopApp, teamsMessage } from './helpers/http';

const TEAM = '19:helpdesk-views@thread.tacv2';
const AGENT = { id: '29:agent-1', name: 'Marco Rossi' };
const OTHER = { id: '29:agent-2', name: 'Giulia Bianchi' };
const OUTSIDER = { id: '29:outsider', name: 'Eve' };
const en = translator('en');

/** Teams' automatic refresh of a card with refresh.userIds: an adaptiveCard/action invoke with trigger "automatic". */
function refreshInvoke(serviceUrl: string, who: { id: string; name: string }, ticket: string): Partial<Activity> {
  const invoke = cardAction(serviceUrl, TEAM, who, 'refresh', { ticket });
  return { ...invoke, value: { action: { type: 'Action.Execute', verb: 'refresh', data: { ticket } }, trigger: 'automatic' } };
}

type InvokeAnswer = { statusCode?: number; type: string; value: unknown };

describe('per-user views of the ticket card (refresh.userIds) over HTTP', () => {
  const connector = new FakeConnector();
  let app: App;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    connector.rosters.set(TEAM, new Set([AGENT.id, OTHER.id]));
  });
  afterAll(() => connector.stop());
  beforeEach(async () => {
    connector.received.splice(0);
    connector.created.splice(0);
    connector.updated.splice(0);
    ({ app, url } = await startApp({ HELPDESK_TEAM_ID: TEAM, DELIVERY_RETRY_BASE_MS: '20' }, { deliveryMs: 50 }));
    expect((await post(`${url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);
  });
  afterEach(() => stopApp(app));

  /** An English employee asks for a person and answers what the bot asks: the ticket id. */
  async function escalate(conversation: string): Promise<string> {
    const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      expect((await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, 'en-US', payload))).status).toBe(200);
      return connector.takeFrom(conversation);
    };
    await say({ text: 'My iPhone says the device limit has been reached' });
    await say({ text: 'talk to a person' });
    await say({ text: 'yes' });
    let replies = await say({ text: 'I need the phone for a trip on Monday' });
    const question = (rs: Partial<Activity>[]): Partial<Activity> | undefined =>
      rs.find((a) => buttons(a).some((b) => (b.data as { action?: string })?.action === 'answer'));
    for (let i = 0; i < 5 && question(replies); i++) {
      replies = await say({ value: buttonData(question(replies), (d) => d.answer === 'company-portal' || d.answer === 'dontknow') });
    }
    const created = replies.find((a) => /IOS-\d+/.test(a.text ?? ''));
    return /IOS-\d+/.exec(created!.text!)![0];
  }

  const invoke = async (activity: Partial<Activity>): Promise<InvokeAnswer> => {
    const res = await post(`${url}/api/messages`, activity);
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as InvokeAnswer;
  };
  const refresh = (who: { id: string; name: string }, ticket: string): Promise<InvokeAnswer> =>
    invoke(refreshInvoke(connector.url, who, ticket));
  const act = (who: { id: string; name: string }, verb: string, data: Record<string, unknown>): Promise<InvokeAnswer> =>
    invoke(cardAction(connector.url, TEAM, who, verb, data));
  const titles = (card: unknown): string[] => cardToText(card).buttons.map((b) => b.title);
  const valid = (card: unknown): void => expect({ ...cardIssues(card), unbound: [] }).toEqual({ parse: [], validation: [], unbound: [] });

  it('the posted card asks Teams for per-user views of the helpdesk members; each agent sees the buttons that apply to them', async () => {
    const id = await escalate('conv-views');
    const thread = await eventually(() => connector.created[0]);
    const posted = (thread.params.activity as Partial<Activity>).attachments![0]!.content as Record<string, unknown>;
    valid(posted);
    expect(posted.refresh).toEqual({
      action: { type: 'Action.Execute', verb: 'refresh', data: { ticket: id } },
      userIds: [AGENT.id, OTHER.id],
    });

    // Open: every agent may take it, and only that.
    for (const who of [AGENT, OTHER]) {
      const view = await refresh(who, id);
      expect(view.type).toBe('application/vnd.microsoft.card.adaptive');
      valid(view.value);
      expect(titles(view.value)).toEqual([en('ticket.assign')]);
    }

    // Assigned: the assignee resolves it (with the note); the other agent gets no button for it.
    const assigned = await act(AGENT, 'assign', { ticket: id });
    expect(titles(assigned.value)).toContain(en('ticket.resolve'));
    expect(titles(assigned.value)).not.toContain(en('ticket.assign'));
    const mine = await refresh(AGENT, id);
    const theirs = await refresh(OTHER, id);
    valid(mine.value);
    valid(theirs.value);
    expect(titles(mine.value)).toContain(en('ticket.resolve'));
    expect(JSON.stringify(mine.value)).toContain('"verb":"resolve"');
    expect(titles(theirs.value)).not.toContain(en('ticket.resolve'));
    expect(titles(theirs.value)).not.toContain(en('ticket.assign'));
    expect(titles(theirs.value)).not.toContain(en('ticket.reopen'));
    expect(cardToText(theirs.value).text).toContain(en('ticket.assignedTo', { name: `<at>${AGENT.name}</at>` }));
    // The card updated in the channel keeps the per-user views, the assignee first.
    const update = await eventually(() => connector.updated.find((u) => u.conversationId === thread.id));
    expect((update.attachments![0]!.content as { refresh: { userIds: string[] } }).refresh.userIds).toEqual([AGENT.id, OTHER.id]);

    expect(titles(mine.value)).toContain(en('ticket.release'));
    expect(titles(theirs.value)).not.toContain(en('ticket.release'));

    // The other agent cannot give it back for the assignee; the assignee can: open again, for anyone to take.
    await act(OTHER, 'release', { ticket: id });
    expect(await app.runtime.escalation.tickets.get(id)).toMatchObject({ status: 'assigned', assignee: { id: AGENT.id } });
    const toUser = (): number => connector.received.filter((a) => a.conversationId === 'conv-views').length;
    await eventually(() => toUser() > 0);
    connector.received.splice(0);
    const updates = connector.updated.length;
    const released = await act(AGENT, 'release', { ticket: id });
    // The channel card shows it open again; the requester is not told (nothing changed for them).
    const reopenedCard = await eventually(() => connector.updated[updates]);
    expect(cardToText(reopenedCard.attachments![0]!.content).text).toContain(en('ticket.status.open'));
    await new Promise((r) => setTimeout(r, 200));
    expect(toUser()).toBe(0);
    expect(titles(released.value)).toEqual([en('ticket.assign')]);
    expect(await app.runtime.escalation.tickets.get(id)).toMatchObject({ status: 'open' });
    expect((await app.runtime.escalation.tickets.get(id))!.assignee).toBeUndefined();
    expect(titles((await refresh(OTHER, id)).value)).toEqual([en('ticket.assign')]);
    const taken = await act(OTHER, 'assign', { ticket: id });
    expect(cardToText(taken.value).text).toContain(en('ticket.assignedTo', { name: `<at>${OTHER.name}</at>` }));
    expect(titles((await refresh(AGENT, id)).value)).not.toContain(en('ticket.resolve'));

    // Resolved: any agent may reopen it.
    await act(OTHER, 'resolve', { ticket: id, note: 'Removed two old devices.' });
    for (const who of [AGENT, OTHER]) {
      const view = await refresh(who, id);
      expect(titles(view.value)).toContain(en('ticket.reopen'));
      expect(titles(view.value)).not.toContain(en('ticket.resolve'));
      expect(titles(view.value)).not.toContain(en('ticket.assign'));
    }
  });

  it("a non-member's automatic refresh gets nothing of the ticket", async () => {
    const id = await escalate('conv-views-outsider');
    await eventually(() => connector.created[0]);
    const answer = await refresh(OUTSIDER, id);
    expect(answer).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: en('ticket.refused') });
    expect(JSON.stringify(answer)).not.toContain(id);
    expect(JSON.stringify(answer)).not.toContain('trip on Monday');
  });

  it(`a team of more than ${MAX_REFRESH_USERS}: the assignee and the first others get views; a failed roster still posts the card`, async () => {
    const many = Array.from({ length: 70 }, (_, i) => `29:member-${i}`);
    connector.rosters.set(TEAM, new Set([...many, AGENT.id]));
    try {
      const id = await escalate('conv-views-many');
      const thread = await eventually(() => connector.created[0]);
      const posted = (thread.params.activity as Partial<Activity>).attachments![0]!.content as { refresh: { userIds: string[] } };
      expect(posted.refresh.userIds).toEqual(many.slice(0, MAX_REFRESH_USERS));
      await act(AGENT, 'assign', { ticket: id });
      const update = await eventually(() => connector.updated.find((u) => u.conversationId === thread.id));
      const userIds = (update.attachments![0]!.content as { refresh: { userIds: string[] } }).refresh.userIds;
      expect(userIds).toHaveLength(MAX_REFRESH_USERS);
      expect(userIds).toEqual([AGENT.id, ...many.slice(0, MAX_REFRESH_USERS - 1)]);
    } finally {
      connector.rosters.set(TEAM, new Set([AGENT.id, OTHER.id]));
    }

    // Another process (fresh cache) whose roster listing fails: the card is posted all the same.
    await stopApp(app);
    connector.created.splice(0);
    ({ app, url } = await startApp({ HELPDESK_TEAM_ID: TEAM, DELIVERY_RETRY_BASE_MS: '20' }, { deliveryMs: 50 }));
    await post(`${url}/api/messages`, installInTeam(connector.url, TEAM));
    connector.rosterListingFails = 1;
    await escalate('conv-views-noroster');
    const thread = await eventually(() => connector.created[0]);
    const posted = (thread.params.activity as Partial<Activity>).attachments![0]!.content as { refresh: { userIds: string[] } };
    expect(posted.refresh.userIds).toEqual([]);
    expect(connector.rosterListingFails).toBe(0);
  });
});
