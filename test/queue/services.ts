/**
 * Debian's PostgreSQL and Redis for the queue-mode test (installed by
 * scripts/install-system-packages.sh), each started on 127.0.0.1 on a free port, in a data
 * folder under the test's work folder, and removed with it.
 */
import { execFileSync, spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'fs';
import { join } from 'path';

import { freePort } from '../e2e/n8nInstance';

/** Runs as the postgres user when we are root: PostgreSQL refuses to run as root. */
function asPostgres(command: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function postgresBin(name: string): string {
	const root = '/usr/lib/postgresql';
	const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
	if (!version) throw new Error('PostgreSQL is not installed: run scripts/install-system-packages.sh');
	return join(root, version, 'bin', name);
}

export interface Postgres {
	port: number;
	database: string;
	user: string;
	password: string;
	/** Runs one statement in n8n's database; the rows' first column. */
	query: (statement: string) => string[];
	stop: () => void;
}

export async function startPostgres(workDir: string): Promise<Postgres> {
	const dir = join(workDir, 'postgres');
	mkdirSync(dir, { recursive: true });
	if (process.getuid?.() === 0) {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		chownSync(dir, uid, gid);
	}
	const data = join(dir, 'data');
	const port = await freePort();
	execFileSync(...asPostgres(postgresBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']), { stdio: 'ignore' });
	execFileSync(
		...asPostgres(postgresBin('pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']),
		{ stdio: 'ignore' },
	);
	const sql = (statement: string) =>
		execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', statement], { stdio: 'ignore' });
	sql("CREATE ROLE n8n LOGIN PASSWORD 'n8n'");
	sql('CREATE DATABASE n8n OWNER n8n');
	return {
		port,
		database: 'n8n',
		user: 'n8n',
		password: 'n8n',
		query: (statement) =>
			execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'n8n', '-v', 'ON_ERROR_STOP=1', '-At', '-c', statement], { encoding: 'utf8' })
				.split('\n')
				.filter((line) => line !== ''),
		stop: () => {
			execFileSync(...asPostgres(postgresBin('pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
		},
	};
}

export interface Redis {
	port: number;
	/** Stops the server and starts it again on the same port, empty (nothing is persisted). */
	restart: () => Promise<void>;
	stop: () => Promise<void>;
}

export async function startRedis(workDir: string): Promise<Redis> {
	const dir = join(workDir, 'redis');
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	let server: ChildProcess | undefined;
	const start = async () => {
		const log = openSync(join(dir, 'server.log'), 'a');
		server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', log, log] });
		closeSync(log);
		for (let i = 0; i < 100; i++) {
			const ready = (() => {
				try {
					return execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG';
				} catch {
					return false;
				}
			})();
			if (ready) return;
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error('redis-server did not start');
	};
	const stop = async () => {
		const running = server;
		if (!running || running.exitCode !== null) return;
		await new Promise<void>((done) => {
			running.once('exit', () => done());
			running.kill('SIGKILL');
		});
	};
	await start();
	return {
		port,
		restart: async () => {
			await stop();
			await start();
		},
		stop,
	};
}
