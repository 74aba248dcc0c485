import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { diagnosticsWithText } from './helpers.js';
test('quick', async () => {
    const text = readFileSync(process.env.UKFILE!, 'utf8');
    console.log((await diagnosticsWithText(text)).join('\n'));
});
