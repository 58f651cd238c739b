/**
 * The terminal chat (`npm run chat -- --agent`), run as a user runs it (the built dist/scripts/chat.js, lines on
 * stdin): a typed "@name" is a mention there, so the agent commands the README shows work, in every language.
 */
import { spawnSync } from 'child_process';
import { fromRoot } from '../src/core/paths';
import { translator } from '../src/core/knowledge/locales';

/** The bot's replies to the lines typed, as the terminal prints them. */
const chat = (locale: string, lines: string[]): string => {
  const r = spawnSync(process.execPath, [fromRoot('dist', 'scripts', 'chat.js'), '--locale', locale, '--agent'], {
    input: `${lines.join('\n')}\n`,
    encoding: 'utf8',
    cwd: fromRoot(),
  });
  expect(r.status).toBe(0);
  return r.stdout;
};

describe.each([
  ['en', 'Ana', 'can you send the device cap flow to @Ana please'],
  ['es', 'Ana', 'enviale a @Ana el de limite de dispositivos'],
  ['it', 'Marco', 'puoi mandare a @Marco il flusso per il limite dispositivi?'],
])('the terminal chat as an agent, in %s', (locale, name, send) => {
  const tr = translator(locale);
  const forget = tr('agent.forgetExample').replace(/\*\*/g, '').replace(/@\S+/, `@${name}`);

  it(`"${forget}" deletes what the session keeps about ${name} and says so; a flow to send says it needs Teams`, () => {
    const out = chat(locale, [forget, send]);
    expect(out).toContain(tr('agent.forgotten', { user: name, tickets: 0 }));
    expect(out).not.toContain(tr('agent.needsMention', { example: tr('agent.forgetExample') }));
    const title = tr('knowledge:symptoms.device-cap-reached.title');
    expect(out).toContain(tr('agent.unavailable', { title, user: name }));
    // The flow did not start here for the agent.
    const progress = tr('questions.progress', { current: '§', total: '§' })
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/§/g, '\\d+');
    expect(out).not.toMatch(new RegExp(progress));
  });
});
