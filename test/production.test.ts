import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, readConfig } from '../src/bot/config';
import { FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';

// The production guard rails: no unauthenticated bot in production, /metrics behind a bearer token.

const ROOT = path.resolve(__dirname, '..');
const START = path.join(ROOT, 'scripts/start.cjs');

/** `npm start`'s launcher in an empty folder (no .env read), with exactly this environment. */
function start(env: NodeJS.ProcessEnv): { status: number | null; stderr: string } {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'production-test-'));
  try {
    const r = spawnSync(process.execPath, [START], {
      cwd,
      env: { PATH: process.env.PATH, PORT: '0', STORAGE: 'memory', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    return { status: r.status, stderr: r.stderr };
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

describe('NODE_ENV=production', () => {
  it('refuses to start without MicrosoftAppId, saying so', () => {
    const { status, stderr } = start({ NODE_ENV: 'production', MicrosoftAppId: '' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/Configuration error: .*MicrosoftAppId/);
    expect(() => readConfig({ NODE_ENV: 'production', MicrosoftAppId: '  ' })).toThrow(ConfigError);
  });

  it('starts with MicrosoftAppId set (and without production, with no MicrosoftAppId)', () => {
    expect(readConfig({ NODE_ENV: 'production', MicrosoftAppId: 'app-1' }).production).toBe(true);
    expect(readConfig({}).production).toBe(false);
  });
});

describe('GET /metrics', () => {
  const connector = new FakeConnector();
  beforeAll(() => connector.start());
  afterAll(() => connector.stop());

  const metrics = (url: string, authorization?: string): Promise<Response> =>
    fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} });

  it('is off in production without METRICS_TOKEN (404), while the bot still serves', async () => {
    const { app, url } = await startApp({ NODE_ENV: 'production', MicrosoftAppId: 'app-1', MicrosoftAppPassword: 'x' });
    try {
      expect((await metrics(url)).status).toBe(404);
      expect((await metrics(url, 'Bearer anything')).status).toBe(404);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await stopApp(app);
    }
  });

  it('with METRICS_TOKEN needs Authorization: Bearer <token> (401 otherwise), in production and locally', async () => {
    for (const env of [{ NODE_ENV: 'production', MicrosoftAppId: 'app-1', MicrosoftAppPassword: 'x' }, {}]) {
      const { app, url } = await startApp({ ...env, METRICS_TOKEN: 's3cret-token' });
      try {
        for (const wrong of [undefined, 'Bearer wrong', 'Bearer s3cret-token-and-more', 'Basic s3cret-token', 's3cret-token']) {
          const res = await metrics(url, wrong);
          expect(res.status).toBe(401);
          expect(await res.text()).not.toMatch(/bot_turns_total/);
        }
        const ok = await metrics(url, 'Bearer s3cret-token');
        expect(ok.status).toBe(200);
        expect(await ok.text()).toMatch(/bot_turns_total/);
      } finally {
        await stopApp(app);
      }
    }
  });

  it('is open locally without METRICS_TOKEN and counts the turns it served', async () => {
    const { app, url } = await startApp({});
    try {
      expect(
        (await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-metrics', 'en-US', { text: 'Device Cap Reached' }))).status,
      ).toBe(200);
      const res = await metrics(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/bot_turns_total\S* [1-9]/);
    } finally {
      await stopApp(app);
    }
  });
});

describe('.env.example', () => {
  const example = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  const documented = new Set([...example.matchAll(/^([A-Za-z_]\w*)=/gm)].map((m) => m[1]!));

  it('documents every variable the bot reads', () => {
    const config = fs.readFileSync(path.join(ROOT, 'src/bot/config.ts'), 'utf8');
    const read = [...new Set([...config.matchAll(/\benv\.([A-Za-z_]\w*)/g)].map((m) => m[1]!))].filter((v) => v !== 'example');
    expect(read.length).toBeGreaterThan(15);
    expect(read.filter((v) => !documented.has(v))).toEqual([]);
  });

  it('and the Teams setup guide both use SingleTenant for a new registration', () => {
    expect(example).toMatch(/^MicrosoftAppType=SingleTenant$/m);
    const guide = fs.readFileSync(path.join(ROOT, 'docs/teams-setup.md'), 'utf8');
    expect(guide).toMatch(/^MicrosoftAppType=SingleTenant$/m);
  });
});
