import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as diagnostics from 'diagnostics_channel';
import * as http from 'http';
import * as net from 'net';
import { AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import { Activity, StoreItems } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { fromRoot } from '../src/core/paths';
import { App } from '../src/server/app';
import { logger } from '../src/core/log';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { FakeConnector, teamsMessage, startApp, stopApp } from './helpers/http';
import { clientCredentialsToken, LocalIssuer } from './helpers/issuer';

/*
 * Authentication for real, offline: the bot runs with a MicrosoftAppId and botbuilder's parameterized authentication
 * pointed at a local OpenID issuer (test/helpers/issuer.ts). Every request is validated by botbuilder itself
 * (JwtTokenExtractor: metadata and JWKS fetched over http from the issuer, RS256 signature, iss, exp/nbf with its
 * 5-minute clock tolerance, the key's endorsements for "msteams", aud = MicrosoftAppId, serviceurl = serviceUrl).
 */

const APP_ID = '5f0c7a52-0d6e-4a8b-9c3e-2b7d9e1f4a60';
const APP_PASSWORD = 'local-test-secret';
const APP_TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
/** The audience of the bot's outgoing token (the public cloud's value; here only a string checked by the test). */
const TO_CHANNEL_SCOPE = 'https://api.botframework.com';

/**
 * Setting any one of the parameterized keys makes botbuilder (BotFrameworkAuthenticationFactory.create) drop all of
 * its public-cloud defaults, so every one is given, each pointing at loopback.
 */
function authEnv(issuer: LocalIssuer): NodeJS.ProcessEnv {
  return {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: APP_PASSWORD,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: APP_TENANT,
    // Inbound: tokens the channel puts on each activity.
    ToBotFromChannelOpenIdMetadataUrl: issuer.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: issuer.url,
    // Emulator and skill tokens (versioned tokens) are checked against the same local keys: nothing leaves the machine.
    ToBotFromEmulatorOpenIdMetadataUrl: issuer.openIdMetadataUrl,
    // Outbound: the bot's own token for its replies. botbuilder lower-cases this URL and, as it doesn't start with
    // https://login.microsoftonline.com/, uses it as the MSAL authority verbatim: the tenant must be in the path.
    ToChannelFromBotLoginUrl: issuer.loginUrl(APP_TENANT),
    ToChannelFromBotOAuthScope: TO_CHANNEL_SCOPE,
    // The user token service (sign-in cards): not used by this bot, never contacted, but it must not default to the internet.
    OAuthUrl: `${issuer.url}/oauth`,
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: 'true',
  };
}

const start = (env: NodeJS.ProcessEnv): ReturnType<typeof startApp> => startApp(env);

const stop = stopApp;

async function postActivity(url: string, activity: Partial<Activity>, token?: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
  return { status: res.status, text: await res.text() };
}

/** An RSA key the issuer doesn't know. */
const strayKey = (): crypto.KeyObject => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** The conversation a reply was sent into (FakeConnector records it next to the activity). */
const conversationOf = (a: Partial<Activity>): string | undefined => (a as { conversationId?: string }).conversationId;

/** An error whose flow asks an employee one question (how the device is enrolled) before the first cause. */
const SERVER_ERROR = 'Profile Installation Failed. Connection to the server could not be established.';
const hasButton =
  (key: string) =>
  (a: Partial<Activity>): boolean =>
    buttons(a).some((b) => (b.data as Record<string, unknown> | undefined)?.[key] !== undefined);

describe('authentication with a MicrosoftAppId, against a local OpenID issuer', () => {
  const issuer = new LocalIssuer();
  const connector = new FakeConnector();
  /** Authorization headers the fake Bot Connector received with each request (the bot's outgoing calls). */
  const connectorAuth: { method: string; path: string; authorization?: string }[] = [];
  const onServerRequest = (message: unknown): void => {
    const { request } = message as { request: http.IncomingMessage };
    if (`http://127.0.0.1:${request.socket.localPort}` !== connector.url) return;
    connectorAuth.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization });
  };
  let app: App;
  let url: string;
  let msal: jest.SpyInstance;
  let consoleError: jest.SpyInstance;
  const t = translator('en');

  beforeAll(async () => {
    await Promise.all([issuer.start(), connector.start()]);
    issuer.registerClient(APP_ID, APP_PASSWORD);
    issuer.addKey('webchat-only', ['webchat']);
    diagnostics.subscribe('http.server.request.start', onServerRequest);
    // MSAL can't reach a loopback authority: it refuses http ("authority_uri_insecure") and, over https, first asks
    // login.microsoftonline.com for instance discovery (botbuilder passes it no knownAuthorities). Only that network
    // exchange is replaced: MSAL's client-credentials POST, made to the authority, client id and secret botbuilder
    // built from the configuration above; botbuilder's token cache and request signing run unchanged.
    msal = jest.spyOn(ConfidentialClientApplication.prototype, 'acquireTokenByClientCredential').mockImplementation(async function (
      this: ConfidentialClientApplication,
      request,
    ) {
      const { auth } = (this as unknown as { config: { auth: { authority: string; clientId: string; clientSecret?: string } } }).config;
      const token = await clientCredentialsToken(auth.authority, auth.clientId, auth.clientSecret ?? '', request.scopes ?? []);
      return { ...token, tokenType: 'Bearer', scopes: request.scopes } as unknown as AuthenticationResult;
    });
    // botbuilder console.error()s every rejected request (with the token error): expected here.
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    ({ app, url } = await start(authEnv(issuer)));
  });

  afterAll(async () => {
    await stop(app);
    diagnostics.unsubscribe('http.server.request.start', onServerRequest);
    msal.mockRestore();
    consoleError.mockRestore();
    await Promise.all([issuer.stop(), connector.stop()]);
  });

  beforeEach(() => {
    connector.take();
  });

  const message = (conversationId: string, payload: { text?: string; value?: unknown }): Partial<Activity> =>
    teamsMessage(connector.url, conversationId, 'en-US', payload);
  const validToken = (claims: Record<string, unknown> = {}): string => issuer.channelToken(APP_ID, connector.url, claims);
  const stateKeys = (conversationId: string): string[] => [`msteams/conversations/${conversationId}/`, 'msteams/users/29:user-1/'];
  const readState = (conversationId: string): Promise<StoreItems> => app.runtime.storage.read(stateKeys(conversationId));

  it('a valid channel token: 200, the bot answers, and its reply carries its own token from the login URL', async () => {
    const res = await postActivity(url, message('conv-valid', { text: 'Device Cap Reached' }), validToken());
    expect(res.status).toBe(200);
    const replies = connector.take();
    expect(replies.map(conversationOf)).toContain('conv-valid');
    expect(replies.map(visibleText).join('\n')).toContain(t('knowledge:symptoms.device-cap-reached.title'));
    expect(Object.keys(await readState('conv-valid'))).toContain('msteams/conversations/conv-valid/');

    // botbuilder fetched the issuer's metadata and keys over plain http.
    expect(issuer.requests).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/.well-known/openid-configuration' },
        { method: 'GET', path: '/.well-known/keys' },
      ]),
    );
    // The outgoing token: asked for with the bot's id and secret, at the tenant's login URL, for the configured scope...
    expect(msal).toHaveBeenCalled();
    expect(issuer.tokenRequests.length).toBeGreaterThan(0);
    for (const r of issuer.tokenRequests) {
      expect(r).toEqual({ tenant: APP_TENANT, clientId: APP_ID, scope: `${TO_CHANNEL_SCOPE}/.default`, granted: true });
    }
    // ...and sent as a bearer token with every call to the Bot Connector.
    const sends = connectorAuth.filter((c) => c.method === 'POST' && c.path.includes('/conversations/conv-valid/activities'));
    expect(sends.length).toBeGreaterThan(0);
    for (const s of sends) {
      const [scheme, token = ''] = (s.authorization ?? '').split(' ');
      expect(scheme).toBe('Bearer');
      expect(issuer.verify(token)).toMatchObject({ aud: TO_CHANNEL_SCOPE, appid: APP_ID, tid: APP_TENANT });
    }
  });

  it('a token that expired less than 5 minutes ago is still accepted (botbuilder allows 5 minutes of clock skew)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await postActivity(url, message('conv-skew', { text: 'Device Cap Reached' }), validToken({ exp: now - 120 }));
    expect(res.status).toBe(200);
    expect(connector.take().some((r) => conversationOf(r) === 'conv-skew')).toBe(true);
  });

  /**
   * Each bad request, with the status and the reason botbuilder gives. Token-library errors that botbuilder 4.23.3
   * leaves unwrapped (a bad signature, "alg": "none", a future nbf) are mapped to 401 by src/bot/adapter.ts.
   */
  const rejections: { name: string; token: () => string | undefined; status: number; reason: string }[] = [
    { name: 'no token', token: () => undefined, status: 401, reason: 'Unauthorized Access. Request is not authorized' },
    {
      name: 'a wrong signature (another key, same kid)',
      token: () => issuer.channelToken(APP_ID, connector.url, {}, { signWith: strayKey() }),
      status: 401,
      reason: 'Invalid token: invalid signature',
    },
    {
      name: 'a wrong audience (another bot)',
      token: () => validToken({ aud: '99999999-9999-4999-8999-999999999999' }),
      status: 401,
      reason: 'Invalid AppId passed on token',
    },
    {
      name: 'an expired token (beyond the 5-minute tolerance)',
      token: () => validToken({ nbf: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 600 }),
      status: 401,
      reason: 'The token has expired',
    },
    {
      name: "a serviceurl claim other than the activity's serviceUrl",
      token: () => validToken({ serviceurl: 'https://smba.trafficmanager.net/amer/' }),
      status: 401,
      reason: 'ServiceUrl claim do not match',
    },
    {
      name: 'no serviceurl claim',
      token: () => validToken({ serviceurl: undefined }),
      status: 401,
      reason: 'ServiceUrl claim do not match',
    },
    {
      name: 'another issuer (the public Bot Framework one)',
      token: () => validToken({ iss: 'https://api.botframework.com' }),
      status: 401,
      reason: 'No valid identity',
    },
    {
      name: 'a key of the issuer not endorsed for msteams',
      token: () => issuer.channelToken(APP_ID, connector.url, {}, { kid: 'webchat-only' }),
      status: 401,
      reason: 'Could not validate endorsement',
    },
    {
      name: 'an unknown kid',
      token: () => issuer.channelToken(APP_ID, connector.url, {}, { kid: 'nobody', signWith: strayKey() }),
      status: 401,
      reason: 'Signing Key could not be retrieved',
    },
    {
      name: 'an unsigned token ("alg": "none")',
      token: () => {
        const [h, p] = validToken().split('.');
        const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>;
        return `${Buffer.from(JSON.stringify({ ...header, alg: 'none' })).toString('base64url')}.${p}.`;
      },
      status: 401,
      reason: 'Invalid token: jwt signature is required',
    },
    {
      name: 'a token not valid yet (nbf beyond the tolerance)',
      token: () => validToken({ nbf: Math.floor(Date.now() / 1000) + 900 }),
      status: 401,
      reason: 'Invalid token: jwt not active',
    },
  ];

  it.each(rejections)(
    '$name: rejected ($status) before the turn — no reply, no state, the reason in the log only',
    async ({ token, status, reason }) => {
      const conversationId = `conv-${Math.random().toString(36).slice(2)}`;
      const before = await readState(conversationId);
      const warn = jest.spyOn(logger, 'warn');
      const res = await postActivity(url, message(conversationId, { text: SERVER_ERROR }), token());
      const reasons = warn.mock.calls.map(([fields]) => (fields as { reason?: string }).reason ?? '').join('\n');
      warn.mockRestore();
      expect(res.status).toBe(status);
      // The caller learns nothing about why; the operator does.
      expect(JSON.parse(res.text)).toEqual({ error: 'unauthorized' });
      expect(reasons).toContain(reason);
      expect(connector.take()).toEqual([]);
      const after = await readState(conversationId);
      expect(after).toEqual(before);
      expect(after[`msteams/conversations/${conversationId}/`]).toBeUndefined();

      // The same message with a valid token is then the conversation's first: the flow starts from scratch.
      expect((await postActivity(url, message(conversationId, { text: SERVER_ERROR }), validToken())).status).toBe(200);
      const replies = connector.take();
      expect(replies.map(visibleText).join('\n')).toContain(t('knowledge:symptoms.server-connection-failed.title'));
      expect(visibleText(replies.find(hasButton('answer')))).toContain(t('questions.progress', { current: 1, total: '' }).trim());
    },
  );

  it('in the middle of a flow, answers with bad tokens change nothing; the valid answer moves on by exactly one step', async () => {
    const conv = 'conv-midflow';
    expect((await postActivity(url, message(conv, { text: SERVER_ERROR }), validToken())).status).toBe(200);
    const q1 = connector.take().find(hasButton('answer'));
    const answer = buttonData(q1, (d) => d.answer === 'dontknow');
    const snapshot = await readState(conv);
    expect(snapshot[`msteams/conversations/${conv}/`]).toBeDefined();

    for (const r of rejections) {
      const res = await postActivity(url, message(conv, { value: answer }), r.token());
      expect({ case: r.name, status: res.status }).toEqual({ case: r.name, status: r.status });
      expect(connector.take()).toEqual([]);
      expect(await readState(conv)).toEqual(snapshot);
    }

    expect((await postActivity(url, message(conv, { value: answer }), validToken())).status).toBe(200);
    // The flow's one question answered: the first cause.
    const next = connector.take().find(hasButton('outcome'));
    expect(visibleText(next)).toContain(t('cause.progress', { current: 1, total: 5 }));
    expect(visibleText(next)).not.toEqual(visibleText(q1));
  });
});

