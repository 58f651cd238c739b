/**
 * The README's code map ("How the code is organized") against the tree: every folder and file it names exists,
 * and every folder under src/ is named, so a reader who follows it never looks for something that is not there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fromRoot } from '../src/core/paths';

const ROOT = fromRoot();

function codeMap(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## How the code is organized'));
  const block = /```\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('the README has no code map block under "How the code is organized"');
  return block[1]!.split('\n').filter((line) => line.trim());
}

/** The entries of the map (the first column), as paths from the project root. */
function entries(): { entry: string; description: string }[] {
  const out: { entry: string; description: string }[] = [];
  let top = '';
  for (const line of codeMap()) {
    const m = /^( {0,2})(\S+)\s*(.*)$/.exec(line);
    if (!m) {
      // A continuation line of the entry above.
      out[out.length - 1]!.description += ` ${line.trim()}`;
      continue;
    }
    const entry = m[1] ? path.posix.join(top, m[2]!) : m[2]!;
    if (!m[1]) top = entry.endsWith('/') ? entry : path.posix.dirname(entry);
    out.push({ entry, description: m[3]! });
  }
  return out;
}

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? [p, ...allFiles(p)] : [p];
  });
}

describe("the README's code map", () => {
  it('names folders and files that exist', () => {
    const missing = entries()
      .map(({ entry }) => entry.replace('<lng>', 'en'))
      .filter((entry) => !fs.existsSync(path.join(ROOT, entry)));
    expect(missing).toEqual([]);
  });

  it('every file its descriptions name exists in that folder (or, with a slash, from the root)', () => {
    const missing: string[] = [];
    for (const { entry: named, description } of entries()) {
      const entry = named.replace('<lng>', 'en');
      const folder = path.join(ROOT, entry.endsWith('/') ? entry : path.posix.dirname(entry));
      for (const [name] of description.matchAll(/[\w./<>-]+\.(?:ts|cjs|sh|json|yml)\b/g)) {
        if (name.includes('*')) continue;
        const file = name.replace('<lng>', 'en');
        const found = file.includes('/')
          ? fs.existsSync(path.join(ROOT, file)) || fs.existsSync(path.join(folder, file))
          : fs.existsSync(path.join(ROOT, file)) || allFiles(folder).some((p) => path.basename(p) === file);
        if (!found) missing.push(`${entry}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names every folder under src/', () => {
    const named = new Set(entries().map(({ entry }) => entry.replace(/\/$/, '')));
    const folders = allFiles(path.join(ROOT, 'src'))
      .filter((p) => fs.statSync(p).isDirectory())
      .map((p) => path.relative(ROOT, p).split(path.sep).join('/'));
    expect(folders.length).toBeGreaterThan(5);
    expect(folders.filter((f) => !named.has(f))).toEqual([]);
  });
});
