import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileStorage } from '../src/bot/fileStorage';

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
