/**
 * Download Recordings in queue mode: a webhook on the main queues Call Center Records with the
 * option on, a worker downloads the files into n8n's `database` binary store (queue mode's own
 * store: PostgreSQL, which main and workers share; `filesystem` would need a folder shared by
 * all of them), and the main then serves each file, through its own REST API, as the editor
 * shows it: every recording once, with the sandbox's bytes.
 */
import { join } from 'path';

import { sandboxControl } from '../sandbox/control';
import { checkRecordings } from '../e2e/recordings';
import type { RecordingItem } from '../e2e/recordings';
import type { N8nInstall } from '../e2e/n8nInstall';
import type { N8nInstance } from '../e2e/n8nInstance';
import { waitFor } from '../e2e/receiver';
import { CREDENTIAL_IDS, CREDENTIAL_NAMES } from '../e2e/workflows';
import type { Postgres } from './services';

/** n8n's binary store in the queue test: the database (queue mode's default in 2.x, set here so that no default decides). */
export const QUEUE_BINARY_DATA = { N8N_DEFAULT_BINARY_DATA_MODE: 'database' };

/** The instance owner, set from the environment, whom the test logs in as to read executions on the main. */
export const QUEUE_OWNER = { email: 'queue@example.com', password: 'CallRecords-queue-1' };

export function ownerEnv(install: N8nInstall): Record<string, string> {
	const bcrypt = require(join(install.modules, 'bcryptjs')) as { hashSync: (text: string, rounds: number) => string };
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: QUEUE_OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: 'Queue',
		N8N_INSTANCE_OWNER_LAST_NAME: 'Test',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(QUEUE_OWNER.password, 10),
	};
}

/** Webhook (answers at once, so the run is queued) → Call Center Records over `window` with Download Recordings. */
export function recordingsWorkflow(id: string, path: string, window: { startTime: string; endTime: string }) {
	return {
		id,
		name: 'Queue: Call Center Records with recordings on a webhook',
		active: false,
		settings: { timezone: 'UTC' },
		connections: { Webhook: { main: [[{ node: 'Call Center Records', type: 'main', index: 0 }]] } },
		nodes: [
			{ id: `${id}-hook`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${id}-hook`, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } },
			{
				id: `${id}-read`,
				name: 'Call Center Records',
				type: 'n8n-nodes-call-records.callCenterRecords',
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'getMany', ...window, returnAll: true, options: { downloadRecordings: true } },
				credentials: { callRecordsApi: { id: CREDENTIAL_IDS.callRecordsApi, name: CREDENTIAL_NAMES.callRecordsApi } },
			},
		],
	};
}

/** The main's REST API as the editor uses it: logged in as the owner, with a browser id bound to the session. */
async function restSession(mainUrl: string) {
	const headers: Record<string, string> = { 'browser-id': 'queue-test-browser', 'Content-Type': 'application/json' };
	const login = await fetch(`${mainUrl}/rest/login`, { method: 'POST', headers, body: JSON.stringify({ emailOrLdapLoginId: QUEUE_OWNER.email, password: QUEUE_OWNER.password }) });
	if (!login.ok) throw new Error(`login on the main: HTTP ${login.status}`);
	headers.cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	return async (path: string): Promise<Response> => {
		const answer = await fetch(`${mainUrl}${path}`, { headers });
		if (!answer.ok) throw new Error(`GET ${path.split('?')[0]} on the main: HTTP ${answer.status}`);
		return answer;
	};
}

export interface QueueRecordingsRun {
	sandboxUrl: string;
	mainUrl: string;
	main: N8nInstance;
	workers: N8nInstance[];
	postgres: Postgres;
	workflowId: string;
	webhookPath: string;
}

/** Queues one run on the webhook and checks what the worker stored and what the main serves; returns the report line. */
export async function queueRecordings(run: QueueRecordingsRun): Promise<string> {
	const get = await restSession(run.mainUrl);
	const executionsOf = async () => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: run.workflowId }));
		const { data } = (await (await get(`/rest/executions?filter=${filter}`)).json()) as { data: { results: Array<{ id: string; status: string }> } };
		return data.results;
	};
	const before = (await sandboxControl<{ requests: Array<{ path: string }> }>(run.sandboxUrl, 'recordings')).requests.length;
	const hook = await fetch(`${run.mainUrl}/webhook/${run.webhookPath}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
	if (!hook.ok) throw new Error(`webhook: HTTP ${hook.status}`);
	const execution = await waitFor('the recordings execution to finish', 180_000, async () => (await executionsOf()).find((e) => !['new', 'running', 'waiting'].includes(e.status)));
	if (execution.status !== 'success') throw new Error(`the execution ended ${execution.status}`);
	const worker = run.workers.findIndex((w) => w.log().includes(`Worker started execution ${execution.id} `));
	if (worker < 0) throw new Error(`execution ${execution.id} did not run on a worker`);

	// The run data as the main reads it from the database (flatted, as the editor receives it).
	const flatted = require(join(run.main.install.modules, 'flatted')) as { parse: (text: string) => unknown };
	const { data } = (await (await get(`/rest/executions/${execution.id}`)).json()) as { data: { data: string } };
	const runData = (flatted.parse(data.data) as { resultData: { runData: Record<string, Array<{ data: { main: RecordingItem[][] } }>> } }).resultData.runData;
	const items = runData['Call Center Records'][0].data.main[0];
	const { size, requests } = await sandboxControl<{ size: number; requests: Array<{ path: string }> }>(run.sandboxUrl, 'recordings');
	const { files, references } = await checkRecordings(items, size, 'database', async (binary) => Buffer.from(await (await get(`/rest/binary-data?id=${encodeURIComponent(binary.id!)}&action=download`)).arrayBuffer()));

	// Each file downloaded once (by the worker) and stored once (one row of the database store).
	const downloads = requests.slice(before).map((r) => r.path);
	if (downloads.length !== files || new Set(downloads).size !== files) throw new Error(`the sandbox served ${downloads.length} downloads (${new Set(downloads).size} paths) for ${files} files`);
	const rows = run.postgres
		.query(run.postgres.database, `SELECT "fileId" FROM binary_data WHERE "sourceType" = 'execution' AND "sourceId" = '${execution.id}'`)
		.split('\n')
		.filter((line) => line !== '');
	const stored = new Set(references.map((r) => r.split(':')[1]));
	if (rows.length !== files || !rows.every((row) => stored.has(row))) throw new Error(`${rows.length} rows in binary_data for execution ${execution.id}, expected the ${files} files it references`);
	return `worker ${worker + 1} downloaded ${files} recordings on ${items.length} records into the database store (${rows.length} rows, one per file); the main served each once, the sandbox's ${size} bytes`;
}
