import * as fs from 'fs';
import * as path from 'path';

// No Bicep compiler or Azure here: these checks keep infra/, m365agents.yml, env/.env.dev and the bot's own
// configuration in step, so a renamed parameter, output or variable fails here rather than in a deployment.

const ROOT = path.resolve(__dirname, '..');
const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), 'utf8');

interface Param {
  name: string;
  type: string;
  required: boolean;
  allowed?: string[];
}

/** `param` declarations of a Bicep file, with their @allowed lists. */
function params(bicep: string): Param[] {
  const out: Param[] = [];
  let allowed: string[] | undefined;
  for (const line of bicep.split(/\r?\n/)) {
    const a = /^@allowed\(\[(.*)\]\)/.exec(line);
    if (a) allowed = [...a[1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
    const p = /^param (\w+) (\w+)(\s*=.*)?$/.exec(line);
    if (p) {
      out.push({ name: p[1]!, type: p[2]!, required: !p[3], ...(allowed ? { allowed } : {}) });
      allowed = undefined;
    }
  }
  return out;
}

const outputs = (bicep: string): string[] => [...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1]!);
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]!))];
const envFile = (text: string): Map<string, string> =>
  new Map(
    text
      .split(/\r?\n/)
      .map((l) => /^([A-Za-z_]\w*)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1]!, m[2]!]),
  );

const main = read('infra/azure.bicep');
const bot = read('infra/botRegistration/azurebot.bicep');
const parameters = JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, { value: unknown }> };
const project = read('m365agents.yml');
const devEnv = envFile(read('env/.env.dev'));
const example = envFile(read('.env.example'));

describe('infra/azure.bicep and infra/azure.parameters.json', () => {
  it('every parameter given is declared, and every required one is given', () => {
    const declared = params(main);
    const given = Object.keys(parameters.parameters);
    expect(given.filter((g) => !declared.some((d) => d.name === g))).toEqual([]);
    expect(declared.filter((d) => d.required && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
    // The tenant, the app, the helpdesk team and the retention are parameters.
    for (const name of ['tenantId', 'botAppType', 'botAppId', 'botAppPassword', 'helpdeskTeamId', 'retentionDays']) {
      expect(declared.map((d) => d.name)).toContain(name);
    }
  });

  it('every placeholder is an environment variable of env/.env.dev, or a secret of env/.env.dev.user', () => {
    const missing = placeholders(JSON.stringify(parameters)).filter((v) => !devEnv.has(v) && !v.startsWith('SECRET_'));
    expect(missing).toEqual([]);
    // Fixed values respect the template's @allowed lists.
    for (const p of params(main).filter((x) => x.allowed)) {
      const v = parameters.parameters[p.name]?.value;
      if (typeof v === 'string' && !v.includes('${{')) expect(p.allowed).toContain(v);
    }
  });

  it('the Azure Bot module gets every parameter it requires and nothing it does not declare', () => {
    const block = /module azureBotRegistration '\.\/botRegistration\/azurebot\.bicep' = \{[\s\S]*?params: \{([\s\S]*?)\n {2}\}/.exec(main);
    expect(block).not.toBeNull();
    const passed = [...block![1]!.matchAll(/^\s+(\w+):/gm)].map((m) => m[1]!);
    const declared = params(bot);
    expect(passed.filter((p) => !declared.some((d) => d.name === p))).toEqual([]);
    expect(declared.filter((d) => d.required && !passed.includes(d.name)).map((d) => d.name)).toEqual([]);
    expect(declared.find((d) => d.name === 'botAppType')?.allowed).toEqual(params(main).find((d) => d.name === 'botAppType')?.allowed);
  });

  it('configures the bot with variables it reads (each documented in .env.example), on Node 22, checked on /healthz', () => {
    const settings = [...main.matchAll(/\{ name: '(\w+)', value: /g)].map((m) => m[1]!);
    const platform = ['SCM_DO_BUILD_DURING_DEPLOYMENT', 'WEBSITE_RUN_FROM_PACKAGE'];
    // The product contract's retention variable, set by the template ahead of the retention work that documents it.
    if (!example.has('RETENTION_DAYS')) platform.push('RETENTION_DAYS');
    expect(settings.filter((s) => !platform.includes(s) && !example.has(s))).toEqual([]);
    for (const s of [
      'NODE_ENV',
      'MicrosoftAppId',
      'MicrosoftAppType',
      'MicrosoftAppTenantId',
      'STORAGE',
      'AZURE_STORAGE_ACCOUNT_URL',
      'AZURE_CLIENT_ID',
      'HELPDESK_TEAM_ID',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'METRICS_TOKEN',
    ]) {
      expect(settings).toContain(s);
    }
    expect(main).toContain("linuxFxVersion: 'NODE|22-lts'");
    expect(main).toContain("healthCheckPath: '/healthz'");
    expect(main).toContain('alwaysOn: true');
    expect(main).toContain("appCommandLine: 'node scripts/start.cjs'");
    expect(fs.existsSync(path.join(ROOT, 'scripts/start.cjs'))).toBe(true);
    // The botAppType values are MicrosoftAppType values the bot documents.
    const documented = read('.env.example');
    for (const t of params(main).find((d) => d.name === 'botAppType')!.allowed!) expect(documented).toContain(t);
  });

  it('the identity may use the state container: Storage Blob Data Contributor, and no shared keys', () => {
    expect(main).toContain("'ba92f5b4-2d11-453d-a403-e96b0029c9fe'");
    expect(main).toMatch(/principalId: identity\.properties\.principalId/);
    expect(main).toContain('allowSharedKeyAccess: false');
  });

  it('names resource types with released API versions', () => {
    for (const file of [main, bot]) {
      const types = [...file.matchAll(/^resource \w+ '([\w./]+)@([\w-]+)'/gm)];
      expect(types.length).toBeGreaterThan(0);
      for (const [, , version] of types) expect(version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('m365agents.yml', () => {
  it('has provision, deploy and publish, deploying the template with its parameters file', () => {
    for (const stage of ['provision', 'deploy', 'publish']) expect(project).toMatch(new RegExp(`^${stage}:$`, 'm'));
    expect(project).toMatch(/^environmentFolderPath: \.\/env$/m);
    expect(project).toContain('- path: ./infra/azure.bicep');
    expect(project).toContain('parameters: ./infra/azure.parameters.json');
  });

  it('refers to outputs of the template or variables of env/.env.dev only', () => {
    const known = new Set([...outputs(main), ...devEnv.keys()]);
    expect(placeholders(project).filter((v) => !known.has(v))).toEqual([]);
  });

  it('runs scripts and npm scripts that exist, and the app package that `npm run package` writes', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    for (const [, script] of project.matchAll(/npm run (\w[\w:-]*)/g)) expect(Object.keys(pkg.scripts)).toContain(script);
    for (const [, file] of project.matchAll(/sh (scripts\/[\w.-]+)/g)) expect(fs.existsSync(path.join(ROOT, file!))).toBe(true);
    expect(read('scripts/package.ts')).toMatch(/path.join\(outDir, 'appPackage.zip'\)/);
    for (const [, zip] of project.matchAll(/appPackagePath: (\S+)/g)) expect(zip).toBe('./build/appPackage.zip');
  });
});
