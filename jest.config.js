/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFiles: ['<rootDir>/test/setup/env.ts'],
	testTimeout: 60_000,
	// n8n-core's DI services (SSH client cache, task scheduler) start intervals that are never
	// unref'd; without this jest waits for them after the last test.
	forceExit: true,
};
