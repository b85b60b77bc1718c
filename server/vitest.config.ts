import { defineConfig } from 'vitest/config';

// The sync server's tests (Node), apart from the app's projects in vite.config.ts.
export default defineConfig({
	test: {
		name: 'server',
		root: '.',
		include: ['server/**/*.test.ts'],
		environment: 'node',
		expect: { requireAssertions: true },
		testTimeout: 60_000,
		hookTimeout: 60_000,
		fileParallelism: false
	}
});
