// n8n's community-node rules in ESLint's flat config: eslint-plugin-n8n-nodes-base (`community`
// for package.json, `credentials` for credentials/, `nodes` for nodes/) and the recommended set
// of @n8n/eslint-plugin-community-nodes for everything the package ships.
const tsParser = require('@typescript-eslint/parser');
const jsoncParser = require('jsonc-eslint-parser');
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');
const { n8nCommunityNodesPlugin } = require('@n8n/eslint-plugin-community-nodes');

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
			// As in n8n's package scanner: the community-nodes plugin's password rules decide instead.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...rulesOf('nodes'),
			// These two want the string 'main'; the newer community-nodes rule (node-connection-type-literal) wants NodeConnectionTypes.Main.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	// n8n's community-package rules (@n8n/eslint-plugin-community-nodes), on what the package ships.
	{
		...n8nCommunityNodesPlugin.configs.recommended,
		files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts'],
	},
	{
		// Its package.json rules read the file as TypeScript's parser reads JSON.
		files: ['package.json'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['test/**/*.ts', 'scripts/**/*.ts', 'index.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
	},
];
