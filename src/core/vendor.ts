import type * as VendorBundle from './vendorBundle';

let loaded: typeof VendorBundle | undefined;

/** undici, jose and tough-cookie, loaded when first needed (see vendorBundle.ts). */
export function vendor(): typeof VendorBundle {
  // A require, not an import: esbuild keeps it lazy, and the extension build points it at dist/vendor.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./vendorBundle') as typeof VendorBundle;
  return loaded;
}
