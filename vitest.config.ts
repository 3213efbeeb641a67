import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, fast, no peers) and `interop` (real MIT krb5, Samba AD DC, Chromium,
// tshark, impacket started by the project's scripts). Interop files run one at a time: they share
// network namespaces and the machine has two cores.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/interop/**', 'node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'interop',
          include: ['test/interop/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
