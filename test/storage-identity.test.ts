import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Activity } from 'botbuilder';
import { ConfigError, readConfig } from '../src/bot/config';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { FakeConnector, post, teamsMessage } from './helpers/http';
import { Child, freePort, runNode, stopChild, waitForOutput } from './helpers/processes';
import { LoopbackCertificate, loopbackCertificate } from './helpers/tls';

// STORAGE=blob with AZURE_STORAGE_ACCOUNT_URL and a managed identity instead of a connection string, against Azurite
// with OAuth on (`--oauth basic`: bearer tokens only over HTTPS, issuer, audience and lifetime checked). The bot
// processes get their tokens the way they do on App Service: @azure/identity's ManagedIdentityCredential calls
// IDENTITY_ENDPOINT with IDENTITY_HEADER; here that endpoint is a loopback server issuing tokens. The HTTPS
// certificate is a throw-away self-signed one (test/helpers/tls.ts), trusted through NODE_EXTRA_CA_CERTS.

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'dist/src/server/index.js');
const TENANT = '72f988bf-0000-4000-8000-000000000001';
const IDENTITY_HEADER = 'identity-header-of-this-test';

const children: Child[] = [];
let dir = '';
let certificate: LoopbackCertificate;
let azuriteUrl = '';
const connector = new FakeConnector();

/** The token endpoint of App Service managed identity; `audience` is what the next tokens are issued for. */
const identity = {
  server: http.createServer(),
  url: '',
  audience: 'https://storage.azure.com',
  requests: [] as { resource: string | null; clientId: string | null; header: string | undefined }[],
};

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

function issueToken(audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: audience,
    iss: `https://sts.windows.net/${TENANT}/`,
    iat: now,
    nbf: now - 60,
    exp: now + 3600,
    tid: TENANT,
    oid: 'mi-1',
  };
  // Azurite's basic OAuth checks the claims, not the signature.
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;
}

beforeAll(async () => {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run "npm run build" (or npx tsc -p tsconfig.json) first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-identity-'));
  certificate = loopbackCertificate(dir);
  identity.server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    identity.requests.push({
      resource: url.searchParams.get('resource'),
      clientId: url.searchParams.get('client_id'),
      header: req.headers['x-identity-header'] as string | undefined,
    });
    if (req.headers['x-identity-header'] !== IDENTITY_HEADER) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end('{"error":"bad header"}');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: issueToken(identity.audience),
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id') ?? 'system-assigned',
      }),
    );
  });
  await new Promise<void>((resolve) => identity.server.listen(0, '127.0.0.1', resolve));
  identity.url = `http://127.0.0.1:${(identity.server.address() as AddressInfo).port}/msi/token`;
  await connector.start();
  const azurite = runNode(
    'azurite-oauth',
    [
      path.join(ROOT, 'node_modules/.bin/azurite-blob'),
      ...['--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--extentMemoryLimit', '64'],
      ...['--oauth', 'basic', '--cert', certificate.certPath, '--key', certificate.keyPath],
      ...['--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry'],
    ],
    { PATH: process.env.PATH },
  );
  children.push(azurite);
  const m = await waitForOutput(azurite, /listens on (https:\/\/127\.0\.0\.1:\d+)/);
  azuriteUrl = `${m[1]}/devstoreaccount1`;
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await connector.stop();
  await new Promise<void>((resolve) => identity.server.close(() => resolve()));
  for (const c of children) fs.rmSync(c.cwd, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}, 30_000);

/** `node dist/src/server/index.js` with STORAGE=blob by account URL; only the variables given here (no connection string). */
async function startBot(name: string, env: NodeJS.ProcessEnv): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = runNode(name, [SERVER], {
    PATH: process.env.PATH,
    HOME: dir,
    PORT: String(port),
    STORAGE: 'blob',
    AZURE_STORAGE_ACCOUNT_URL: azuriteUrl,
    AZURE_STORAGE_CONTAINER: 'identity-state',
    IDENTITY_ENDPOINT: identity.url,
    IDENTITY_HEADER,
    NODE_EXTRA_CA_CERTS: certificate.certPath,
    LOG_LEVEL: 'warn',
    ...env,
  });
  children.push(child);
  await waitForOutput(child, /Bot ready on http:\/\/localhost:\d+\/api\/messages/);
  return { child, url: `http://127.0.0.1:${port}` };
}

