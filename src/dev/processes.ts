import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { projectPath } from './project-paths';

/** Where a service's output goes: prefixed lines on our console, a log file, or nowhere (still kept for errors). */
export type OutputTarget = 'console' | 'ignore' | { file: string };

export interface ServiceSpec {
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  output: OutputTarget;
  /**
   * Run the command through scripts/tether.mjs, which stops it when we die. Needed for programs that do not
   * watch their standard input themselves (the Java dev server does: it gets --exit-on-stdin-close).
   */
  tether?: boolean;
  /** Hide console output once stop() was called (servers that log every broken connection on the way down). */
  quietWhileStopping?: boolean;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const KEPT_LINES = 200;
const live = new Set<Service>();
let exitHookInstalled = false;

/** Last resort when the launcher exits without stopping its services (an uncaught error): kill their groups. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const service of live) service.killGroup('SIGKILL');
  });
}

/** A child process started by the dev tooling, in its own process group, with its output kept line by line. */
export class Service {
  readonly exited: Promise<ExitStatus>;
  private readonly lines: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly log: WriteStream | undefined;
  private status: ExitStatus | undefined;
  private stopping = false;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    output: OutputTarget,
    quietWhileStopping = false,
  ) {
    if (typeof output === 'object') {
      mkdirSync(path.dirname(output.file), { recursive: true });
      this.log = createWriteStream(output.file, { flags: 'a' });
    }
    const sink = (line: string): void => {
      // A server's complaints while it shuts down (peers gone, polls cut) are noise on the console.
      if (output === 'console' && !(this.stopping && quietWhileStopping))
        process.stdout.write(`[${name}] ${line}\n`);
      else this.log?.write(`${line}\n`);
      this.lines.push(line);
      if (this.lines.length > KEPT_LINES) this.lines.shift();
      for (const listener of this.lineListeners) listener(line);
    };
    splitLines(child.stdout, sink);
    splitLines(child.stderr, sink);
    this.exited = new Promise((resolve) => {
      const finish = (status: ExitStatus): void => {
        if (this.status) return;
        this.status = status;
        live.delete(this);
        child.stdin?.destroy();
        this.log?.end();
        resolve(status);
      };
      child.once('exit', (code, signal) => finish({ code, signal }));
      child.once('error', (error) => {
        sink(`cannot start: ${error.message}`);
        finish({ code: null, signal: null });
      });
    });
  }

  /** The process id (of the tether when the service is tethered). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.status === undefined;
  }

  /** The last lines the service printed, for error messages. */
  recentOutput(lines = 30): string {
    return this.lines.slice(-lines).join('\n');
  }

  /** Resolves with the first line matching the pattern (already printed or coming); rejects if the service exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const match = pattern.exec(line);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.lineListeners.delete(listener);
      };
      const listener = (line: string): void => {
        const match = pattern.exec(line);
        if (match) {
          cleanup();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name} printed no line matching ${String(pattern)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.lineListeners.add(listener);
      void this.exited.then((status) => {
        cleanup();
        reject(new Error(`${this.name} exited (${describeExit(status)}) before it was ready`));
      });
    });
  }

  /** Sends a signal to the whole process group (the tether and its command alike). */
  killGroup(signal: NodeJS.Signals): void {
    if (!this.running || this.pid === undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Asks the service to stop (SIGTERM) and kills its group if it has not exited after timeoutMs. */
  async stop(timeoutMs = 10_000): Promise<ExitStatus> {
    if (!this.running) return this.exited;
    this.stopping = true;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.killGroup('SIGKILL'), timeoutMs);
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }
}

function splitLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) onLine(part.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}

/** "exit code 1" or "signal SIGKILL". */
export function describeExit(status: ExitStatus): string {
  return status.signal ? `signal ${status.signal}` : `exit code ${String(status.code)}`;
}

/** Starts a service in its own process group, so a Ctrl-C in the terminal reaches only the launcher. */
export function spawnService(spec: ServiceSpec): Service {
  installExitHook();
  const [command, args] = spec.tether
    ? [process.execPath, [projectPath('scripts', 'tether.mjs'), spec.command, ...spec.args]]
    : [spec.command, [...spec.args]];
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    // Our end of stdin stays open for the child's whole life: it closing is how the child learns we died.
    // Output is always read (readiness lines, error reports), even when it is shown nowhere.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const service = new Service(spec.name, child, spec.output, spec.quietWhileStopping);
  live.add(service);
  return service;
}

/** Every service started by this process that has not exited yet, in start order. */
export function liveServices(): Service[] {
  return [...live];
}

/** Stops services one after the other, in the order given. */
export async function stopServices(services: readonly Service[], timeoutMs = 10_000): Promise<void> {
  for (const service of services) await service.stop(timeoutMs);
}
