import { performance } from 'perf_hooks';
import { ConversationState, MemoryStorage, StoreItems, TestAdapter, TurnContext } from 'botbuilder';
import { leasePerConversation, serializePerConversation } from '../src/bot';
import { GuardedConversationState, LightUserState } from '../src/bot/state';
import { Leases, LeaseTimeoutError } from '../src/core/lease';
import { KeyValueStore } from '../src/core/storage';
import { Conversation } from './helpers/harness';
import { SlowStorage } from './helpers/storage';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A read-modify-write with a pause in the middle, as a turn does (read state, work, save): without mutual
 * exclusion, concurrent runs read the same value and all but one increment are lost.
 */
async function increment(store: KeyValueStore): Promise<void> {
  const current = ((await store.read(['count'])).count as { n: number } | undefined)?.n ?? 0;
  await sleep(5);
  await store.write({ count: { n: current + 1, eTag: '*' } });
}
const countOf = async (store: KeyValueStore): Promise<number> => ((await store.read(['count'])).count as { n: number } | undefined)?.n ?? 0;

describe('conversation leases (turns of one conversation across instances)', () => {
  it('without a lease, concurrent read-modify-writes lose updates (what the lease prevents)', async () => {
    const store = new MemoryStorage();
    await Promise.all(Array.from({ length: 10 }, () => increment(store)));
    expect(await countOf(store)).toBeLessThan(10);
  });

  it('two "instances" on one shared storage, each running 10 leased read-modify-writes at once, lose nothing', async () => {
    const shared = new MemoryStorage();
    const instances = [new Leases(shared, { pollMs: 2 }), new Leases(shared, { pollMs: 2 })];
    const stores = [shared, shared];
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const lease = await instances[i % 2]!.acquire('msteams/a:conversation');
        inside++;
        maxInside = Math.max(maxInside, inside);
        try {
          await increment(stores[i % 2]!);
        } finally {
          inside--;
          await lease.release();
        }
      }),
    );
    expect(maxInside).toBe(1);
    expect(await countOf(shared)).toBe(20);
    // Other conversations are not held up: their lease is free.
    await (await instances[0]!.acquire('msteams/another')).release();
  });

  it('the lease of a crashed holder expires and is taken over; its late release does not free the new holder', async () => {
    const store = new MemoryStorage();
    let now = 1_000_000;
    const crashed = new Leases(store, { ttlMs: 30_000, now: () => now });
    const other = new Leases(store, { ttlMs: 30_000, pollMs: 1, maxWaitMs: 50, now: () => now });
    const stale = await crashed.acquire('c');
    await expect(other.acquire('c')).rejects.toBeInstanceOf(LeaseTimeoutError);
    now += 30_001;
    const taken = await other.acquire('c');
    await stale.release();
    now += 1;
    await expect(new Leases(store, { pollMs: 1, maxWaitMs: 20, now: () => now }).acquire('c')).rejects.toBeInstanceOf(LeaseTimeoutError);
    await taken.release();
    await (await other.acquire('c')).release();
  });
});

