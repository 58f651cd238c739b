import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** A child process started by a test, its output kept for failure messages. */
export interface Child {
  name: string;
  process: ChildProcess;
  output: () => string;
  /** Its working directory: a fresh temporary folder (no .env is read there) unless given. */
  cwd: string;
  /** Started as the leader of its own process group (e.g. `npm start`): stopping it signals the whole group. */
  group: boolean;
}

/** Starts `node <args>` in its own temporary folder (or `cwd`), with exactly `env`. */
export function runNode(name: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Child {
  return start(name, process.execPath, args, env, cwd, false);
}

/**
 * Starts `command <args>` (no shell) in its own temporary folder (or `cwd`), with exactly `env`, in a process group
 * of its own: npm runs a script through a shell that does not pass SIGTERM on, so the whole group is signalled.
 */
export function runCommand(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Child {
  return start(name, command, args, env, cwd, true);
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string | undefined, group: boolean): Child {
  const dir = cwd ?? fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, process: child, output: () => output, cwd: dir, group };
}

/** Resolves with the first match of `pattern` in the child's output; fails if it exits or takes too long. */
export function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.process.stdout!.off('data', check);
      child.process.stderr!.off('data', check);
      child.process.off('exit', exited);
    };
    const check = (): void => {
      const m = child.output().match(pattern);
      if (m) {
        done();
        resolve(m);
      }
    };
    const exited = (code: number | null): void => {
      done();
      reject(new Error(`${child.name} exited (${code}) before ${pattern}:\n${child.output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${child.name}: no ${pattern} after ${timeoutMs} ms:\n${child.output()}`));
    }, timeoutMs);
    child.process.stdout!.on('data', check);
    child.process.stderr!.on('data', check);
    child.process.on('exit', exited);
    check();
  });
}

/** SIGTERM, then SIGKILL if it is still there after 5 s; resolves once the process has exited. */
export async function stopChild(child: Child): Promise<void> {
  const p = child.process;
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals): void => {
    try {
      if (child.group && p.pid) process.kill(-p.pid, s);
      else p.kill(s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A port that was free a moment ago on loopback. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
