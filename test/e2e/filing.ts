/**
 * Issue #33 item 1 in real n8n: a Get Many and a Summarize of a window ending now while the
 * provider keeps filing calls into it (one per page request, anywhere in the window, pages
 * served out of order). Every call filed before the run must be returned (counted) once, and
 * the run must not fail. Uses a sandbox process of its own, so the other checks' data stay put.
 * `triggerUnderFiling` does the same for an active trigger, inside triggerPolls' n8n start.
 */
import { ACCOUNT_TIME_ZONE } from '../engine/fixtures';
import { sandboxControl } from '../sandbox/control';
import { attempt, sandboxIds } from './checks';
import type { Result } from './checks';
import type { N8nInstance } from './n8nInstance';
import { startReceiver, waitFor } from './receiver';
import { startSandboxProcess } from './sandboxProcess';
import { READ_NODES, recordWorkflow, sandboxCredentials, triggerWorkflow } from './workflows';

const DAY = 86_400_000;
const CREDENTIAL = { id: 'sandboxfiling01', name: 'Call Records API (sandbox being filed into)' };
const RECORDS = 4_000;
const TRIGGER_CREDENTIAL = { id: 'sandboxfiling02', name: 'Call Records API (sandbox the trigger reads while filed into)' };

/** Filing settings shared by the reads and the trigger: one call per page request, anywhere after `fromMs`, pages served out of order. */
const liveFiling = (fromMs: number) => ({ endpoint: 'numberRecords', perRequest: 1, fromMs, serveJitterMs: 40 });

export async function readsUnderFiling(n8n: N8nInstance): Promise<Result[]> {
	const now = Date.now();
	// The data start a little after the window's start at run time, so none fall out of it while n8n starts.
	const fromMs = now - 4.9 * DAY;
	const sandbox = await startSandboxProcess({ seed: 33, timeZone: ACCOUNT_TIME_ZONE, numberRecords: { count: RECORDS, from: new Date(fromMs).toISOString(), to: new Date(now).toISOString() } });
	try {
		const [credential] = sandboxCredentials(sandbox.url);
		n8n.importCredentials([{ ...credential, ...CREDENTIAL }]);
		const window = { startTime: '={{ $now.minus({ days: 5 }).toISO() }}', endTime: '={{ $now.toISO() }}' };
		const workflow = (id: string, name: string, parameters: Record<string, unknown>) => {
			const built = recordWorkflow(id, name, 'numberRecords', { ...window, ...parameters, options: { maxParallelRequests: 4 } });
			built.nodes[1].credentials = { callRecordsApi: CREDENTIAL };
			return built;
		};
		n8n.importWorkflows([
			workflow('e2efilinggetmny', 'E2E Get Many while filed into', { operation: 'getMany', returnAll: true }),
			workflow('e2efilingsummar', 'E2E Summarize while filed into', { operation: 'summarize' }),
		]);
		/** Runs a workflow while the sandbox files; what was there before, what was filed, and the requests it took. */
		const whileFiling = async (id: string) => {
			await sandboxControl(sandbox.url, 'reset');
			await sandboxControl(sandbox.url, 'latency', { ms: 20 });
			const before = await sandboxIds(sandbox.url, 'numberRecords');
			await sandboxControl(sandbox.url, 'liveFiling', liveFiling(fromMs));
			const task = n8n.execute(id)[READ_NODES.numberRecords.displayName]?.[0];
			await sandboxControl(sandbox.url, 'liveFiling', {});
			const filed = (await sandboxControl<{ ids: string[] }>(sandbox.url, 'liveFiled')).ids;
			const { requests } = await sandboxControl<{ requests: number }>(sandbox.url, 'stats');
			if (!task || task.error || !task.data) throw new Error(task?.error?.message ?? 'the node did not run');
			if (filed.length < before.length / 100) throw new Error(`only ${filed.length} records filed during the read`);
			const cost = `${requests} page requests for ${Math.ceil(before.length / 100)} pages at the start and ${Math.ceil((before.length + filed.length) / 100)} at the end`;
			return { items: task.data.main[0], before, filed, cost };
		};
		return [
			await attempt('Get Many of the last 5 days while calls are filed into it', async () => {
				const { items, before, filed, cost } = await whileFiling('e2efilinggetmny');
				const got = items.map((item) => String(item.json.callid));
				const twice = got.length - new Set(got).size;
				const seen = new Set(got);
				const lost = before.filter((id) => !seen.has(id));
				if (twice > 0 || lost.length > 0) throw new Error(`${twice} returned twice, ${lost.length} of the ${before.length} there before lost`);
				const late = got.length - before.length;
				return `${before.length} records there before, each returned once; ${filed.length} filed during the read (${late} of them returned); ${cost}`;
			}),
			await attempt('Summarize of the last 5 days while calls are filed into it', async () => {
				const { items, before, filed, cost } = await whileFiling('e2efilingsummar');
				const calls = Number(items[items.length - 1].json.calls);
				if (!(calls >= before.length && calls <= before.length + filed.length)) throw new Error(`${calls} calls counted, expected ${before.length} to ${before.length + filed.length}`);
				return `${calls} calls counted: the ${before.length} there before and ${calls - before.length} of the ${filed.length} filed during the read; ${cost}`;
			}),
		];
	} finally {
		sandbox.stop();
	}
}

