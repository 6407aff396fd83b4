import { existsSync } from 'node:fs';
import path from 'node:path';

/** Walks up from a folder to the one holding package.json: works from src/dev (ts-jest) and dist/src/dev. */
function findProjectRoot(start: string): string {
  let folder = start;
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${start}`);
    folder = parent;
  }
  return folder;
}

/** The repository root. */
export const projectRoot = findProjectRoot(__dirname);

/** A path inside the git-ignored folder of installed tools (OMS_TOOLS_DIR overrides it, e.g. to share one install). */
export function toolsPath(...parts: string[]): string {
  return path.resolve(process.env.OMS_TOOLS_DIR ?? path.join(projectRoot, '.tools'), ...parts);
}

/** A path inside the git-ignored folder of the dev stack's data (OMS_DATA_DIR overrides it). */
export function dataPath(...parts: string[]): string {
  return path.resolve(process.env.OMS_DATA_DIR ?? path.join(projectRoot, '.data'), ...parts);
}

/** A path inside the repository. */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot, ...parts);
}