describe('what the server process prints when it refuses tokens', () => {
  const issuer = new LocalIssuer();
  beforeAll(() => issuer.start());
  afterAll(() => issuer.stop());

  const freePort = (): Promise<number> =>
    new Promise((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });

  it('bad-signature tokens: 401 "unauthorized", stdout only the start-up line, stderr only JSON log lines, no key printed', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [fromRoot('dist', 'src', 'server', 'index.js')], {
      env: { ...process.env, ...authEnv(issuer), PORT: String(port), STORAGE: 'memory', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      const until = Date.now() + 15_000;
      while (!out.includes('Bot ready') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const url = `http://127.0.0.1:${port}`;
      const serviceUrl = 'http://127.0.0.1:9/';
      for (let i = 0; i < 3; i++) {
        const bad = issuer.channelToken(APP_ID, serviceUrl, {}, { signWith: strayKey() });
        const res = await postActivity(url, teamsMessage(serviceUrl, `conv-pem-${i}`, 'en-US', { text: 'Device Cap Reached' }), bad);
        expect(res.status).toBe(401);
        expect(JSON.parse(res.text)).toEqual({ error: 'unauthorized' });
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(out.trim().split('\n')).toEqual([expect.stringMatching(/^Bot ready on /)]);
    expect(out + err).not.toMatch(/BEGIN (RSA )?PUBLIC KEY/);
    const lines = err.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const refused = lines
      .map((l) => JSON.parse(l) as { msg?: string; reason?: string })
      .filter((l) => l.msg === 'request refused: not authenticated');
    expect(refused).toHaveLength(3);
    expect(refused[0]!.reason).toContain('invalid signature');
  }, 40_000);
});