/**
 * An active trigger backfilling the last 5 days (4,000 calls, read over several polls at Max
 * Records per Poll 1,000) while the sandbox files a call per page request. Set up before n8n
 * starts, so it shares triggerPolls' start; `check` then waits until every call there before the
 * first poll has arrived, and two polls more: each must arrive once, and none twice.
 */
export async function triggerUnderFiling(n8n: N8nInstance, tag: string, pollSeconds: number) {
	const now = Date.now();
	const fromMs = now - 4.9 * DAY;
	const sandbox = await startSandboxProcess({ seed: 34, timeZone: ACCOUNT_TIME_ZONE, numberRecords: { count: RECORDS, from: new Date(fromMs).toISOString(), to: new Date(now).toISOString() } });
	const receiver = await startReceiver();
	const [credential] = sandboxCredentials(sandbox.url);
	n8n.importCredentials([{ ...credential, ...TRIGGER_CREDENTIAL }]);
	const id = `e2efiltrig${tag}`;
	const workflow = triggerWorkflow(id, receiver.url, 'numberRecords', pollSeconds, { backfillFrom: new Date(now - 5 * DAY).toISOString(), settleSeconds: 0 });
	const [trigger, ...rest] = workflow.nodes;
	n8n.importWorkflows([{ ...workflow, nodes: [{ ...trigger, credentials: { callRecordsApi: TRIGGER_CREDENTIAL } }, ...rest] }]);
	n8n.activate(id);
	await sandboxControl(sandbox.url, 'latency', { ms: 20 });
	// Filing happens per page request, so nothing is filed before the trigger's first read.
	const before = await sandboxIds(sandbox.url, 'numberRecords');
	await sandboxControl(sandbox.url, 'liveFiling', liveFiling(fromMs));
	const pollMs = pollSeconds * 1000;
	return {
		check: async (): Promise<string> => {
			const arrived = () => new Set(receiver.ids());
			await waitFor('every call there before the trigger started', 10 * pollMs + 120_000, () => (before.every((callid) => arrived().has(callid)) ? true : undefined));
			await new Promise((r) => setTimeout(r, 2 * pollMs));
			await sandboxControl(sandbox.url, 'liveFiling', {});
			const filed = (await sandboxControl<{ ids: string[] }>(sandbox.url, 'liveFiled')).ids;
			const { requests } = await sandboxControl<{ requests: number }>(sandbox.url, 'stats');
			const ids = receiver.ids();
			const twice = ids.length - new Set(ids).size;
			if (twice > 0) throw new Error(`the trigger under filing emitted ${twice} calls twice`);
			if (filed.length < before.length / 100) throw new Error(`only ${filed.length} calls filed while the trigger read`);
			return `trigger under filing: the ${before.length} calls there before emitted once over ${receiver.byExecution.size} polls, ${filed.length} filed while it read (${ids.length - before.length} of them emitted), none twice; ${requests} page requests`;
		},
		stop: () => {
			receiver.close();
			sandbox.stop();
		},
	};
}
