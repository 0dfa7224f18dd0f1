/** The product's name and version as users see them, from package.json (one place to bump). */
import pkg from '../package.json';

export const PRODUCT: { readonly name: string; readonly version: string } = { name: pkg.productName, version: pkg.version };
