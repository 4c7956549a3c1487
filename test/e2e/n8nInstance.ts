/**
 * One real n8n with this package installed the way n8n installs a community package (see
 * installAsN8nDoes) into `<user folder>/.n8n/nodes`. Drives it through its CLI (import,
 * execute, activate) and runs `n8n start` for the editor and for active (polling) workflows.
 * Shared by the end-to-end test and the demo.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import type { ChildProcess } from 'child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { join, resolve } from 'path';

import type { N8nInstall } from './n8nInstall';

const ROOT = resolve(__dirname, '..', '..');

/** A binary property as `n8n execute` prints it: the data inline (base64) or a reference to n8n's store. */
export interface BinaryMeta {
	mimeType: string;
	fileName?: string;
	fileSize?: string;
	bytes?: number;
	data?: string;
	id?: string;
}

/** Builds the package and packs it into `dest`; returns the tarball's path. */
export function packPackage(dest: string): string {
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	execFileSync('npm', ['pack', '--pack-destination', dest], { cwd: ROOT, stdio: 'ignore' });
	return join(dest, readdirSync(dest).find((f) => f.endsWith('.tgz'))!);
}

/**
 * Installs a package tarball as n8n's community-package service does (read in its sources, the
 * same in 1.123.81 and 2.40.7): unpacked into `<nodes>/node_modules/<name>`, its package.json
 * stripped of dev, peer and optional dependencies, then, inside that folder, `npm install
 * --audit=false --fund=false --bin-links=false --install-strategy=shallow --ignore-scripts=true
 * --package-lock=false` (so only `dependencies` are installed: this package has none), and the
 * package recorded in `<nodes>/package.json`. n8n-workflow and zod then resolve to n8n's own
 * copies: n8n puts its module paths on NODE_PATH before it loads community packages.
 */
export function installAsN8nDoes(nodesDir: string, tarball: string): void {
	const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
	const name = String(manifest.name);
	const packageDir = join(nodesDir, 'node_modules', name);
	mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const { devDependencies: _dev, peerDependencies: _peer, optionalDependencies: _optional, ...kept } = manifest;
	writeFileSync(join(packageDir, 'package.json'), JSON.stringify(kept, null, 2));
	execFileSync('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], { cwd: packageDir, stdio: 'ignore' });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [name]: String(manifest.version) } }, null, 2));
}

export async function freePort(): Promise<number> {
	return await new Promise((ok, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => ok(port));
		});
	});
}

export class N8nInstance {
	readonly userFolder: string;
	readonly env: NodeJS.ProcessEnv;
	private server?: ChildProcess;
	private serverLog?: string;

