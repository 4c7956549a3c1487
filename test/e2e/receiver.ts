/** What the test workflows post back: a receiver on 127.0.0.1, and a wait for a condition. */
import { createServer } from 'http';
import type { AddressInfo } from 'net';

/**
 * Collects what a workflow's HTTP Request node posts (`{ execution, id }`): record ids by
 * execution. `hold`, while set, keeps each answer back until it resolves (an execution that is
 * still running, for a test that stops its process).
 */
export async function startReceiver() {
	const byExecution = new Map<string, string[]>();
	const state: { hold?: Promise<void>; posts: number } = { posts: 0 };
	const server = createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			const { execution, id } = JSON.parse(text) as { execution: string; id: string };
			byExecution.set(String(execution), [...(byExecution.get(String(execution)) ?? []), String(id)]);
			state.posts++;
			void (state.hold ?? Promise.resolve()).then(() => res.end('{}'));
		});
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
		byExecution,
		state,
		/** Every id received, in arrival order, repeats included. */
		ids: () => [...byExecution.values()].flat(),
		close: () => {
			server.closeAllConnections();
			server.close();
		},
	};
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}
