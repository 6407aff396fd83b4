import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  /** Standard output and error, interleaved; only the last 64 KiB are kept. */
  output: string;
}

const KEEP_CHARS = 64 * 1024;

/** Runs a command to completion and collects its output; rejects only when it cannot be started at all. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-KEEP_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** True when the command can be started (it is on PATH and executable). */
export async function commandExists(
  command: string,
  probeArgs: readonly string[] = ['--version'],
): Promise<boolean> {
  try {
    await runCommand(command, probeArgs);
    return true;
  } catch {
    return false;
  }
}

/** The last lines of some output, indented, for an error message. */
export function tailOf(output: string, lines = 15): string {
  return output
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');
}