describe('AZURE_STORAGE_ACCOUNT_URL configuration', () => {
  it('is the alternative to the connection string: one of the two, a URL, and AZURE_CLIENT_ID picks the identity', () => {
    const config = readConfig({
      STORAGE: 'blob',
      AZURE_STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net/',
      AZURE_CLIENT_ID: 'c-1',
    });
    expect(config).toMatchObject({ azureStorageAccountUrl: 'https://acct.blob.core.windows.net', azureClientId: 'c-1' });
    expect(config.azureStorageConnectionString).toBeUndefined();
    expect(() => readConfig({ STORAGE: 'blob', AZURE_STORAGE_ACCOUNT_URL: 'acct.blob.core.windows.net' })).toThrow(
      /AZURE_STORAGE_ACCOUNT_URL/,
    );
    expect(() =>
      readConfig({
        STORAGE: 'blob',
        AZURE_STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net',
        AZURE_STORAGE_CONNECTION_STRING: 'x',
      }),
    ).toThrow(ConfigError);
    expect(() => readConfig({ STORAGE: 'blob' })).toThrow(/AZURE_STORAGE_ACCOUNT_URL/);
  });
});

describe('STORAGE=blob with a managed identity, against Azurite with OAuth', () => {
  const isCard =
    (action: string) =>
    (a: Partial<Activity>): boolean =>
      buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === action);

  it('a user-assigned identity (AZURE_CLIENT_ID) serves a turn, and another process on DefaultAzureCredential continues it', async () => {
    const t = translator('en');
    const conversation = 'conv-identity';
    const say = async (url: string, payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      expect((await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, 'en-US', payload))).status).toBe(200);
      const mine = connector.received.filter((x) => x.conversationId === conversation);
      connector.received.splice(0, connector.received.length, ...connector.received.filter((x) => !mine.includes(x)));
      return mine;
    };

    const first = await startBot('identity-user-assigned', { AZURE_CLIENT_ID: 'client-of-the-bot' });
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    let replies = await say(first.url, { text: 'my iPhone says connection to the server could not be established' });
    const question = replies.find(isCard('answer'));
    expect(visibleText(question)).toMatch(new RegExp(t('questions.progress', { current: 1, total: '\\d+' })));
    expect(identity.requests.length).toBeGreaterThan(0);
    expect(identity.requests.every((r) => r.header === IDENTITY_HEADER && r.resource === 'https://storage.azure.com')).toBe(true);
    expect(identity.requests.some((r) => r.clientId === 'client-of-the-bot')).toBe(true);
    await stopChild(first.child);

    // A fresh process (no AZURE_CLIENT_ID: DefaultAzureCredential, which finds the same managed identity) reads the
    // saved conversation from the container: the answer to its question gets the first cause card.
    const before = identity.requests.length;
    const second = await startBot('identity-default', {});
    replies = await say(second.url, { value: buttonData(question, (d) => d.action === 'answer' && d.answer !== 'dontknow') });
    expect(replies.some(isCard('outcome'))).toBe(true);
    expect(identity.requests.slice(before).some((r) => r.clientId === null)).toBe(true);
    await stopChild(second.child);
  }, 60_000);

  it('a token for another audience is refused by the storage: /healthz says 503', async () => {
    identity.audience = 'https://management.azure.com';
    try {
      const bot = await startBot('identity-wrong-audience', { AZURE_CLIENT_ID: 'client-of-the-bot' });
      const res = await fetch(`${bot.url}/healthz`);
      expect(res.status).toBe(503);
      await stopChild(bot.child);
    } finally {
      identity.audience = 'https://storage.azure.com';
    }
  }, 60_000);
});
