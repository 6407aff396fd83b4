// The project's entry point on a fresh clone: plain Node, no dependencies (node_modules may not exist yet).
//   node scripts/bootstrap.mjs start            install, build, run the dev stack (npm start)
//   node scripts/bootstrap.mjs test [JEST ARGS]  install, build, lint, format check, type-check, Jest (npm test)
//   node scripts/bootstrap.mjs bench [ARGS]      install, build, run the benchmark (npm run bench)
//   node scripts/bootstrap.mjs bench:sourcing    install, build, run the sourcing benchmark (npm run bench:sourcing)
//   node scripts/bootstrap.mjs bench:inventory   install, build, run the inventory benchmark (npm run bench:inventory)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const [command, ...rest] = process.argv.slice(2);
const steps = [];

function say(line) {
  console.log(`\n[bootstrap] ${line}`);
}

/** Runs a command with the terminal; resolves with its exit code. Ctrl-C reaches it directly; SIGTERM is passed on. */
function run(file, args) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit' });
    const onInterrupt = () => {}; // the child got it too, from the terminal; wait for it to finish
    const onTerminate = () => child.kill('SIGTERM');
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);
    const finish = (code) => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(code);
    };
    child.on('error', (error) => {
      console.error(`[bootstrap] cannot run ${file}: ${error.message}`);
      finish(127);
    });
    child.on('exit', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

/** Runs one named step, records its outcome and time, and stops the whole run at the first failure. */
async function step(name, file, args) {
  const shown = file.startsWith(root) ? path.relative(root, file) : path.basename(file);
  say(`${name}: ${shown} ${args.join(' ')}`);
  const started = Date.now();
  const code = await run(file, args);
  steps.push({ name, ok: code === 0, seconds: (Date.now() - started) / 1000 });
  if (code !== 0) {
    printSummary();
    say(`${name} failed (exit code ${code})`);
    process.exit(code || 1);
  }
}

function printSummary(extra = []) {
  console.log('\n[bootstrap] summary');
  for (const { name, ok, seconds } of steps) {
    console.log(`  ${ok ? 'ok    ' : 'FAILED'}  ${name.padEnd(12)} ${seconds.toFixed(1).padStart(6)} s`);
  }
  for (const line of extra) console.log(line);
}

function dependenciesAreCurrent() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return false;
  return statSync(path.join(root, 'package-lock.json')).mtimeMs <= statSync(installed).mtimeMs;
}

/** Runs a command quietly; resolves with its exit code and output. */
function capture(file, args) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 127, output: error.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * `npm ci`, exactly the lock file. npm refuses a lock file that lacks other platforms' optional packages
 * (a registry that does not serve them leaves them out); `npm install` installs the same locked versions then.
 */
async function installDependencies() {
  say('npm ci');
  const started = Date.now();
  const ci = await capture('npm', ['ci']);
  if (ci.code === 0) {
    steps.push({ name: 'npm ci', ok: true, seconds: (Date.now() - started) / 1000 });
    return;
  }
  if (!/in sync/.test(ci.output)) {
    console.error(ci.output);
    steps.push({ name: 'npm ci', ok: false, seconds: (Date.now() - started) / 1000 });
    printSummary();
    process.exit(1);
  }
  say('npm ci refused the lock file (optional packages of other platforms are missing from it); npm install');
  await step('npm install', 'npm', ['install']);
}

async function prepare() {
  const [major] = process.versions.node.split('.').map(Number);
  if (major < 20) {
    console.error(`Node.js 20 or newer is needed; this is ${process.version}.`);
    process.exit(1);
  }
  if (!dependenciesAreCurrent()) await installDependencies();
  await step('build', bin('tsc'), ['-p', 'tsconfig.build.json']);
  await step('bundle', process.execPath, [path.join(root, 'dist', 'src', 'worker', 'bundle-workflows.js')]);
}

/** Loads a compiled module of the project in this process (so Ctrl-C reaches it once, and only it). */
async function runCompiled(relativePath, args) {
  const file = path.join(root, 'dist', relativePath);
  if (!existsSync(file)) {
    console.error(`[bootstrap] ${path.relative(root, file)} is missing after the build.`);
    process.exit(1);
  }
  process.argv = [process.argv[0], file, ...args];
  await import(pathToFileURL(file).href);
}

async function test(jestArgs) {
  await prepare();
  await step('eslint', bin('eslint'), ['.']);
  await step('prettier', bin('prettier'), ['--check', '.']);
  await step('typecheck', bin('tsc'), ['--noEmit', '-p', '.']);
  await step('tools', process.execPath, [path.join('dist', 'src', 'dev', 'install-tools.js')]);
  const results = path.join(tmpdir(), `couture-jest-${process.pid}.json`);
  const started = Date.now();
  const code = await run(bin('jest'), [
    '--ci',
    '--forceExit',
    '--json',
    `--outputFile=${results}`,
    ...jestArgs,
  ]);
  steps.push({ name: 'jest', ok: code === 0, seconds: (Date.now() - started) / 1000 });
  const extra = [];
  if (existsSync(results)) {
    const report = JSON.parse(readFileSync(results, 'utf8'));
    rmSync(results, { force: true });
    const skipped = report.numPendingTests + report.numTodoTests;
    extra.push(
      `\n${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
    );
  }
  printSummary(extra);
  process.exit(code);
}

switch (command) {
  case 'test':
    await test(rest);
    break;
  case 'start':
    await prepare();
    await runCompiled(path.join('src', 'dev', 'start-stack.js'), rest);
    break;
  case 'bench':
    await prepare();
    await runCompiled(path.join('src', 'dev', 'run-bench.js'), rest);
    break;
  case 'bench:sourcing':
    await prepare();
    await runCompiled(path.join('src', 'bench', 'sourcing-bench.js'), rest);
    break;
  case 'bench:inventory':
    await prepare(); // the dev servers it starts are installed on first use, like npm run bench's
    await runCompiled(path.join('src', 'dev', 'run-inventory-bench.js'), rest);
    break;
  default:
    console.error(
      'usage: node scripts/bootstrap.mjs start|test|bench|bench:sourcing|bench:inventory [ARGS...]',
    );
    process.exit(2);
}
