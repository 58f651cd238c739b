import * as crypto from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A local stand-in for the Bot Framework's token service on loopback (plain http, 127.0.0.1, a free port):
 *
 * - `GET /.well-known/openid-configuration` (also `/{tenant}/v2.0/.well-known/openid-configuration`, the path MSAL
 *   derives from a login URL): issuer, jwks_uri, token_endpoint, id_token_signing_alg_values_supported RS256.
 * - `GET /.well-known/keys`: the JWKS. Every key is an RSA public key as a JWK with kid, use "sig" and, like
 *   login.botframework.com's keys, an `endorsements` array: botbuilder rejects a token whose key does not endorse the
 *   activity's channelId ("msteams").
 * - `POST /{tenant}/oauth2/v2.0/token`: the client-credentials token endpoint a bot uses for its outgoing calls
 *   (form: grant_type=client_credentials, client_id, client_secret, scope), answering
 *   `{ token_type, expires_in, access_token }` with a JWT whose aud is the scope without "/.default".
 *
 * Tokens are signed RS256 with node's crypto, no JWT library.
 */
export class LocalIssuer {
  /** Base URL, also the `iss` of every token it signs (botbuilder compares it verbatim to ToBotFromChannelTokenIssuer). */
  url = '';
  /** The kid of the default signing key. */
  readonly kid = 'local-bf-key-1';
  /** Every request served, in order (method and path). */
  readonly requests: { method: string; path: string }[] = [];
  /** Client-credentials requests to the token endpoint, with the tenant taken from the path. */
  readonly tokenRequests: { tenant: string; clientId: string; scope: string; granted: boolean }[] = [];
  private readonly keys = new Map<string, { privateKey: crypto.KeyObject; jwk: Record<string, unknown> }>();
  private readonly clients = new Map<string, string>();
  private server?: http.Server;

  constructor(endorsements: string[] = ['msteams']) {
    this.addKey(this.kid, endorsements);
  }

  /** Adds an RSA-2048 signing key to the JWKS (jsonwebtoken 9, under botbuilder, refuses RSA keys under 2048 bits). */
  addKey(kid: string, endorsements: string[]): crypto.KeyObject {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: 'jwk' });
    this.keys.set(kid, { privateKey, jwk: { kty: 'RSA', use: 'sig', kid, n, e, endorsements } });
    return privateKey;
  }

  /** Registers an app (MicrosoftAppId and MicrosoftAppPassword) allowed to get tokens from the token endpoint. */
  registerClient(clientId: string, secret: string): void {
    this.clients.set(clientId, secret);
  }

  /** The value for ToBotFromChannelOpenIdMetadataUrl. */
  get openIdMetadataUrl(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }

  /** The value for ToChannelFromBotLoginUrl: the authority, tenant included (botbuilder uses it verbatim). */
  loginUrl(tenant: string): string {
    return `${this.url}/${tenant}`;
  }

  /**
   * A token like the one the Bot Framework channel service puts in the Authorization header of each activity it
   * posts to the bot: iss, aud (the bot's MicrosoftAppId), serviceurl (the activity's serviceUrl), nbf, exp.
   * `claims` overrides or adds claims (undefined removes one); `signWith`/`kid` sign with another key or header kid.
   */
  channelToken(
    appId: string,
    serviceUrl: string,
    claims: Record<string, unknown> = {},
    options: { signWith?: crypto.KeyObject; kid?: string } = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = { serviceurl: serviceUrl, nbf: now - 5, exp: now + 3600, iss: this.url, aud: appId, ...claims };
    const kid = options.kid ?? this.kid;
    const key = options.signWith ?? this.keys.get(kid)?.privateKey;
    if (!key) throw new Error(`No signing key with kid ${kid}`);
    return signJwt({ alg: 'RS256', typ: 'JWT', kid }, payload, key);
  }

  /** Checks a token this issuer signed (signature, iss, exp) and returns its claims, or throws. */
  verify(token: string): Record<string, unknown> {
    const [h = '', p = '', s = ''] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    const jwk = this.keys.get(header.kid ?? '')?.jwk;
    if (header.alg !== 'RS256' || !jwk) throw new Error('unknown key or algorithm');
    const publicKey = crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: 'jwk' });
    if (!crypto.verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) throw new Error('invalid signature');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (claims.iss !== this.url) throw new Error('wrong issuer');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) throw new Error('expired');
    return claims;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => this.handle(req, body, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const path = (req.url ?? '').split('?')[0]!;
    this.requests.push({ method: req.method ?? '', path });
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'GET' && /^(\/[^/]+\/v2\.0)?\/\.well-known\/openid-configuration$/.test(path)) {
      const tenant = path.split('/')[1] === '.well-known' ? 'common' : path.split('/')[1];
      return json(200, {
        issuer: this.url,
        jwks_uri: `${this.url}/.well-known/keys`,
        authorization_endpoint: `${this.url}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${this.url}/${tenant}/oauth2/v2.0/token`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
      });
    }
    if (req.method === 'GET' && path === '/.well-known/keys') {
      return json(200, { keys: [...this.keys.values()].map((k) => k.jwk) });
    }
    const token = path.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/);
    if (req.method === 'POST' && token) {
      const form = new URLSearchParams(body);
      const clientId = form.get('client_id') ?? '';
      const scope = form.get('scope') ?? '';
      const granted =
        form.get('grant_type') === 'client_credentials' &&
        this.clients.has(clientId) &&
        this.clients.get(clientId) === form.get('client_secret') &&
        scope.endsWith('/.default');
      this.tokenRequests.push({ tenant: token[1]!, clientId, scope, granted });
      if (!granted) return json(401, { error: 'invalid_client', error_description: 'unknown client, wrong secret or bad scope' });
      const now = Math.floor(Date.now() / 1000);
      const accessToken = signJwt(
        { alg: 'RS256', typ: 'JWT', kid: this.kid },
        { iss: this.url, aud: scope.replace(/\/\.default$/, ''), appid: clientId, tid: token[1], nbf: now - 5, iat: now, exp: now + 3600 },
        this.keys.get(this.kid)!.privateKey,
      );
      return json(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: accessToken });
    }
    json(404, { error: 'not_found' });
  }
}

/** An RS256 JWT (RSASSA-PKCS1-v1_5 with SHA-256), signed with node's crypto. */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: crypto.KeyObject): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/**
 * What MSAL's ConfidentialClientApplication.acquireTokenByClientCredential does on the wire against a login URL:
 * one form POST to `{authority}/oauth2/v2.0/token`. Used by the tests in place of MSAL, which refuses plain-http
 * authorities and, for any host it doesn't know, first asks login.microsoftonline.com (instance discovery).
 */
export async function clientCredentialsToken(
  authority: string,
  clientId: string,
  clientSecret: string,
  scopes: string[],
): Promise<{ accessToken: string; expiresOn: Date }> {
  const res = await fetch(`${authority.replace(/\/$/, '')}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: scopes.join(' '),
    }),
  });
  const body = (await res.json()) as { access_token?: string; expires_in?: number; error?: string };
  if (!res.ok || !body.access_token) throw new Error(`token endpoint answered ${res.status}: ${body.error ?? 'no token'}`);
  return { accessToken: body.access_token, expiresOn: new Date(Date.now() + (body.expires_in ?? 0) * 1000) };
}
