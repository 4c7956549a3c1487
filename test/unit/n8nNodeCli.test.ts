/**
 * n8n's node tooling (@n8n/node-cli) and the project's own lint and release, side by side:
 *   - eslint.config.mjs is the CLI's template, as `n8n-node lint` (strict mode) and
 *     `n8n-node cloud-support` demand;
 *   - ESLint loads eslint.config.js first, and it gives every file the package ships exactly the
 *     rules eslint.config.mjs gives it (so `n8n-node lint` lints what ships by the template);
 *   - `npm publish` outside `n8n-node release` stops: `n8n-node prerelease` refuses it, and
 *     provenance, always on, cannot be made outside a CI that supports it.
 */
import { execFileSync, spawnSync } from 'child_process';
import { readFileSync, readdirSync, statSync } from 'fs';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');
const normalized = (text: string) => text.replace(/\s+/g, ' ').trim();

function tsFilesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const path = join(dir, entry);
		return statSync(path).isDirectory() ? tsFilesUnder(path) : path.endsWith('.ts') ? [path] : [];
	});
}

/**
 * The rules ESLint applies to each file (severities as numbers), under its own config lookup or
 * under `configFile`. In a child process: ESLint imports config files with a dynamic import(),
 * which jest's module sandbox does not allow.
 */
function rulesFor(files: string[], configFile?: string): Array<Record<string, unknown>> {
	const script = `
		const { ESLint } = require('eslint');
		const [files, configFile] = JSON.parse(process.argv[1]);
		const eslint = new ESLint(configFile ? { overrideConfigFile: configFile } : {});
		(async () => {
			const out = [];
			for (const file of files) {
				const rules = (await eslint.calculateConfigForFile(file))?.rules ?? {};
				out.push(Object.fromEntries(Object.entries(rules).sort(([a], [b]) => a.localeCompare(b))));
			}
			process.stdout.write(JSON.stringify(out));
		})();`;
	return JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify([files, configFile])], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Array<Record<string, unknown>>;
}

describe("n8n's node tooling", () => {
	it("eslint.config.mjs is @n8n/node-cli's template, as strict mode and cloud-support compare it", () => {
		const template = readFileSync(join(ROOT, 'node_modules', '@n8n', 'node-cli', 'dist', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs'), 'utf8');
		expect(normalized(readFileSync(join(ROOT, 'eslint.config.mjs'), 'utf8'))).toBe(normalized(template));
		expect(normalized(template)).toBe("import { config } from '@n8n/node-cli/eslint'; export default config;");
	});

	it('ESLint (and so `n8n-node lint`) loads eslint.config.js first', () => {
		const found = execFileSync(process.execPath, ['-e', "new (require('eslint').ESLint)().findConfigFile().then((f) => process.stdout.write(f))"], { cwd: ROOT, encoding: 'utf8' });
		expect(found).toBe(join(ROOT, 'eslint.config.js'));
	});

	it('every file the package ships gets exactly the rules of the template config', async () => {
		const shipped = [...tsFilesUnder(join(ROOT, 'nodes')), ...tsFilesUnder(join(ROOT, 'credentials')), join(ROOT, 'index.ts'), join(ROOT, 'package.json')];
		expect(shipped.length).toBeGreaterThan(20);
		const ours = rulesFor(shipped);
		const template = rulesFor(shipped, join(ROOT, 'eslint.config.mjs'));
		expect(template.every((rules) => Object.keys(rules).length > 10)).toBe(true);
		expect(shipped.filter((_, i) => JSON.stringify(ours[i]) !== JSON.stringify(template[i])).map((file) => file.slice(ROOT.length + 1))).toEqual([]);
	}, 120_000);

	it("tests and scripts are linted too, without n8n Cloud's rules for code that runs inside n8n", () => {
		const [test, script, shipped] = rulesFor([join(ROOT, 'test', 'e2e', 'run.ts'), join(ROOT, 'scripts', 'demo.ts'), join(ROOT, 'nodes', 'shared', 'recordings.ts')]);
		for (const rules of [test, script]) {
			expect(rules['@typescript-eslint/no-unused-vars']).toEqual([2, { ignoreRestSiblings: true }]);
			expect(rules['@n8n/community-nodes/no-restricted-imports']).toEqual([0]);
		}
		expect(shipped['@n8n/community-nodes/no-restricted-imports']).toEqual([2]);
	}, 60_000);

	describe('publishing', () => {
		const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; publishConfig?: Record<string, unknown> };
		/**
		 * The environment of a machine that is no CI: without GitHub's variables (and its OIDC token
		 * URL) npm cannot sign provenance, even when this test runs in a GitHub Action.
		 */
		const notCi = (env: Record<string, string> = {}) => ({
			...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(GITHUB_|ACTIONS_|RUNNER_|CI$|RELEASE_MODE$)/.test(name))),
			...env,
		});
		/** `npm publish` in the package, scripts on (the project's .npmrc turns them off for installs). */
		const publish = (args: string[], env: Record<string, string> = {}) =>
			spawnSync('npm', ['publish', '--ignore-scripts=false', ...args], { cwd: ROOT, env: notCi(env), encoding: 'utf8', timeout: 60_000 });

		it('goes through `n8n-node release`: a bare `npm publish` is refused by `n8n-node prerelease`', () => {
			expect(manifest.scripts.release).toBe('n8n-node release');
			expect(manifest.scripts.prepublishOnly).toBe('n8n-node prerelease');
			const bare = publish(['--dry-run']);
			expect(bare.status).not.toBe(0);
			expect(bare.stdout + bare.stderr).toMatch(/run release` to publish the package/);
			const released = publish(['--dry-run'], { RELEASE_MODE: 'true' });
			expect(released.stderr).toMatch(/\(dry-run\)/);
			expect(released.status).toBe(0);
		}, 90_000);

		it('always with provenance: a publish from this machine stops before any upload', () => {
			expect(manifest.publishConfig).toMatchObject({ provenance: true });
			// A registry on a closed port with a made-up token: provenance fails before any upload, as on any machine but a CI with OIDC.
			const local = spawnSync('npm', ['publish', '--registry=http://127.0.0.1:9/', '--//127.0.0.1:9/:_authToken=not-a-token', '--fetch-retries=0'], { cwd: ROOT, env: notCi(), encoding: 'utf8', timeout: 60_000 });
			expect(local.status).not.toBe(0);
			expect(local.stderr).toMatch(/provenance generation not supported/);
		}, 90_000);
	});

	it('`n8n-node cloud-support` reports the package eligible', () => {
		const out = execFileSync(join(ROOT, 'node_modules', '.bin', 'n8n-node'), ['cloud-support'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
		expect(out).toMatch(/Cloud support is ENABLED/);
		expect(out).toMatch(/Status: eligible for n8n Cloud verification/);
	}, 90_000);
});
