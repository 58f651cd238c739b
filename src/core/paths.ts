import * as fs from 'fs';
import * as path from 'path';

let cachedRoot: string | undefined;

/** The project root: the nearest folder above this file that holds package.json (works from src/ and dist/src/). */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'locales'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Project root not found above ${__dirname}`);
    dir = parent;
  }
}

export const fromRoot = (...parts: string[]): string => path.join(projectRoot(), ...parts);
