import { AuthenticationConstants, ClaimsIdentity, ConnectorClient, ConnectorFactory, UserTokenClient } from 'botframework-connector';

/**
 * The Bot Connector clients of the bot, kept between turns. botbuilder builds a new ConnectorClient (an HTTP pipeline
 * of a dozen policies) and a new UserTokenClient for every incoming activity, work repeated on every turn.
 * A client holds no per-turn state: its credentials fetch and refresh their own token. One client serves each
 * (app id, audience, service URL); the service URLs of a tenant's channel are few, and the map is bounded anyway
 * (an unauthenticated local setup could be sent any serviceUrl).
 */
export class ConnectorClients {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(private readonly max = 200) {}

  /** A ConnectorFactory that hands out the kept client, and asks `inner` only for a client it does not have yet. */
  factory(inner: ConnectorFactory, claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new KeptConnectorFactory(this, inner, appIdOf(claimsIdentity));
  }

  /** The kept client for this key, or the one `create` makes (then kept). */
  connector(key: string, create: () => Promise<ConnectorClient>): Promise<ConnectorClient> {
    return this.keep(this.connectors, key, create);
  }

  userTokenClient(claimsIdentity: ClaimsIdentity, create: () => Promise<UserTokenClient>): Promise<UserTokenClient> {
    return this.keep(this.tokenClients, appIdOf(claimsIdentity), create);
  }

  get size(): number {
    return this.connectors.size;
  }

  private keep<T>(map: Map<string, Promise<T>>, key: string, create: () => Promise<T>): Promise<T> {
    const kept = map.get(key);
    if (kept) return kept;
    if (map.size >= this.max) map.delete(map.keys().next().value!);
    const made = create();
    map.set(key, made);
    // A failed creation (credentials not available) is not kept: the next turn tries again.
    made.catch(() => {
      if (map.get(key) === made) map.delete(key);
    });
    return made;
  }
}

class KeptConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly clients: ConnectorClients,
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.clients.connector(`${this.appId}\u0000${audience ?? ''}\u0000${serviceUrl}`, () => this.inner.create(serviceUrl, audience));
  }
}

/** The bot's app id for its outgoing calls, read from the claims as botbuilder does (audience, else appid). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}
