/**
 * The example workflows in real n8n: each imports and comes back out of n8n's database whole,
 * and a runnable copy of it runs against the sandbox: all copies side by side in one workflow, so
 * that the check costs one `n8n execute` (each starts n8n anew). A copy keeps the
 * example's package nodes and n8n's own data nodes (Set, IF, Filter, Split Out, ...) with their
 * parameters as shipped, and drops what needs an outside service (Sheets, Slack, Drive, PostgreSQL,
 * the AI model) with everything after it. Its start becomes a Manual Trigger; the Call Records
 * Trigger becomes Get Many of its Source with the trigger's filters and recording options (the
 * trigger itself is polled in `n8n start` by the trigger checks of run.ts); an AI tool runs as its
 * plain node with the values a model would give. What the copy must show: every node that runs,
 * runs without an error; what would go to Sheets or PostgreSQL is flat, one row per record id; a
 * Split Out of recordings gives one item per file.
 */
import { readFileSync, readdirSync } from 'fs';
import { join, resolve } from 'path';
import type { IDataObject } from 'n8n-workflow';

import { attempt } from './checks';
import type { Result } from './checks';
import type { N8nInstance } from './n8nInstance';
import { lastDays, withSandboxCredentials } from './workflows';

const ROOT = resolve(__dirname, '..', '..');
const DIR = join(ROOT, 'examples');
const PACKAGE = 'n8n-nodes-call-records.';
/** n8n's nodes that only reshape items: they run in the copy. */
const DATA_NODES = new Set(['set', 'renameKeys', 'if', 'filter', 'splitOut', 'merge', 'summarize', 'aggregate', 'noOp'].map((n) => `n8n-nodes-base.${n}`));
/** Starts the examples use; the copy starts by hand instead. */
const STARTS = new Set(['n8n-nodes-base.scheduleTrigger', '@n8n/n8n-nodes-langchain.chatTrigger']);
/** Nodes that write rows: what reaches them must be flat and keyed. */
const ROW_WRITERS = new Set(['n8n-nodes-base.googleSheets', 'n8n-nodes-base.postgres']);
const TRIGGER_ONLY_OPTIONS = ['backfillFrom', 'longCallHours', 'lookBackMinutes', 'maxPerPoll', 'onlyHangupReasons', 'onlySipCodes', 'settleSeconds'];
/** What a model would pass to a tool's $fromAI keys. */
const MODEL_VALUES: Record<string, string> = {
	startTime: "={{ $now.minus({ days: 7 }).toISO() }}",
	endTime: '={{ $now.toISO() }}',
	groupBy: 'hangupReason',
	hangupReasons: '7, 8',
};
const START = 'E2E start';

/** A node and a workflow as the example files (and n8n's export) hold them. */
export interface ExampleNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: number[];
	parameters: IDataObject;
	credentials?: IDataObject;
	webhookId?: string;
}
export interface Workflow {
	id: string;
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }> | null>>>;
	settings?: IDataObject;
}

/** The node's parameters with each `$fromAI(key, …)` expression replaced by the value a model would give. */
function asModelWouldCall(parameters: IDataObject): IDataObject {
	return JSON.parse(
		JSON.stringify(parameters).replace(/"=\{\{ \$fromAI\('(\w+)'[^"]*\}\}"/g, (_, key: string) => {
			if (!(key in MODEL_VALUES)) throw new Error(`no model value for $fromAI('${key}')`);
			return JSON.stringify(MODEL_VALUES[key]);
		}),
	) as IDataObject;
}

/** A runnable copy of an example (see the file's comment), its nodes' names prefixed; and the row writers' keys by the node that feeds them. */
export function runnableCopy(example: Workflow, prefix: string): { nodes: ExampleNode[]; connections: Workflow['connections']; entries: string[]; rowKeys: Map<string, string> } {
	const kept = new Map<string, ExampleNode>();
	const fromStart: string[] = [];
	const dropped: string[] = [];
	for (const node of example.nodes) {
		if (node.type === 'n8n-nodes-base.stickyNote') continue;
		if (STARTS.has(node.type)) {
			fromStart.push(...(example.connections[node.name]?.main?.[0] ?? []).map((t) => t.node));
		} else if (node.type === `${PACKAGE}callRecordsTrigger`) {
			const options = { ...(node.parameters.options as IDataObject) };
			for (const key of TRIGGER_ONLY_OPTIONS) delete options[key];
			const source = String(node.parameters.source);
			kept.set(node.name, { ...node, type: `${PACKAGE}${source}`, parameters: { ...lastDays(30), filters: node.parameters.filters ?? {}, options } });
			fromStart.push(node.name);
		} else if (node.type.startsWith(PACKAGE) && node.type.endsWith('Tool')) {
			kept.set(node.name, { ...node, type: node.type.replace(/Tool$/, ''), parameters: asModelWouldCall(node.parameters) });
			fromStart.push(node.name);
		} else if (node.type.startsWith(PACKAGE) || DATA_NODES.has(node.type)) {
			kept.set(node.name, node);
		} else {
			dropped.push(node.name);
		}
	}
	// Whatever comes after a dropped node would wait for it: drop it too.
	for (let i = 0; i < dropped.length; i++) {
		for (const t of Object.values(example.connections[dropped[i]] ?? {}).flat(2)) {
			if (t && !dropped.includes(t.node)) {
				kept.delete(t.node);
				dropped.push(t.node);
			}
		}
	}
	const named = (name: string) => `${prefix} ${name}`;
	const rowKeys = new Map<string, string>();
	for (const node of example.nodes.filter((n) => ROW_WRITERS.has(n.type))) {
		const key = ((node.parameters.columns as IDataObject | undefined)?.matchingColumns as string[] | undefined)?.[0];
		for (const [from, outputs] of Object.entries(example.connections)) {
			if (key && (outputs.main ?? []).some((targets) => (targets ?? []).some((t) => t.node === node.name))) rowKeys.set(named(from), key);
		}
	}
	const connections: Workflow['connections'] = {};
	for (const [from, outputs] of Object.entries(example.connections)) {
		if (!kept.has(from) || !outputs.main) continue;
		connections[named(from)] = { main: outputs.main.map((targets) => (targets ?? []).filter((t) => kept.has(t.node)).map((t) => ({ ...t, node: named(t.node) }))) };
	}
	// Expressions that name a node ($('Settings')) follow its new name.
	const renamed = (node: ExampleNode): ExampleNode => {
		let parameters = JSON.stringify(node.parameters);
		for (const name of kept.keys()) parameters = parameters.split(`$('${name}')`).join(`$('${named(name)}')`);
		return { ...node, id: `${prefix}-${node.id}`, name: named(node.name), parameters: JSON.parse(parameters) as IDataObject };
	};
	return { nodes: [...kept.values()].map(renamed), connections, entries: [...new Set(fromStart)].filter((name) => kept.has(name)).map(named), rowKeys };
}

