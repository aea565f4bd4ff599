// Tests on a 2-core CI machine share it with worker-thread and CLI tests:
// a statistical test that takes 2 s alone can take 10 s there. A hang still
// fails, after a minute rather than 5 s.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
