/** Entry point of the standalone language server bundle (dist/language-server.cjs). Polyfill first. */
import '../polyfill.js';
import { startUkLanguageServer } from './index.js';

startUkLanguageServer();
