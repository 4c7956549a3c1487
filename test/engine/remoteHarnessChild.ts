/** The child of remoteHarness.ts: runs each node it is sent through the engine, answers with the result. */
import type { NodeRunOptions } from './harness';
import { runNode } from './harness';

process.on('message', (message: { id: number; options: NodeRunOptions }) => {
	runNode(message.options).then(
		({ items, error }) =>
			process.send!({
				id: message.id,
				result: { items, error: error && { name: error.name as string | undefined, message: error.message, description: error.description } },
			}),
		(thrown: Error) => process.send!({ id: message.id, crash: String(thrown.stack ?? thrown) }),
	);
});
process.send!({ ready: true });
