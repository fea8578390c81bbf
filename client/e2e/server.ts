// Builds and runs the real Go server for the browser tests: `--addr 127.0.0.1:0`, a temporary
// data directory, ready when it prints "nappe: listening on http://…".
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Compiles ./server once into a temporary directory and returns the binary's path. */
export function buildServer(): string {
  const out = join(mkdtempSync(join(tmpdir(), 'nappe-bin-')), 'nappe');
  const r = spawnSync('go', ['build', '-o', out, './server'], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go build ./server failed:\n${r.stderr}`);
  return out;
}

export interface RunningServer {
  url: string;
  port: number;
  data: string;
  proc: ChildProcess;
  log: string[];
  /** Kills the process (SIGKILL: nothing is flushed or said to the clients) and waits for it. */
  kill(): Promise<void>;
  /** SIGTERM and wait: the server says bye to everyone. */
  stop(): Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'nappe-data-'));
}

export function startServer(bin: string, data: string, addr = '127.0.0.1:0', timeoutMs = 30_000): Promise<RunningServer> {
  const proc = spawn(bin, ['--addr', addr, '--data', data], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => {
    log.push(l);
    if (process.env.NAPPE_E2E_VERBOSE) console.error(`[server] ${l}`);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    // A server that does not stop within 15 s is killed: a test run must end.
    const force = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server not ready in ${timeoutMs} ms; stderr:\n${log.join('\n')}`));
    }, timeoutMs);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready; stderr:\n${log.join('\n')}`));
    };
    proc.once('exit', early);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      log.push(line);
      const m = /^nappe: listening on (http:\/\/[^\s]+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      proc.off('exit', early);
      const url = m[1].replace(/\/$/, '');
      resolve({ url, port: Number(new URL(url).port), data, proc, log, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') });
    });
  });
}
