import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { FakeConnector, post, teamsMessage, startApp, stopApp } from './helpers/http';

const isCard =
  (action: string) =>
  (a: Partial<Activity>): boolean =>
    buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === action);

const start = (env: NodeJS.ProcessEnv): ReturnType<typeof startApp> => startApp(env);

const stop = stopApp;

describe('over HTTP through the real CloudAdapter', () => {
  const connector = new FakeConnector();
  let dataDir: string;

  beforeAll(async () => {
    await connector.start();
  });
  afterAll(async () => {
    await connector.stop();
  });
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-data-'));
    connector.take();
  });

  it('GET /healthz answers 200 when the bot can serve', async () => {
    const { app, url } = await start({ STORAGE: 'file', STORAGE_DIR: dataDir });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    await stop(app);
  });

  it('a Spanish user describing a problem in their own words reaches the Spanish resolution card', async () => {
    const { app, url } = await start({ STORAGE: 'file', STORAGE_DIR: dataDir });
    const t = translator('es');
    const send = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      const res = await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-es', 'es-ES', payload));
      expect(res.status).toBe(200);
      return connector.take();
    };
    let replies = await send({ text: 'cuando intento registrar el iPhone me dice que no tengo licencia' });
    expect(visibleText(replies[0])).toContain(t('knowledge:symptoms.license-type-invalid.title'));
    for (let i = 0; i < 8 && !replies.some(isCard('person')); i++) {
      replies = await send({ value: buttonData(replies.find(isCard('answer')), (d) => d.answer === 'dontknow') });
    }
    // Only IT can assign a license: the employee is told so, with the handoff on the card and no admin portal link.
    const card = replies.find(isCard('person'));
    expect(visibleText(card)).toContain(t('knowledge:causes.license-type-invalid.no-valid-license.title'));
    expect(visibleText(card)).toContain(t('knowledge:causes.license-type-invalid.no-valid-license.itDoes'));
    expect(buttons(card).some((b) => b.url === 'https://admin.microsoft.com')).toBe(false);
    await stop(app);
  });

  it('a restart in the middle of the questions continues where the user was (file storage)', async () => {
    const t = translator('it');
    const first = await start({ STORAGE: 'file', STORAGE_DIR: dataDir });
    await post(
      `${first.url}/api/messages`,
      teamsMessage(connector.url, 'conv-it', 'it-IT', { text: t('knowledge:symptoms.server-connection-failed.seen') }),
    );
    const q1 = connector.take().find(isCard('answer'));
    expect(visibleText(q1)).toContain(t('questions.employee.enrollment-method.prompt'));
    await stop(first.app);

    const second = await start({ STORAGE: 'file', STORAGE_DIR: dataDir });
    await post(
      `${second.url}/api/messages`,
      teamsMessage(connector.url, 'conv-it', 'it-IT', { value: buttonData(q1, (d) => d.answer === 'company-portal') }),
    );
    // The answer given before the restart counts: a personal device keeps all five causes, the employee's own first.
    const next = connector.take().find(isCard('outcome'));
    expect(visibleText(next)).toContain(t('knowledge:causes.server-connection-failed.previous-user.title'));
    expect(visibleText(next)).toContain(t('cause.progress', { current: 1, total: 5 }));
    await stop(second.app);
  });

  it('malformed JSON, a non-activity body and a body over the limit get 4xx, and the process keeps serving', async () => {
    const { app, url } = await start({ STORAGE: 'memory', MAX_BODY_BYTES: '10000' });
    expect((await post(`${url}/api/messages`, '{"type": "message", ', true)).status).toBe(400);
    expect((await post(`${url}/api/messages`, [1, 2, 3])).status).toBe(400);
    expect((await post(`${url}/api/messages`, { text: 'no type' })).status).toBe(400);
    expect((await post(`${url}/api/messages`, { type: 'message', text: 'x'.repeat(20_000) })).status).toBe(413);
    const ok = await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-ok', 'en-US', { text: 'Device Cap Reached' }));
    expect(ok.status).toBe(200);
    expect(connector.take().length).toBeGreaterThan(0);
    await stop(app);
  });

  it('replies go back to the Bot Connector each message came from, through one kept client per connector', async () => {
    const other = new FakeConnector();
    await other.start();
    const { app, url } = await start({ STORAGE: 'memory' });
    try {
      // Which connector client each turn was given (a middleware behind the bot's own, as an observer).
      const clients = new Set<unknown>();
      app.runtime.adapter.use(async (context, next) => {
        clients.add(context.turnState.get(context.adapter.ConnectorClientKey));
        await next();
      });
      const t = translator('en');
      for (let i = 0; i < 3; i++) {
        expect(
          (await post(`${url}/api/messages`, teamsMessage(connector.url, `conv-a-${i}`, 'en-US', { text: 'Device Cap Reached' }))).status,
        ).toBe(200);
        expect(
          (await post(`${url}/api/messages`, teamsMessage(other.url, `conv-b-${i}`, 'en-US', { text: 'Device Cap Reached' }))).status,
        ).toBe(200);
      }
      const a = connector.take();
      const b = other.take();
      for (const [replies, prefix] of [
        [a, 'conv-a-'],
        [b, 'conv-b-'],
      ] as const) {
        expect(new Set(replies.map((r) => (r as { conversationId?: string }).conversationId))).toEqual(
          new Set([0, 1, 2].map((i) => `${prefix}${i}`)),
        );
        // One "Got it: …" per message (the cause card that follows has the title too).
        expect(replies.filter((r) => (r.text ?? '').includes(t('knowledge:symptoms.device-cap-reached.title')))).toHaveLength(3);
      }
      // Six turns, two connectors: two clients, not one per turn.
      expect(clients.size).toBe(2);
    } finally {
      await stop(app);
      await other.stop();
    }
  });

  it('with MicrosoftAppId set, a request without a token gets 401 and no reply', async () => {
    const { app, url } = await start({
      STORAGE: 'memory',
      MicrosoftAppId: '11111111-1111-1111-1111-111111111111',
      MicrosoftAppPassword: 'x',
      MicrosoftAppType: 'MultiTenant',
    });
    const res = await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-auth', 'en-US', { text: 'Device Cap Reached' }));
    expect(res.status).toBe(401);
    expect(connector.take()).toEqual([]);
    await stop(app);
  });
});