	constructor(
		readonly install: N8nInstall,
		private readonly workDir: string,
		tarball: string,
		extraEnv: Record<string, string> = {},
	) {
		this.userFolder = join(workDir, 'user');
		installAsN8nDoes(join(this.userFolder, '.n8n', 'nodes'), tarball);
		this.env = {
			...process.env,
			PATH: `${join(install.nodeBin, '..')}:${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_RUNNERS_ENABLED: 'false',
			N8N_ENCRYPTION_KEY: 'call-records-local-key',
			GENERIC_TIMEZONE: 'UTC',
			...install.release.env,
			...extraEnv,
		};
	}

	get version(): string {
		return this.install.release.version;
	}

	/** Runs one CLI command and returns what it printed. Output goes to a file: n8n exits before a large write to a pipe has drained. */
	cli(args: string[]): string {
		const outFile = join(this.workDir, 'cli-output.txt');
		const out = openSync(outFile, 'w');
		const run = spawnSync(this.install.nodeBin, [this.install.n8nBin, ...args], { cwd: this.workDir, env: this.env, stdio: ['ignore', out, 'pipe'], timeout: 240_000, encoding: 'utf8' });
		closeSync(out);
		const output = readFileSync(outFile, 'utf8');
		if (run.status !== 0) throw new Error(`n8n ${args[0]} exited with ${run.status}: ${(run.stderr || output).trim().split('\n').slice(-3).join(' ')}`);
		return output;
	}

	importCredentials(credentials: unknown[]): void {
		const file = join(this.workDir, 'import-credentials.json');
		writeFileSync(file, JSON.stringify(credentials));
		this.cli(['import:credentials', `--input=${file}`]);
	}

	importWorkflows(workflows: unknown[]): void {
		const file = join(this.workDir, 'import-workflows.json');
		writeFileSync(file, JSON.stringify(workflows));
		this.cli(['import:workflow', `--input=${file}`]);
	}

	/** Turns a workflow on (published in 2.x, active in 1.x); takes effect at the next start. */
	activate(id: string): void {
		this.cli(this.install.release.activate(id));
	}

	/** Executes a workflow once with `n8n execute` and returns the run data of every node. */
	execute(id: string): Record<string, Array<{ error?: { message: string }; data?: { main: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, BinaryMeta> }>> } }>> {
		const output = this.cli(['execute', '--id', id, '--rawOutput']);
		// The JSON runs from a line opening with "{" to one that is just "}"; n8n may log around it.
		const run = JSON.parse(output.slice(output.search(/^\{/m), output.search(/^\}\s*$/m) + 1));
		return run.data.resultData.runData;
	}

	/** `n8n start` on 127.0.0.1:port; resolves once the editor answers. */
	async start(port: number, timeoutMs = 120_000): Promise<string> {
		await this.launch(['start'], { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: 'localhost' }, `http://127.0.0.1:${port}/healthz/readiness`, timeoutMs);
		return `http://localhost:${port}`;
	}

	/** `n8n worker` (queue mode) running up to `concurrency` executions; resolves once its health check answers. */
	async startWorker(concurrency: number, timeoutMs = 120_000): Promise<void> {
		const port = await freePort();
		await this.launch(
			['worker', `--concurrency=${concurrency}`],
			{ QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
			`http://127.0.0.1:${port}/healthz`,
			timeoutMs,
		);
	}

	/** The running process's id (for its memory), if one runs. */
	get pid(): number | undefined {
		return this.server && this.server.exitCode === null ? this.server.pid : undefined;
	}

	/** Ends the process at once, as a crash would: no shutdown, nothing saved. */
	async kill(): Promise<void> {
		const server = this.server;
		if (!server || server.exitCode !== null || server.signalCode !== null) return;
		await new Promise<void>((done) => {
			server.once('exit', () => done());
			server.kill('SIGKILL');
		});
	}

	/** The whole log of the running (or last) process. */
	log(): string {
		return this.serverLog ? readFileSync(this.serverLog, 'utf8') : '';
	}

	private async launch(args: string[], env: Record<string, string>, readyUrl: string, timeoutMs: number): Promise<void> {
		this.serverLog = join(this.workDir, `n8n-${args[0]}.log`);
		const log = openSync(this.serverLog, 'a');
		// n8n 2.x starts its task broker even with runners off, on 5679 unless told: one port each,
		// so that several n8n processes (a main and its workers, or two tests) can run side by side.
		const broker = { N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		const server = spawn(this.install.nodeBin, [this.install.n8nBin, ...args], { cwd: this.workDir, env: { ...this.env, ...broker, ...env }, stdio: ['ignore', log, log] });
		this.server = server;
		closeSync(log);
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (server.exitCode !== null) throw new Error(`n8n ${args[0]} exited with ${server.exitCode}: ${this.logTail()}`);
			const ready = await fetch(readyUrl).then((r) => r.ok, () => false);
			if (ready) return;
			await new Promise((r) => setTimeout(r, 500));
		}
		throw new Error(`n8n ${args[0]} did not answer on ${readyUrl} within ${timeoutMs / 1000} s: ${this.logTail()}`);
	}

	logTail(lines = 5): string {
		return this.serverLog ? readFileSync(this.serverLog, 'utf8').trim().split('\n').slice(-lines).join(' | ') : '';
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server || server.exitCode !== null || server.signalCode !== null) return;
		await new Promise<void>((done) => {
			const force = setTimeout(() => server.kill('SIGKILL'), 15_000);
			server.once('exit', () => {
				clearTimeout(force);
				done();
			});
			server.kill('SIGTERM');
		});
	}
}
