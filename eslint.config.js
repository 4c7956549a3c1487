// n8n's community-node rules (eslint-plugin-n8n-nodes-base) in ESLint's flat config:
// `community` for package.json, `credentials` for credentials/, `nodes` for nodes/.
const tsParser = require('@typescript-eslint/parser');
const jsoncParser = require('jsonc-eslint-parser');
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');

const rulesOf = (name) => n8nNodesBase.configs[name].rules;

module.exports = [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '!eslint.config.js'] },
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: rulesOf('community'),
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...rulesOf('credentials'),
			// Wants nodes-base's internal doc slugs; a community package links a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: rulesOf('nodes'),
	},
	{
		files: ['test/**/*.ts', 'scripts/**/*.ts', 'index.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
	},
];
