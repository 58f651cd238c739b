/**
 * After the ticket, in the same chat, through the real HTTP entry point: the requester says it works now (noted on
 * the ticket, its card in the helpdesk channel shows it, an agent resolves), or cancels it (confirmed, then resolved
 * by them with a note, the card updated). Only the requester's own open ticket.
 */
import { Activity } from 'botbuilder';
import { cardToText } from '../cards/text';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { eventually, FakeConnector, installInTeam, post, startApp, stopApp, teamsMessage } from './helpers/http';

const TEAM = '19:helpdesk-team@thread.tacv2';
const USER = { id: '29:user-1', name: 'Ana García' };

const TYPED: Record<string, { ok: string; works: string; cancel: string; yes: string; still: string }> = {
  en: { ok: 'ok perfect', works: 'oh wait, it works now', cancel: 'cancel my ticket', yes: 'yes', still: 'it still fails' },
  es: { ok: 'vale', works: 'ah no espera, ya funciona', cancel: 'cancela el ticket', yes: 'sí', still: 'ya borré otro y sigue igual' },
  it: { ok: 'va bene', works: 'ah aspetta, ora funziona', cancel: 'annulla il ticket', yes: 'sì', still: 'non funziona ancora' },
};

const has = (action: string) => (a: Partial<Activity>) =>
  buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === action);
const cardText = (a: Partial<Activity> | undefined): string => cardToText(a?.attachments?.[0]?.content).text;

