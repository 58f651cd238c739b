import * as http from 'http';
import { AddressInfo } from 'net';
import { Activity } from 'botbuilder';
import { readConfig } from '../../src/bot/config';
import { App, createApp } from '../../src/server/app';

/** A fake Bot Connector on loopback: records what the bot sends, answers roster look-ups like Teams. */
export class FakeConnector {
  /** Activities sent into existing conversations (replies, proactive messages), typing left out, with the id given. */
  readonly received: (Partial<Activity> & { conversationId?: string; activityId?: string })[] = [];
  private sends = 0;
  /** Fault injection: the next `count` updates of activities answer this status. */
  failUpdates?: { status: number; count: number };
  /**
   * Fault injection: the next `count` conversation creations get no answer, the connection is cut (a post whose
   * outcome the bot cannot know): with `created` the thread is created first (Teams did it, the answer was lost).
   */
  cutCreates?: { count: number; created: boolean };
  /** New conversations (channel threads) the bot created, with their first activity. */
  readonly created: { params: Record<string, unknown>; id: string; activityId: string }[] = [];
  /** Activities the bot updated in place (activityId: the one updated). */
  readonly updated: (Partial<Activity> & { conversationId?: string; activityId?: string })[] = [];
  /** Members of teams: teamId → user ids. */
  readonly rosters = new Map<string, Set<string>>();
  /** Fault injection: the next `count` sends into conversations answer this status (and Retry-After, in seconds). */
  failNext?: { status: number; count: number; retryAfter?: number };
  /** Fault injection: the next send into a conversation (typing aside) is answered once this settles; `held` counts such sends. */
  holdNextSend?: Promise<void>;
  held = 0;
  /** Every send attempt into a conversation, failed or not, with its time. */
  readonly attempts: number[] = [];
  /** Fault injection for roster look-ups: the next `count` answer this status (and Retry-After, in seconds). */
  rosterFail?: { status: number; count: number; retryAfter?: number };
  /** The time of every roster look-up. */
  readonly rosterCalls: number[] = [];
  /** Paged roster listings (TeamsInfo.getPagedTeamMembers) asked so far, and how many of the next ones fail. */
  rosterListings = 0;
  rosterListingFails = 0;
  /** User principal names the member look-up of a 1:1 chat answers with (TeamsInfo.getMember). */
  readonly upns = new Map<string, string>();
  private server?: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = (req.url ?? '').split('?')[0]!;
        const parts = path.split('/').map((p) => decodeURIComponent(p));
        const json = (status: number, value: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        // POST /v3/conversations → create a conversation (a new channel thread)
        if (req.method === 'POST' && parts.length === 3 && parts[2] === 'conversations') {
          const params = JSON.parse(body) as Record<string, unknown>;
          const cut = this.cutCreates && this.cutCreates.count > 0 ? this.cutCreates : undefined;
          if (cut) cut.count--;
          const activityId = `thread-${this.created.length + 1}`;
          const channel = (params.channelData as { channel?: { id?: string } })?.channel?.id ?? 'unknown';
          const id = `${channel};messageid=${activityId}`;
          if (!cut || cut.created) this.created.push({ params, id, activityId });
          if (cut) return req.socket.destroy();
          return json(200, { id, activityId });
        }
        // POST /v3/conversations/{id}/activities[/{replyTo}] → send
        if (req.method === 'POST' && parts[2] === 'conversations' && parts[4] === 'activities') {
          const activity = JSON.parse(body) as Partial<Activity>;
          if (activity.type === 'typing') return json(200, { id: 'typing' });
          if (this.holdNextSend) {
            const hold = this.holdNextSend;
            this.holdNextSend = undefined;
            this.held++;
            // Answered as if it had just arrived, once released.
            return void hold.then(() => {
              this.received.push({ ...activity, conversationId: parts[3], activityId: `a${++this.sends}` });
              json(200, { id: `a${this.sends}` });
            });
          }
          this.attempts.push(Date.now());
          if (this.failNext && this.failNext.count > 0) {
            this.failNext.count--;
            res.writeHead(this.failNext.status, {
              'content-type': 'application/json',
              ...(this.failNext.retryAfter ? { 'retry-after': String(this.failNext.retryAfter) } : {}),
            });
            return res.end(JSON.stringify({ error: { code: 'Throttled', message: 'try later' } }));
          }
          const activityId = `a${++this.sends}`;
          this.received.push({ ...activity, conversationId: parts[3], activityId });
          return json(200, { id: activityId });
        }
        // PUT /v3/conversations/{id}/activities/{activityId} → update
        if (req.method === 'PUT' && parts[2] === 'conversations' && parts[4] === 'activities') {
          if (this.failUpdates && this.failUpdates.count > 0) {
            this.failUpdates.count--;
            return json(this.failUpdates.status, { error: { code: 'BadArgument', message: 'cannot update that activity' } });
          }
          this.updated.push({ ...(JSON.parse(body) as Partial<Activity>), conversationId: parts[3], activityId: parts[5] });
          return json(200, { id: parts[5] });
        }
        // GET /v3/conversations/{teamId}/pagedmembers?pageSize=n → one page of the team's roster
        if (req.method === 'GET' && parts[2] === 'conversations' && parts[4] === 'pagedmembers') {
          this.rosterListings++;
          if (this.rosterListingFails > 0) {
            this.rosterListingFails--;
            return json(403, { error: { code: 'Forbidden', message: 'roster unavailable' } });
          }
          const pageSize = Number(new URL(req.url ?? '', 'http://x').searchParams.get('pageSize')) || 500;
          const members = [...(this.rosters.get(parts[3]!) ?? [])];
          const page = members.slice(0, pageSize).map((id) => ({ id, name: id }));
          return json(200, { members: page, ...(members.length > pageSize ? { continuationToken: 'next' } : {}) });
        }
        // GET /v3/conversations/{teamId}/members/{userId} → roster check
        if (req.method === 'GET' && parts[2] === 'conversations' && parts[4] === 'members' && parts[5]) {
          this.rosterCalls.push(Date.now());
          if (this.rosterFail && this.rosterFail.count > 0) {
            this.rosterFail.count--;
            res.writeHead(this.rosterFail.status, {
              'content-type': 'application/json',
              ...(this.rosterFail.retryAfter ? { 'retry-after': String(this.rosterFail.retryAfter) } : {}),
            });
            return res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'roster unavailable' } }));
          }
          const members = this.rosters.get(parts[3]!);
          if (members?.has(parts[5])) return json(200, { id: parts[5], name: parts[5] });
          const upn = this.upns.get(parts[5]);
          if (!members && upn) return json(200, { id: parts[5], name: parts[5], userPrincipalName: upn });
          return json(404, { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } });
        }
        res.writeHead(404);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Takes every activity received so far (and clears the list). */
  take(): Partial<Activity>[] {
    return this.received.splice(0);
  }

  /** Takes the activities received so far in one conversation (the others stay on the list). */
  takeFrom(conversationId: string): FakeConnector['received'] {
    const mine = this.received.filter((a) => a.conversationId === conversationId);
    for (const a of mine) this.received.splice(this.received.indexOf(a), 1);
    return mine;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

/** Polls until the condition holds (background deliveries), failing after a few seconds. */
export async function eventually<T>(fn: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function post(url: string, body: unknown, raw = false): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? String(body) : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

export function teamsMessage(
  serviceUrl: string,
  conversationId: string,
  locale: string,
  payload: { text?: string; value?: unknown },
): Partial<Activity> {
  return {
    type: 'message',
    id: `m-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date(),
    channelId: 'msteams',
    serviceUrl,
    locale,
    from: { id: '29:user-1', name: 'Ana García', aadObjectId: '00000000-0000-0000-0000-000000000001' },
    recipient: { id: '28:bot', name: 'Enrollment bot' },
    conversation: {
      id: conversationId,
      conversationType: 'personal',
      isGroup: false,
      name: '',
      tenantId: 'tenant-1',
    } as Activity['conversation'],
    channelData: { tenant: { id: 'tenant-1' } },
    ...payload,
  };
}

/** Starts the real HTTP app (createApp) on a free loopback port; storage defaults to memory. */
export async function startApp(
  env: NodeJS.ProcessEnv,
  options: { app?: App; deliveryMs?: number } = {},
): Promise<{ app: App; url: string }> {
  const app = options.app ?? createApp(readConfig({ PORT: '0', STORAGE: 'memory', ...env }));
  if (options.deliveryMs) app.runtime.startDelivery(options.deliveryMs);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** Stops deliveries and the server, closing kept-alive connections so jest can exit. */
export async function stopApp(app: App): Promise<void> {
  await app.runtime.stop();
  await new Promise<void>((resolve) => {
    app.server.close(() => resolve());
    app.server.server.closeAllConnections();
  });
}

/** The Microsoft 365 group id Teams gives with a team's events (what Graph calls the team). */
export const groupOf = (team: string): string => `group-${team.replace(/[^A-Za-z0-9]/g, '')}`;

/** Teams' conversationUpdate when the bot is added to a team (the helpdesk team). */
export function installInTeam(serviceUrl: string, team: string): Partial<Activity> {
  return {
    type: 'conversationUpdate',
    id: 'f:install',
    channelId: 'msteams',
    serviceUrl,
    membersAdded: [{ id: '28:bot', name: 'Enrollment bot' }],
    from: { id: '29:admin', name: 'Admin' },
    recipient: { id: '28:bot', name: 'Enrollment bot' },
    conversation: { id: team, isGroup: true, conversationType: 'channel', tenantId: 'tenant-1', name: 'General' },
    channelData: {
      team: { id: team, name: 'Helpdesk', aadGroupId: groupOf(team) },
      eventType: 'teamMemberAdded',
      tenant: { id: 'tenant-1' },
    },
  };
}

/** A Universal Action (adaptiveCard/action invoke) pressed on a ticket card in the helpdesk channel. */
export function cardAction(
  serviceUrl: string,
  team: string,
  who: { id: string; name: string },
  verb: string,
  data: Record<string, unknown>,
): Partial<Activity> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `inv-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl,
    from: who,
    recipient: { id: '28:bot', name: 'Enrollment bot' },
    conversation: { id: `${team};messageid=thread-1`, isGroup: true, conversationType: 'channel', tenantId: 'tenant-1', name: '' },
    channelData: { team: { id: team }, tenant: { id: 'tenant-1' } },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
