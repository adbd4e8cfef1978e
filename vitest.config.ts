import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the case-space enumeration of validate/diff on rule set 2.0 takes minutes on a loaded
    // 2-core machine (until the symbolic analysis replaces it)
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