describe.each(['en', 'es', 'it'])("the requester's own ticket from their chat, over HTTP, in %s", (locale) => {
  const connector = new FakeConnector();
  const tr = translator(locale);
  const helpdesk = translator('en');
  const typed = TYPED[locale]!;
  let app: Awaited<ReturnType<typeof startApp>>['app'];
  let url: string;

  beforeAll(async () => {
    await connector.start();
    ({ app, url } = await startApp({ HELPDESK_TEAM_ID: TEAM }, { deliveryMs: 50 }));
    expect((await post(`${url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);
  });
  afterAll(async () => {
    await stopApp(app);
    await connector.stop();
  });

  const say = async (
    conversation: string,
    input: string | Record<string, unknown>,
    from: { id: string; name: string } = USER,
  ): Promise<Partial<Activity>[]> => {
    const activity = teamsMessage(
      connector.url,
      conversation,
      `${locale}-XX`,
      typeof input === 'string' ? { text: input } : { value: input },
    );
    activity.from = from;
    expect((await post(`${url}/api/messages`, activity)).status).toBe(200);
    return connector.takeFrom(conversation);
  };

  /** Asks for a person, says yes, skips the description, answers "don't know": the ticket id, once its card is posted. */
  async function ticketIn(conversation: string): Promise<string> {
    let replies = await say(conversation, tr('commands.person').split('|')[0]!);
    replies = await say(
      conversation,
      buttonData(replies.find(has('person')), () => true),
    );
    replies = await say(
      conversation,
      buttonData(replies.find(has('skip')), () => true),
    );
    for (let i = 0; i < 5 && replies.some(has('answer')); i++) {
      replies = await say(
        conversation,
        buttonData(replies.find(has('answer')), (d) => d.answer === 'dontknow'),
      );
    }
    const id = /IOS-\d+/.exec(replies.map(visibleText).join('\n'))![0];
    await eventually(() => connector.created.find((c) => cardText(c.params.activity as Partial<Activity>).includes(id)));
    return id;
  }

  /** The ticket's card as last updated in the helpdesk channel, once it says `text`. */
  const updatedCard = (id: string, text: string): Promise<string> =>
    eventually(() => connector.updated.map(cardText).find((c) => c.includes(id) && c.includes(text)));

  it('"it works now" thanks them, notes it on the ticket and its channel card; the ticket stays for an agent to resolve', async () => {
    const conversation = `works-${locale}`;
    const id = await ticketIn(conversation);
    // An acknowledgement of the ticket is not news about the problem.
    expect((await say(conversation, typed.ok)).map(visibleText).join('\n')).not.toContain(tr('followUp.works', { id }));
    expect((await app.runtime.escalation.tickets.get(id))!.requesterUpdate).toBeUndefined();
    const replies = await say(conversation, typed.works);
    expect(replies.map(visibleText)).toEqual([tr('followUp.works', { id })]);
    const ticket = (await app.runtime.escalation.tickets.get(id))!;
    expect(ticket.status).toBe('open');
    expect(ticket.requesterUpdate?.kind).toBe('works');
    const line = helpdesk('ticket.requesterWorks', {
      name: USER.name,
      at: `${ticket.requesterUpdate!.at.replace('T', ' ').slice(0, 16)} UTC`,
    });
    const card = await updatedCard(id, line);
    // Still open: the agents' buttons are there to resolve it.
    expect(card).toContain(helpdesk('ticket.status.open'));
  });

  it('"still not working" is added to the ticket: its channel card shows the note to the agents', async () => {
    const conversation = `still-${locale}`;
    const id = await ticketIn(conversation);
    expect((await say(conversation, typed.still)).map(visibleText)).toEqual([tr('followUp.noted', { id })]);
    const note = (await app.runtime.escalation.tickets.get(id))!.requesterNotes![0]!;
    expect(note.text).toBe(typed.still);
    const line = `${helpdesk('ticket.requesterNote', { at: `${note.at.replace('T', ' ').slice(0, 16)} UTC` })} ${typed.still}`;
    expect(await updatedCard(id, line)).toContain(helpdesk('ticket.status.open'));
  });

  it('"cancel my ticket" asks first; yes resolves it as theirs with a note, the card says they cancelled it', async () => {
    const conversation = `cancel-${locale}`;
    const id = await ticketIn(conversation);
    let replies = await say(conversation, typed.cancel);
    const confirm = replies.find(has('withdraw-ticket'));
    expect(visibleText(confirm)).toContain(tr('followUp.withdrawTitle', { id }));
    expect((await app.runtime.escalation.tickets.get(id))!.status).toBe('open');

    // Somebody else writing in that chat can't cancel it: nothing of theirs to cancel.
    const other = { id: '29:someone-else', name: 'Luca' };
    expect((await say(conversation, typed.yes, other)).map(visibleText).join('\n')).not.toContain(tr('followUp.withdrawn', { id }));
    replies = await say(conversation, typed.cancel, other);
    expect(replies.map(visibleText)).toEqual([tr('control.nothingToCancel')]);
    expect((await app.runtime.escalation.tickets.get(id))!.status).toBe('open');

    replies = await say(conversation, typed.cancel);
    // The yes button's words, typed.
    replies = await say(conversation, tr('followUp.withdrawYes'));
    expect(replies.map(visibleText)).toEqual([tr('followUp.withdrawn', { id })]);
    const ticket = (await app.runtime.escalation.tickets.get(id))!;
    expect(ticket.status).toBe('resolved');
    expect(ticket.resolution).toMatchObject({ by: { id: USER.id }, note: tr('followUp.withdrawNote') });
    const card = await updatedCard(
      id,
      helpdesk('ticket.requesterWithdrew', { name: USER.name, at: `${ticket.requesterUpdate!.at.replace('T', ' ').slice(0, 16)} UTC` }),
    );
    expect(card).toContain(helpdesk('ticket.status.resolved'));

    // Closed now: nothing left to cancel, and "it works now" is no longer about that ticket.
    expect((await say(conversation, typed.cancel)).map(visibleText)).toEqual([tr('control.nothingToCancel')]);
  });

  it('"no" keeps the ticket open', async () => {
    const conversation = `keep-${locale}`;
    const id = await ticketIn(conversation);
    await say(conversation, typed.cancel);
    const replies = await say(conversation, tr('followUp.withdrawNo'));
    expect(replies.map(visibleText)).toEqual([tr('followUp.kept', { id })]);
    expect((await app.runtime.escalation.tickets.get(id))!.status).toBe('open');
  });
});
