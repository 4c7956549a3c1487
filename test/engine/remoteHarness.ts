/**
 * runNode (harness.ts) in a child process with an environment of its own: what Node reads only
 * when it starts, such as NODE_EXTRA_CA_CERTS (the certificates n8n trusts beyond the public
 * ones), cannot be set inside a running jest worker. The child is the same real engine; it
 * hands back each run's items and error over IPC.
 */
import { fork } from 'child_process';
import type { ChildProcess } from 'child_process';
import { join, resolve } from 'path';

import type { NodeRunOptions, NodeRunResult } from './harness';

const ROOT = resolve(__dirname, '..', '..');

/** What crosses the process boundary: the output items (binary data included) and the error's words. */
export interface RemoteRunResult {
	items: NodeRunResult['items'];
	error?: { name?: string; message: string; description?: string | null };
}

export interface RemoteHarness {
	run: (options: NodeRunOptions) => Promise<RemoteRunResult>;
	stop: () => Promise<void>;
}

export async function startRemoteHarness(env: Record<string, string>): Promise<RemoteHarness> {
	const child: ChildProcess = fork(join(__dirname, 'remoteHarnessChild.ts'), [], {
		cwd: ROOT,
		execArgv: ['--import', 'tsx'],
		env: { ...process.env, ...env },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const waiting = new Map<number, { ok: (r: RemoteRunResult) => void; fail: (e: Error) => void }>();
	let next = 0;
	child.on('message', (message: { id: number; result?: RemoteRunResult; crash?: string }) => {
		const entry = waiting.get(message.id);
		waiting.delete(message.id);
		if (message.crash !== undefined) entry?.fail(new Error(`the child's run threw: ${message.crash}`));
		else entry?.ok(message.result!);
	});
	child.on('exit', (code) => {
		for (const entry of waiting.values()) entry.fail(new Error(`the child exited with ${code}`));
		waiting.clear();
	});
	await new Promise<void>((ok, fail) => {
		child.once('message', () => ok());
		child.once('exit', (code) => fail(new Error(`the child exited with ${code} before it was ready`)));
	});
	return {
		run: (options) =>
			new Promise((ok, fail) => {
				const id = next++;
				waiting.set(id, { ok, fail });
				child.send({ id, options });
			}),
		stop: () =>
			new Promise((done) => {
				if (child.exitCode !== null) return done();
				child.once('exit', () => done());
				child.kill('SIGTERM');
			}),
	};
}
