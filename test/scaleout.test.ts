import { createBot } from '../src/bot';
import { readConfig } from '../src/bot/config';
import { createApp } from '../src/server/app';
import { FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';
import { genericErrorStart, SlowStorage } from './helpers/storage';

// Two instances of the bot (two real HTTP apps, each with its own adapter and in-process serialization) behind
// no affinity, sharing one storage whose reads are slow: a second message read before the first turn saved is
// the race every load balancer produces sooner or later.

const generic = genericErrorStart('en');

describe('two instances, one conversation, messages arriving at the same moment', () => {
  const connector = new FakeConnector();
  beforeAll(() => connector.start());
  afterAll(() => connector.stop());

  async function twoInstances(lease: 'on' | 'off'): Promise<{ urls: string[]; storage: SlowStorage; stop: () => Promise<void> }> {
    const storage = new SlowStorage(15);
    const config = readConfig({ PORT: '0', STORAGE: 'memory', CONVERSATION_LEASE: lease, LOG_LEVEL: 'silent' });
    const apps = await Promise.all([0, 1].map(() => startApp({}, { app: createApp(config, createBot(config, storage)) })));
    return { urls: apps.map((a) => a.url), storage, stop: async () => void (await Promise.all(apps.map((a) => stopApp(a.app)))) };
  }

  /** Sends `count` messages at once, alternating between the instances; returns the transcript stored afterwards. */
  async function burst(urls: string[], storage: SlowStorage, conversation: string, count: number): Promise<string[]> {
    const texts = Array.from({ length: count }, (_, i) => `message number ${i + 1} from the user`);
    const statuses = await Promise.all(
      texts.map((text, i) => post(`${urls[i % 2]}/api/messages`, teamsMessage(connector.url, conversation, 'en-US', { text }))),
    );
    expect(statuses.map((s) => s.status)).toEqual(texts.map(() => 200));
    const key = `msteams/conversations/${conversation}/`;
    const state = (await storage.inner.read([key]))[key] as { conversationData?: { transcript?: { from: string; text: string }[] } };
    return (state.conversationData?.transcript ?? []).filter((e) => e.from === 'user').map((e) => e.text);
  }

  it('CONVERSATION_LEASE=on: every message is in the conversation state and nobody gets an error', async () => {
    const { urls, storage, stop } = await twoInstances('on');
    try {
      const transcript = await burst(urls, storage, 'conv-burst-lease', 8);
      expect([...transcript].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `message number ${i + 1} from the user`).sort());
      const errors = connector.received.filter((a) => a.conversationId === 'conv-burst-lease' && (a.text ?? '').startsWith(generic));
      expect(errors).toEqual([]);
      expect(connector.received.filter((a) => a.conversationId === 'conv-burst-lease').length).toBeGreaterThanOrEqual(8);
    } finally {
      await stop();
    }
  });

  it('CONVERSATION_LEASE=off: the eTag guard refuses the stale saves (the user is told), so no update is dropped silently', async () => {
    const { urls, storage, stop } = await twoInstances('off');
    try {
      const transcript = await burst(urls, storage, 'conv-burst-nolease', 8);
      const told = connector.received.filter((a) => a.conversationId === 'conv-burst-nolease' && (a.text ?? '').startsWith(generic));
      // Without the lease, some turns lose the race: each of them is refused and the user is told, none vanishes.
      expect(transcript.length).toBeLessThan(8);
      expect(transcript.length + told.length).toBe(8);
    } finally {
      await stop();
    }
  });
});
