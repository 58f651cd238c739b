import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MemoryStorage, Storage } from 'botbuilder';
import { FileStorage } from '../src/bot/fileStorage';
import { ABSENT_ETAG, isEtagConflict } from '../src/core/storage';

describe('FileStorage', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'filestorage-'));
  });

  it('keeps items across instances (a restarted bot reads what the previous one wrote)', async () => {
    await new FileStorage(dir).write({ 'msteams/conversations/a:b': { step: 3, eTag: '*' } });
    const again = await new FileStorage(dir).read(['msteams/conversations/a:b', 'missing']);
    expect(again['msteams/conversations/a:b']).toMatchObject({ step: 3 });
    expect(again).not.toHaveProperty('missing');
  });

  it('honours eTags: a write with a stale eTag fails and changes nothing', async () => {
    const s = new FileStorage(dir);
    await s.write({ k: { v: 1 } });
    const first = (await s.read(['k'])).k as { v: number; eTag: string };
    await s.write({ k: { v: 2, eTag: first.eTag } });
    await expect(s.write({ k: { v: 3, eTag: first.eTag } })).rejects.toThrow(/eTag conflict/);
    expect((await s.read(['k'])).k).toMatchObject({ v: 2 });
    await s.write({ k: { v: 4, eTag: '*' } });
    expect((await s.read(['k'])).k).toMatchObject({ v: 4 });
    // A specific eTag on an item that no longer exists is a failed precondition too (as in Azure Blob Storage).
    await expect(s.write({ gone: { v: 1, eTag: first.eTag } })).rejects.toThrow(/eTag conflict/);
  });

  it('serialises concurrent writes of one key and leaves no temporary files behind', async () => {
    const s = new FileStorage(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.write({ k: { v: i } })));
    expect(fs.readdirSync(dir)).toEqual([`${encodeURIComponent('k')}.json`]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'k.json'), 'utf8'))).toHaveProperty('v');
  });

  it('deletes', async () => {
    const s = new FileStorage(dir);
    await s.write({ k: { v: 1 } });
    await s.delete(['k']);
    expect(await s.read(['k'])).toEqual({});
  });
});

describe('"create if absent" (ABSENT_ETAG), which the ticket counter and conversation leases rely on', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'absent-'));
  });

  // Two FileStorage instances on one folder do not share their in-process locks, like two processes.
  const cases: [string, () => [Storage, Storage]][] = [
    [
      'MemoryStorage',
      () => {
        const memory = new MemoryStorage();
        return [memory, memory];
      },
    ],
    ['FileStorage (two instances on one folder)', () => [new FileStorage(dir), new FileStorage(dir)]],
  ];

  it.each(cases)(
    '%s: of 20 simultaneous creates of one key exactly one succeeds; the others fail as eTag conflicts',
    async (_name, make) => {
      const [one, two] = make();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).write({ counter: { next: 1000 + i, eTag: ABSENT_ETAG } })),
      );
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [1000 + i] : []));
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(isEtagConflict(r.reason)).toBe(true);
      const stored = (await one.read(['counter'])).counter as { next: number; eTag: string };
      expect(stored.next).toBe(won[0]);
      expect(stored.eTag).not.toBe(ABSENT_ETAG);
      // Once it exists, "create if absent" keeps failing; a write with its eTag succeeds.
      await expect(two.write({ counter: { next: 1, eTag: ABSENT_ETAG } })).rejects.toThrow(/eTag conflict/);
      await two.write({ counter: { next: 2, eTag: stored.eTag } });
      expect((await one.read(['counter'])).counter).toMatchObject({ next: 2 });
      if (fs.readdirSync(dir).length) expect(fs.readdirSync(dir)).toEqual(['counter.json']);
    },
  );
});
