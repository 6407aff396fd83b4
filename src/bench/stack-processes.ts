import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

const distRoot = path.resolve(__dirname, '..', '..');

export interface BenchStack {
  gatewayUrl: string;
  worker: ChildProcess;
  gateway: ChildProcess;
  stop(): Promise<void>;
}

// BENCH_NODE_ARGS adds Node flags to the worker and gateway, e.g. `--cpu-prof --cpu-prof-dir=.bench/profiles`
// or `--trace-gc`; their standard output then goes to .bench/<label>-<pid>.out (it is dropped otherwise).
const extraNodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Where a child's standard output goes: a file under .bench/ when Node flags were added, else nowhere. */
function outputOf(label: string): 'ignore' | number {
  if (extraNodeArgs.length === 0) return 'ignore';
  mkdirSync('.bench', { recursive: true });
  return openSync(path.join('.bench', `${label}-${process.pid}-${Date.now()}.out`), 'w');
}

function startNodeProcess(script: string, env: NodeJS.ProcessEnv, label: string): ChildProcess {
  const child = spawn(process.execPath, [...extraNodeArgs, path.join(distRoot, script)], {
    env,
    stdio: ['ignore', outputOf(label), 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk.toString()}`));
  return child;
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
      lastProblem = await response.text();
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`gateway not ready after ${timeoutMs} ms: ${lastProblem}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.warn(`[bench] pid ${child.pid} did not stop within 10 s of SIGTERM: killing it`);
    child.kill('SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts the built worker and gateway as separate processes (so their memory can be read) and waits for /readyz. */
export async function startBenchStack(env: NodeJS.ProcessEnv, port: number): Promise<BenchStack> {
  const childEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  const worker = startNodeProcess('src/worker/main.js', childEnv, 'worker');
  const gateway = startNodeProcess('src/gateway/main.js', childEnv, 'gateway');
  const gatewayUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopProcess(gateway);
    await stopProcess(worker);
  };
  try {
    await waitForReady(gatewayUrl, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { gatewayUrl, worker, gateway, stop };
}
