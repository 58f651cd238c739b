import { AuthenticationConstants, ClaimsIdentity, ConnectorClient, ConnectorFactory } from 'botframework-connector';
import { ConnectorClients } from '../src/bot/connectors';

/** A ConnectorFactory that counts what it builds, and fails while `failing` is set (credentials not available). */
class CountingFactory extends ConnectorFactory {
  built = 0;
  failing = false;
  async create(serviceUrl: string): Promise<ConnectorClient> {
    if (this.failing) throw new Error('token endpoint unreachable');
    this.built++;
    return { serviceUrl } as unknown as ConnectorClient;
  }
}

const claims = (appId: string): ClaimsIdentity => new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);

describe('Bot Connector clients kept between turns', () => {
  it('one client per app, audience and service URL; a failed creation is not kept, so the next turn tries again', async () => {
    const clients = new ConnectorClients();
    const inner = new CountingFactory();
    const turn = (appId: string, serviceUrl: string, audience?: string): Promise<ConnectorClient> =>
      clients.factory(inner, claims(appId)).create(serviceUrl, audience);

    const a = await turn('bot', 'https://smba.example/emea/');
    expect(await turn('bot', 'https://smba.example/emea/')).toBe(a);
    expect(await turn('bot', 'https://smba.example/amer/')).not.toBe(a);
    expect(await turn('other-bot', 'https://smba.example/emea/')).not.toBe(a);
    expect(await turn('bot', 'https://smba.example/emea/', 'https://api.botframework.us')).not.toBe(a);
    expect(inner.built).toBe(4);

    inner.failing = true;
    await expect(turn('bot', 'https://smba.example/apac/')).rejects.toThrow('token endpoint unreachable');
    inner.failing = false;
    const apac = await turn('bot', 'https://smba.example/apac/');
    expect((apac as unknown as { serviceUrl: string }).serviceUrl).toBe('https://smba.example/apac/');
  });

  it('keeps at most the given number of clients (any serviceUrl can be sent when authentication is off)', async () => {
    const clients = new ConnectorClients(3);
    const inner = new CountingFactory();
    for (let i = 0; i < 10; i++) await clients.factory(inner, claims('bot')).create(`https://connector-${i}.example/`);
    expect(clients.size).toBe(3);
    // The most recent ones are the ones kept.
    await clients.factory(inner, claims('bot')).create('https://connector-9.example/');
    expect(inner.built).toBe(10);
  });
});