describe('GuardedConversationState: a save based on a stale read fails instead of overwriting', () => {
  const activity = {
    type: 'message',
    channelId: 'msteams',
    conversation: { id: 'a:1' },
    from: { id: '29:u' },
    recipient: { id: '28:bot' },
  };
  const contextOn = (adapter: TestAdapter): TurnContext => new TurnContext(adapter, { ...activity } as never);

  it.each([
    ['ConversationState (botbuilder: last writer wins)', false],
    ['GuardedConversationState', true],
  ])('%s', async (_name, guarded) => {
    const storage = new MemoryStorage();
    const adapter = new TestAdapter();
    const State = guarded ? GuardedConversationState : ConversationState;
    // Two instances, each with its own state object, take a turn of the same conversation at the same time.
    const [stateA, stateB] = [new State(storage), new State(storage)];
    const [notesA, notesB] = [stateA.createProperty<string[]>('notes'), stateB.createProperty<string[]>('notes')];
    const [a, b] = [contextOn(adapter), contextOn(adapter)];
    const [listA, listB] = [await notesA.get(a, []), await notesB.get(b, [])];
    listA.push('from A');
    listB.push('from B');
    await stateA.saveChanges(a);
    const late = stateB.saveChanges(b);
    if (guarded) {
      await expect(late).rejects.toThrow(/eTag conflict/);
      const fresh = contextOn(adapter);
      expect(await new State(storage).createProperty<string[]>('notes').get(fresh)).toEqual(['from A']);
    } else {
      await late;
      const fresh = contextOn(adapter);
      // A's update is gone without a trace: the reason for the guard (and the lease in front of it).
      expect(await new State(storage).createProperty<string[]>('notes').get(fresh)).toEqual(['from B']);
    }
  });

  it('conversation state is saved whenever the turn read it; user state only when it changed', async () => {
    const writes: string[] = [];
    const memory = new MemoryStorage();
    const storage = {
      read: (k: string[]) => memory.read(k),
      write: (c: Record<string, unknown>) => (writes.push(...Object.keys(c)), memory.write(c)),
      delete: (k: string[]) => memory.delete(k),
    };
    const conversation = new GuardedConversationState(storage);
    const user = new LightUserState(storage);
    const [step, language] = [conversation.createProperty<{ n: number }>('step'), user.createProperty<{ lang: string }>('language')];
    const adapter = new TestAdapter();
    const turn = contextOn(adapter);
    (await step.get(turn, { n: 0 }))!.n = 1;
    await language.get(turn, { lang: 'es' });
    await Promise.all([conversation.saveChanges(turn), user.saveChanges(turn)]);
    expect(writes.sort()).toEqual(['msteams/conversations/a:1/', 'msteams/users/29:u/']);
    writes.length = 0;
    // The same turn saves again after more changes to the conversation (its second save overwrites its first).
    (await step.get(turn))!.n = 2;
    await Promise.all([conversation.saveChanges(turn), user.saveChanges(turn)]);
    expect(writes).toEqual(['msteams/conversations/a:1/']);
    const next = contextOn(adapter);
    expect(await new GuardedConversationState(storage).createProperty<{ n: number }>('step').get(next)).toEqual({ n: 2 });
    // A turn that only reads the user's language does not write it back.
    writes.length = 0;
    expect(await language.get(next)).toEqual({ lang: 'es' });
    await user.saveChanges(next);
    expect(writes).toEqual([]);
  });
});

describe('turns of one conversation are queued, in one process and across instances', () => {
  const at = (conversation: string): TurnContext =>
    new TurnContext(new TestAdapter(), { type: 'message', channelId: 'msteams', conversation: { id: conversation } } as never);
  const chain = (): ((context: TurnContext, logic: () => Promise<void>) => Promise<void>) => {
    const queue = serializePerConversation();
    const lease = leasePerConversation(new Leases(new MemoryStorage(), { pollMs: 2, maxWaitMs: 2_000 }));
    return (context, logic) => queue(context, () => lease(context, logic));
  };

  it('two turns of one conversation run one after the other; another conversation is not held up', async () => {
    const run = chain();
    const events: string[] = [];
    let releaseFirst!: () => void;
    const first = run(at('a'), async () => {
      events.push('first starts');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      events.push('first ends');
    });
    const second = run(at('a'), async () => void events.push('second'));
    await run(at('b'), async () => void events.push('other conversation'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['first starts', 'other conversation']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first starts', 'other conversation', 'first ends', 'second']);
  });
});

describe('storage round trips of a turn', () => {
  it('a message reads its conversation state and its user state at once, not one after the other', async () => {
    const reads: { key: string; start: number; end: number }[] = [];
    const storage = new (class extends SlowStorage {
      override async read(keys: string[]): Promise<StoreItems> {
        const start = performance.now();
        const items = await super.read(keys);
        reads.push(...keys.map((key) => ({ key, start, end: performance.now() })));
        return items;
      }
    })(40);
    const convo = new Conversation('it-IT', storage);
    const replies = await convo.send('Workplace Join non riuscito');
    expect(replies.length).toBeGreaterThan(0);
    const conversation = reads.find((r) => r.key.includes('/conversations/'))!;
    const user = reads.find((r) => r.key.includes('/users/'))!;
    // Both reads were under way at the same time.
    expect(conversation.start).toBeLessThan(user.end);
    expect(user.start).toBeLessThan(conversation.end);
  });
});
