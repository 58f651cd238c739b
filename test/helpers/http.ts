import * as http from 'http';
import { AddressInfo } from 'net';
import { Activity } from 'botbuilder';

/** A fake Bot Connector on loopback: records every activity the bot sends to the conversation. */
export class FakeConnector {
  readonly received: Partial<Activity>[] = [];
  private server?: http.Server;
  private waiters: (() => void)[] = [];
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
          const activity = JSON.parse(body) as Partial<Activity>;
          if (activity.type !== 'typing') this.received.push(activity);
          this.waiters.splice(0).forEach((w) => w());
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `a${this.received.length}` }));
          return;
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

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
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
