/**
 * The example "call-center records to PostgreSQL" (examples/call-center-to-postgres.json) in the
 * queue test's n8n and PostgreSQL. Its table is made with the SQL of its Setup note. The workflow
 * runs as shipped, on the sandbox and this PostgreSQL, with Backfill From at the start of a fixed
 * window, so that its trigger's first poll emits the window's call-center records. Then the same
 * nodes after the trigger run twice more over that window: a trigger cannot be made to read one
 * window again, so there the trigger is Get Many of its source, started by a webhook (and run on
 * a worker). The table must hold each record of the window exactly once.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import type { IDataObject } from 'n8n-workflow';

import type { Workflow } from '../e2e/examples';
import { pollEvery, withSandboxCredentials } from '../e2e/workflows';
import type { Postgres } from './services';

const EXAMPLE = resolve(__dirname, '..', '..', 'examples', 'call-center-to-postgres.json');
const DATABASE = 'call_records';
const CREDENTIAL = { id: 'queueexamplepg1', name: 'Example PostgreSQL' };
export const EXAMPLE_IDS = { trigger: 'queueexamplepg1', rerun: 'queueexamplepg2' };

const example = () => JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Workflow;

/** The SQL the example's Setup note tells the user to run. */
function setupSql(workflow: Workflow): string {
	const note = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.stickyNote');
	const sql = /```sql\n([\s\S]*?)```/.exec(String(note?.parameters.content ?? ''))?.[1];
	if (!sql) throw new Error('the example\'s Setup note has no SQL');
	return sql;
}

/** A database for the example, owned by n8n's user, with the table of the Setup note. */
export function prepareExampleDatabase(postgres: Postgres): void {
	postgres.query('postgres', `CREATE DATABASE ${DATABASE} OWNER ${postgres.user}`);
	postgres.query(DATABASE, `SET ROLE ${postgres.user}; ${setupSql(example())}`);
}

/** n8n's Postgres credential for that database. */
export function examplePostgresCredential(postgres: Postgres) {
	return {
		...CREDENTIAL,
		type: 'postgres',
		data: { host: '127.0.0.1', port: postgres.port, database: DATABASE, user: postgres.user, password: postgres.password, ssl: 'disable', allowUnauthorizedCerts: false, maxConnections: 10 },
	};
}

/** Package nodes on the sandbox's credentials, the Postgres node on the test's database. */
function onTestCredentials(workflow: Workflow): Workflow {
	for (const node of withSandboxCredentials(workflow).nodes) {
		if (node.type === 'n8n-nodes-base.postgres') node.credentials = { postgres: CREDENTIAL };
	}
	return workflow;
}

/**
 * The two workflows: the example as shipped (its trigger backfilling from the window's start and
 * polling every `pollSeconds`), and its re-run over the window, started by POST /webhook/`path`.
 */
export function exampleWorkflows(window: { startTime: string; endTime: string }, pollSeconds: number, path: string): Workflow[] {
	const triggered = example();
	triggered.id = EXAMPLE_IDS.trigger;
	triggered.nodes = triggered.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
	const trigger = triggered.nodes.find((n) => n.type === 'n8n-nodes-call-records.callRecordsTrigger')!;
	trigger.parameters = { ...trigger.parameters, pollTimes: pollEvery(pollSeconds), options: { ...(trigger.parameters.options as IDataObject), backfillFrom: window.startTime } };

	const rerun = example();
	rerun.id = EXAMPLE_IDS.rerun;
	rerun.name = `${rerun.name} (re-run over one window)`;
	rerun.nodes = rerun.nodes
		.filter((n) => n.type !== 'n8n-nodes-base.stickyNote')
		.map((n) =>
			n.name === trigger.name
				? { ...n, type: `n8n-nodes-call-records.${String(n.parameters.source)}`, parameters: { operation: 'getMany', ...window, returnAll: true, filters: n.parameters.filters ?? {}, options: {} } }
				: n,
		);
	rerun.nodes.push({ id: `${rerun.id}-hook`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [-240, 0], webhookId: `${rerun.id}-hook`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} } });
	rerun.connections.Webhook = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
	return [onTestCredentials(triggered), onTestCredentials(rerun)];
}

/** The record ids the example's table holds, one entry per row. */
export function tableIds(postgres: Postgres): string[] {
	return postgres
		.query(DATABASE, 'SELECT key_id FROM call_center_records ORDER BY key_id')
		.split('\n')
		.filter((line) => line !== '');
}
