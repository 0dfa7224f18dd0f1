/** The product's name and version as users see them, from package.json (one place to bump). */
// The import attribute is what Node's own ESM loader (Playwright Test loads the e2e suite through it) requires for JSON.
import pkg from '../package.json' with { type: 'json' };

export const PRODUCT: { readonly name: string; readonly version: string } = { name: pkg.productName, version: pkg.version };
