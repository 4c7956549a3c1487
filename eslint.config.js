// ESLint loads this file before eslint.config.mjs (its lookup order is .js, .mjs, .cjs), for
// `npm run lint` and for `n8n-node lint` alike (which runs `eslint .`). It is n8n's template config
// for community nodes, the very object eslint.config.mjs exports (`config` of @n8n/node-cli/eslint:
// eslint-plugin-n8n-nodes-base and @n8n/eslint-plugin-community-nodes, n8n Cloud rules on), applied
// unchanged to everything the package ships. Only tests and scripts, which run in Node and never
// in n8n, get rules that suit them. test/unit/lintConfig.test.ts holds both promises.
const { config: n8nTemplate } = require('@n8n/node-cli/eslint');

/** Where code runs in Node only (tests, benchmarks, the demo): not shipped, never loaded by n8n. */
const NODE_ONLY = ['test/**/*.ts', 'scripts/**/*.ts'];

module.exports = [
	{ ignores: ['coverage/**', 'node_modules/**'] },
	...n8nTemplate,
	{
		files: NODE_ONLY,
		rules: {
			// n8n Cloud's rules for code that runs inside n8n: tests and scripts drive processes,
			// files, timers and the environment on purpose.
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			// Fixtures hold the sandbox's made-up keys.
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			// Scripts report on the console; tests load n8n's own modules from an install folder.
			'no-console': 'off',
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
			// Tests drop fields from a result by destructuring the rest (`const { a, ...rest } = x`).
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
		},
	},
];
