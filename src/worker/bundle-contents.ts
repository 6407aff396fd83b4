/**
 * Packages kept out of the workflow bundle. With the SDK's reusable V8 context every cached workflow evaluates
 * the workflow modules again in its own module cache, so a module that builds zod schemas costs each cached
 * workflow about 0.9 MiB: 400 cached workflows took the worker from ~0.4 to 1–1.9 GiB. Validate at the gateway
 * or in activities; workflows import plain functions and types.
 */
export const PACKAGES_KEPT_OUT_OF_WORKFLOWS = ['zod'] as const;

/** The packages (`name` or `@scope/name`) whose files a webpack bundle holds, from its module ids. */
export function listBundledPackages(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)\//g))
    names.add(match[1] as string);
  return [...names].sort();
}

/** The kept-out packages a workflow bundle holds (empty when it is fine). */
export function findPackagesKeptOut(code: string): string[] {
  const bundled = new Set(listBundledPackages(code));
  return PACKAGES_KEPT_OUT_OF_WORKFLOWS.filter((name) => bundled.has(name));
}
