/** Kept in step with package.json's version by the build (scripts/build.mjs checks it). */
export const UKC_VERSION = '0.1.0';
