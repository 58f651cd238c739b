/** Writes docs/knowledge.md, the review table of the knowledge base (checked to be current by the tests). */
import * as fs from 'fs';
import { reviewTable } from '../src/core/knowledge/reviewTable';
import { fromRoot } from '../src/core/paths';

const file = fromRoot('docs', 'knowledge.md');
fs.writeFileSync(file, reviewTable());
process.stdout.write(`${file}\n`);