type RunData = ReturnType<N8nInstance['execute']>;

/** What a run of one example's copy shows, or why it fails. */
function checkRun(nodes: ExampleNode[], connections: Workflow['connections'], rowKeys: Map<string, string>, run: RunData): string {
	const shown: string[] = [];
	for (const node of nodes) {
		const task = run[node.name]?.[0];
		if (!task) {
			// A node after an IF's unused branch, or after a filter that let nothing through.
			if (node.type.startsWith(PACKAGE)) throw new Error(`${node.name} did not run`);
			continue;
		}
		if (task.error) throw new Error(`${node.name}: ${task.error.message}`);
		const items = task.data?.main.flat() ?? [];
		if (node.type.startsWith(PACKAGE)) shown.push(`${node.name.replace(/^\S+ /, '')} ${items.length}`);
		const key = rowKeys.get(node.name);
		if (key) {
			const nested = items.find((item) => Object.values(item.json).some((value) => value !== null && typeof value === 'object'));
			if (nested) throw new Error(`${node.name} gives a nested value: ${JSON.stringify(nested.json).slice(0, 200)}`);
			const ids = items.map((item) => item.json[key]);
			if (ids.some((v) => v === undefined || v === '') || new Set(ids).size !== ids.length) throw new Error(`${node.name}: ${key} missing or repeated`);
			shown.push(`${items.length} flat rows keyed on ${key}`);
		}
		if (node.type === 'n8n-nodes-base.splitOut' && (node.parameters.options as IDataObject)?.includeBinary) {
			const field = String(node.parameters.fieldToSplitOut);
			const input = Object.entries(connections).find(([, o]) => o.main?.some((t) => (t ?? []).some((c) => c.node === node.name)))![0];
			const records = run[input][0].data?.main[0] ?? [];
			const files = records.reduce((sum, item) => sum + Object.keys(item.binary ?? {}).length, 0);
			const each = items.every((item) => item.binary?.[String(item.json[field])] !== undefined);
			if (files === 0 || items.length !== files || !each) throw new Error(`${node.name}: ${items.length} items for ${files} recordings`);
			shown.push(`${files} recordings of ${records.length} records, one item each`);
		}
	}
	return shown.join('; ');
}

/** Every example imports whole, and the runnable copies of all of them run in one workflow against the sandbox. */
export async function exampleChecks(n8n: N8nInstance): Promise<Result[]> {
	const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
	const examples = files.map((file) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Workflow);
	const copies = examples.map((example, i) => runnableCopy(example, `E${i + 1}`));
	const id = 'e2eexamplesrun1';
	let run: RunData | undefined;
	let exported: Workflow[] = [];
	const setup = await attempt(`examples: import all ${files.length}, run their package nodes in one workflow`, async () => {
		n8n.importWorkflows(examples);
		exported = JSON.parse(n8n.cli(['export:workflow', '--all']).replace(/^[^[]*/, '')) as Workflow[];
		const start = { id: `${id}-start`, name: START, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-240, 0], parameters: {} };
		const connections: Workflow['connections'] = { [START]: { main: [copies.flatMap((c) => c.entries.map((node) => ({ node, type: 'main', index: 0 })))] } };
		for (const copy of copies) Object.assign(connections, copy.connections);
		const workflow = withSandboxCredentials({ id, name: 'E2E: the examples\' package nodes', nodes: [start, ...copies.flatMap((c) => c.nodes)], connections, settings: { executionOrder: 'v1', timezone: 'UTC' } });
		n8n.importWorkflows([workflow]);
		run = n8n.execute(id);
		return `${workflow.nodes.length} nodes ran in one execution`;
	});
	const results: Result[] = [setup];
	for (const [i, file] of files.entries()) {
		results.push(
			await attempt(`example ${file}: imports whole, its package nodes run`, async () => {
				const found = exported.find((w) => w.id === examples[i].id);
				if (found?.nodes.map((n) => n.type).join() !== examples[i].nodes.map((n) => n.type).join()) throw new Error('not the same nodes after import');
				if (!run) throw new Error('the examples\' workflow did not run');
				const { nodes, connections, rowKeys } = copies[i];
				return `${examples[i].nodes.length} nodes imported; ran: ${checkRun(nodes, connections, rowKeys, run)}`;
			}),
		);
	}
	return results;
}
