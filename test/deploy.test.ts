import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { eventually, FakeConnector, post, teamsMessage } from './helpers/http';
import { Child, freePort, runCommand, stopChild } from './helpers/processes';

// The production tree as the Dockerfile's runtime stage makes it: scripts/runtime-stage.sh run on this (built)
// checkout into a temporary folder, node_modules pruned to the production dependencies. Then, in that folder made
// read-only: `npm start` with no compiler and no training, /healthz, one conversation over HTTP, the state in the
// state folder, the container's health check.

const ROOT = path.resolve(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir = '';
let app = '';
const children: Child[] = [];
const connector = new FakeConnector();

/** Every file below `folder`, relative to it. */
function filesIn(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(folder, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/src/server/index.js'))) throw new Error('dist/ is missing: run "npm run build" first');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-test-'));
  app = path.join(dir, 'app');
  const r = spawnSync('sh', [path.join(ROOT, 'scripts/runtime-stage.sh'), ROOT, app], { encoding: 'utf8', timeout: 580_000 });
  if (r.status !== 0) throw new Error(`runtime-stage.sh failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  await connector.start();
}, 600_000);

afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await connector.stop();
  if (dir) {
    execFileSync('chmod', ['-R', 'u+w', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('the runtime stage (scripts/runtime-stage.sh)', () => {
  it('holds the built server, the models and production dependencies only: no sources, tests or dev tools', () => {
    const files = filesIn(app).filter((f) => !f.startsWith('node_modules'));
    expect(files).toEqual(
      expect.arrayContaining(['dist/src/server/index.js', 'dist/models/nlu-en.json', 'dist/models/nlu-es.json', 'dist/models/nlu-it.json']),
    );
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(test|bench|dist\/test|dist\/bench)\//.test(f))).toEqual([]);
    const modules = fs.readdirSync(path.join(app, 'node_modules'));
    for (const dev of ['jest', 'ts-jest', 'eslint', 'prettier', 'azurite']) expect(modules).not.toContain(dev);
    expect(fs.existsSync(path.join(app, 'node_modules/@types/jest'))).toBe(false);
    expect(modules).toEqual(expect.arrayContaining(['botbuilder', 'restify', '@azure']));
  });

  it("`npm ci --omit=dev`'s prepare step there skips the build instead of failing, and leaves dist/ as it is", () => {
    const before = fs.statSync(path.join(app, 'dist/models/nlu-en.json')).mtimeMs;
    const r = spawnSync(NPM, ['run', 'prepare', '--loglevel=warn'], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/dev dependencies not installed.*build skipped \(the existing dist\/ is used\)/);
    expect(fs.statSync(path.join(app, 'dist/models/nlu-en.json')).mtimeMs).toBe(before);
  });

  it('read-only, `npm start` serves /healthz and a conversation over HTTP; state goes to the state folder only', async () => {
    execFileSync('chmod', ['-R', 'a-w', app]);
    const state = path.join(dir, 'state');
    fs.mkdirSync(state);
    const port = await freePort();
    const started = Date.now();
    const bot = runCommand(
      'deploy-npm-start',
      NPM,
      ['start'],
      { PATH: process.env.PATH, HOME: dir, PORT: String(port), STORAGE_DIR: state, LOG_LEVEL: 'warn' },
      app,
    );
    children.push(bot);
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      const res = await fetch(`${url}/healthz`).catch(() => undefined);
      if (res?.status === 200) break;
      if (bot.process.exitCode !== null) throw new Error(`npm start exited (${bot.process.exitCode}):\n${bot.output()}`);
      if (Date.now() - started > 60_000) throw new Error(`no /healthz 200 after 60 s:\n${bot.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    // Reported, not asserted (a shared machine): `node scripts/startup-time.cjs` measures the start-up target.
    process.stderr.write(`deploy test: npm start → /healthz 200 in ${Date.now() - started} ms\n`);

    const t = translator('es');
    const conversation = 'conv-deploy';
    const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      expect((await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, 'es-ES', payload))).status).toBe(200);
      return connector.received.splice(0).filter((x) => x.conversationId === conversation);
    };
    const isQuestion = (a: Partial<Activity>): boolean =>
      buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === 'answer');
    let replies = await say({ text: 'mi iPhone dice que no se pudo establecer una conexión con el servidor' });
    expect(replies.map(visibleText).join('\n')).toContain(t('knowledge:symptoms.server-connection-failed.title'));
    const question = replies.find(isQuestion);
    // Its one question answered (how the device is enrolled): the first cause card, in Spanish.
    replies = await say({ value: buttonData(question, (d) => d.action === 'answer' && d.answer !== 'dontknow') });
    expect(replies.map(visibleText).join('\n')).toContain(t('cause.progress', { current: 1, total: 5 }));
    expect(filesIn(state).length).toBeGreaterThan(0);

    // The container's HEALTHCHECK command: healthy while it serves, unhealthy once it is gone.
    const check = (): number | null =>
      spawnSync(process.execPath, ['scripts/healthcheck.cjs'], { cwd: app, env: { PORT: String(port) } }).status;
    expect(check()).toBe(0);
    await stopChild(bot);
    await eventually(() => check() === 1, 15_000);
  }, 120_000);

  it('without a build, `npm start` says what to run', () => {
    const bare = path.join(dir, 'bare');
    fs.mkdirSync(path.join(bare, 'scripts'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'locales'), path.join(bare, 'locales'), { recursive: true });
    for (const f of ['package.json', '.npmrc', 'scripts/start.cjs']) fs.copyFileSync(path.join(ROOT, f), path.join(bare, f));
    const r = spawnSync(NPM, ['start'], { cwd: bare, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('No build found');
    expect(r.stderr).toContain('npm run build');
  });
});

describe('the Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1] ?? '';

  it("builds in one stage and runs, from the tested script's output, on Node 22 as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^node:22[-.\w]*\s/);
    expect(stages[0]).toMatch(/RUN npm ci\b/);
    expect(stages[0]).toMatch(/sh scripts\/runtime-stage\.sh \/src \/app/);
    expect(runtime).toMatch(/COPY --from=build \/app \/app/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/ENV NODE_ENV=production/);
  });

  it('checks /healthz with the script tested above, starts with the launcher and keeps state in a volume', () => {
    expect(runtime).toMatch(/HEALTHCHECK .*CMD \["node", "scripts\/healthcheck\.cjs"\]/);
    expect(runtime).toMatch(/CMD \["node", "scripts\/start\.cjs"\]/);
    const stateDir = /STORAGE_DIR=(\S+)/.exec(runtime)?.[1];
    expect(stateDir).toBeDefined();
    expect(runtime).toContain(`VOLUME ["${stateDir}"]`);
    expect(runtime).toContain(`chown node:node ${stateDir}`);
  });

  it('.dockerignore keeps local installs, builds, state and secrets out of the build context', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/);
    for (const p of ['node_modules', 'dist', 'data', '.env']) expect(ignored).toContain(p);
  });
});
