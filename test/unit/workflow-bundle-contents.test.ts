import { findPackagesKeptOut, listBundledPackages } from '../../src/worker/bundle-contents';

// Module ids as webpack writes them into the workflow bundle.
const moduleOf = (id: string): string =>
  `/***/ "${id}":\n/*!***!*\\\n  !*** ${id} ***!\n  \\***/\n/***/ ((module) => { module.exports = {}; }),\n`;

const sdkOnly = [
  moduleOf('../../work/main/node_modules/@temporalio/workflow/lib/workflow.js'),
  moduleOf('../../work/main/node_modules/long/umd/index.js'),
  moduleOf('./dist/workflows/index.js'),
].join('');

describe('workflow bundle contents', () => {
  it('lists the packages a bundle holds, scoped names included', () => {
    expect(listBundledPackages(sdkOnly)).toEqual(['@temporalio/workflow', 'long']);
  });

  it('passes a bundle of workflow code and the SDK', () => {
    expect(findPackagesKeptOut(sdkOnly)).toEqual([]);
  });

  it('flags zod pulled in through a domain module', () => {
    const withZod =
      sdkOnly +
      moduleOf('./dist/src/domain/cart-hold.js') +
      moduleOf('../../work/main/node_modules/zod/v4/classic/schemas.cjs');
    expect(findPackagesKeptOut(withZod)).toEqual(['zod']);
  });
});
