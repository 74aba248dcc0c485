/**
 * The session library as one self-contained bundle (dist/session.js) for browsers and web workers. The
 * polyfill comes first: chevrotain needs `Object.groupBy`, which Node 20 and older browsers lack.
 */
import '../polyfill.js';
export * from './index.js';
// `export *` cannot pass on names that come from a CommonJS module (vscode-uri's URI): named explicitly.
export { URI } from './index.js';
