import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        setupFiles: ['./scripts/polyfill.mjs'],
        reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
        testTimeout: 30_000
    }
});