describe('memory footprint', () => {
  it('the server loads neither the prompts and Recognizers Text of botbuilder-dialogs, nor every language of natural, nor, without STORAGE=blob, the Azure SDK', () => {
    // A fresh process (jest's module registry is not Node's): build the app as `npm start` does, list what got loaded.
    const script = `
      const { createApp } = require('./dist/src/server/app');
      const { readConfig } = require('./dist/src/bot/config');
      createApp(readConfig({ STORAGE: 'memory', PORT: '0' }));
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' }),
    ) as string[];
    expect(loaded.some((m) => m.includes('botbuilder-dialogs/lib/componentDialog'))).toBe(true);
    expect(loaded.filter((m) => /botbuilder-dialogs\/lib\/(prompts|choices)\//.test(m))).toEqual([]);
    expect(loaded.filter((m) => /recognizers-text-(number|choice|date-time|sequence)/.test(m))).toEqual([]);
    expect(loaded.filter((m) => m.includes('@azure/storage-blob'))).toEqual([]);
    // From natural: the English, Spanish and Italian stemmers and one tokenizer, not every language's.
    expect(loaded.some((m) => m.endsWith('stemmers/porter_stemmer_it.js'))).toBe(true);
    expect(
      loaded.filter((m) => /natural\/lib\/natural\/(stemmers|tokenizers)\/(index|porter_stemmer_fr|aggressive_tokenizer_ru)\.js$/.test(m)),
    ).toEqual([]);
  });
});
