import fs from 'fs';
import path from 'path';
import { ContainerClient } from '@azure/storage-blob';
import * as botbuilder from 'botbuilder';
import { BotState, ConversationState, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import * as dialogsIndex from 'botbuilder-dialogs';
import * as sdk from '../dialogs/sdk';
import * as http from 'http';
import { AddressInfo } from 'net';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { botStateSlot, sanitizeBlobKey, singleAttemptClient, validateAndFixActivity } from '../src/bot/sdkInternals';

/**
 * The botbuilder internals the bot relies on (src/bot/sdkInternals.ts, dialogs/sdk.ts), checked against the installed
 * packages. When an upgrade changes the version, re-check each internal below, then update PINNED.
 */
const PINNED: Record<string, string> = {
  botbuilder: '4.23',
  'botbuilder-core': '4.23',
  'botbuilder-dialogs': '4.23',
  'botbuilder-azure-blobs': '4.23',
  'botframework-connector': '4.23',
};

/** The version of the package a bare `require(name)` from the project loads. */
function installedVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (pkg.name === name) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json for ${name}`);
    dir = path.dirname(dir);
  }
}

const context = (): TurnContext =>
  new TurnContext(new TestAdapter(), {
    type: 'message',
    channelId: 'msteams',
    conversation: { id: 'conv-1' } as botbuilder.ConversationAccount,
    from: { id: 'user-1', name: 'User' },
    recipient: { id: 'bot', name: 'Bot' },
    text: 'hi',
  });

describe('botbuilder internals', () => {
  it.each(Object.entries(PINNED))('%s is the version the internals were checked against', (name, pinned) => {
    const [major, minor] = installedVersion(name).split('.');
    expect(`${major}.${minor}`).toBe(pinned);
  });

  it('validateAndFixActivity (botbuilder/lib/activityValidator) refuses an activity without a type and parses its timestamps', () => {
    expect(() => validateAndFixActivity({} as botbuilder.Activity)).toThrow(/missing activity type/);
    const fixed = validateAndFixActivity({ type: 'message', timestamp: '2026-01-02T03:04:05.000Z' } as unknown as botbuilder.Activity);
    expect(fixed.timestamp).toBeInstanceOf(Date);
    expect((fixed.timestamp as Date).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect((fixed as unknown as { rawTimestamp: string }).rawTimestamp).toBe('2026-01-02T03:04:05.000Z');
  });

  it('sanitizeBlobKey (botbuilder-azure-blobs/lib/sanitizeBlobKey) names a key’s blob exactly as BlobsStorage does', async () => {
    const named: string[] = [];
    const create = jest.spyOn(ContainerClient.prototype, 'createIfNotExists').mockResolvedValue({} as never);
    const blob = jest.spyOn(ContainerClient.prototype, 'getBlobClient').mockImplementation((name: string) => {
      named.push(name);
      throw new Error('not reached');
    });
    try {
      const storage = new BlobsStorage('UseDevelopmentStorage=true', 'state');
      const key = 'msteams/conversations/a:1 b?c/';
      await expect(storage.read([key])).rejects.toThrow();
      expect(named).toEqual([sanitizeBlobKey(key)]);
      expect(sanitizeBlobKey(key)).not.toBe(key);
    } finally {
      create.mockRestore();
      blob.mockRestore();
    }
  });

  it('botStateSlot (BotState’s private stateKey) is where BotState caches the state it loaded in the turn', async () => {
    const storage = new MemoryStorage();
    await storage.write({ 'msteams/conversations/conv-1/': { marker: 42 } });
    const state: BotState = new ConversationState(storage);
    const turn = context();
    const loaded = await state.load(turn);
    const slot = botStateSlot(state);
    expect(typeof slot).toBe('symbol');
    const cached = turn.turnState.get(slot) as botbuilder.CachedBotState;
    expect(cached.state).toBe(loaded);
    expect(cached.state.marker).toBe(42);
  });

  it('dialogs/sdk.ts re-exports the same classes the botbuilder-dialogs index does', () => {
    for (const name of ['ComponentDialog', 'Dialog', 'DialogTurnStatus', 'DialogContext', 'DialogSet', 'WaterfallDialog'] as const) {
      expect([name, sdk[name]]).toEqual([name, dialogsIndex[name]]);
      expect(sdk[name]).toBe(dialogsIndex[name]);
    }
  });

  it('STATE_CONFIGURATION_KEY is where DialogStateManager caches its configuration, and a configuration found there is used', async () => {
    const accessor = new ConversationState(new MemoryStorage()).createProperty<sdk.DialogState>('dialogs');
    const first = context();
    await new sdk.DialogSet(accessor).createContext(first);
    const built = first.turnState.get(sdk.STATE_CONFIGURATION_KEY) as { memoryScopes: unknown[]; pathResolvers: unknown[] };
    expect(built.memoryScopes.length).toBeGreaterThan(0);
    expect(built.pathResolvers.length).toBeGreaterThan(0);

    const second = context();
    second.turnState.set(sdk.STATE_CONFIGURATION_KEY, built);
    const dc = await new sdk.DialogSet(accessor).createContext(second);
    expect((dc.state as unknown as { configuration: unknown }).configuration).toBe(built);
  });

  it("singleAttemptClient (ConnectorClient's private pipeline without defaultRetryPolicy) sends a cut request once; a kept client sends it again", async () => {
    let attempts = 0;
    const server = http.createServer((req) => {
      attempts++;
      req.socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const kept = new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: url });
      const create = (client: ConnectorClient): Promise<unknown> =>
        client.conversations.createConversation({ isGroup: true, bot: { id: '28:bot', name: '' } } as never);
      await expect(create(singleAttemptClient(kept, url))).rejects.toThrow();
      expect(attempts).toBe(1);
      await expect(create(kept)).rejects.toThrow();
      expect(attempts).toBeGreaterThan(2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 60_000);
});
