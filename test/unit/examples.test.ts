/**
 * The example workflows' static rules (issue #35): each has a sticky note with its setup steps;
 * every time window follows the one convention (whole periods in the workflow's time zone, the
 * End Time one second before the next period, since both ends are included) so that runs tile
 * without overlap or gap; Google Sheets and PostgreSQL write append-or-update keyed on the record
 * id, from a node that gives flat columns; each value to replace has one placeholder, once; the
 * README lists every example; node ids are UUIDs. The e2e (test/e2e/run.ts) runs their package nodes in real n8n.
 */
import { readFileSync, readdirSync } from 'fs';
import { join, resolve } from 'path';
import { DateTime } from 'luxon';

const ROOT = resolve(__dirname, '../..');
const DIR = join(ROOT, 'examples');
const PACKAGE = 'n8n-nodes-call-records.';

interface ExampleNode {
	id: string;
	name: string;
	type: string;
	parameters: Record<string, any>;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main?: Array<Array<{ node: string }>> }>;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Example;

/** The nodes whose main output feeds `name`. */
const parentsOf = (example: Example, name: string) =>
	Object.entries(example.connections)
		.filter(([, outputs]) => (outputs.main ?? []).some((targets) => (targets ?? []).some((t) => t.node === name)))
		.map(([from]) => example.nodes.find((n) => n.name === from)!);

/** `={{ $now.startOf('day').minus({ days: 1 }).toISO() }}` and its End Time, `... .minus({ seconds: 1 }) ...`. */
const START = /^=\{\{ \$now\.startOf\('(hour|day|week|month)'\)\.minus\(\{ (hours|days|weeks|months): (\d+) \}\)\.toISO\(\) \}\}$/;
const END = /^=\{\{ \$now\.startOf\('(hour|day|week|month)'\)\.minus\(\{ seconds: 1 \}\)\.toISO\(\) \}\}$/;

/** An n8n expression's value with `$now` at `now` (luxon, as n8n evaluates it). */
function evaluate(expression: string, now: DateTime): DateTime {
	const body = expression.replace(/^=\{\{\s*/, '').replace(/\s*\}\}$/, '');
	return DateTime.fromISO(new Function('$now', `return ${body};`)(now) as string).setZone(now.zone);
}

/** The package nodes that read a window: their Start and End Time (tools' $fromAI windows are the model's). */
function windows(example: Example) {
	return example.nodes
		.filter((n) => n.type.startsWith(PACKAGE) && typeof n.parameters.startTime === 'string' && !n.parameters.startTime.includes('$fromAI'))
		.map((n) => ({ node: n.name, startTime: n.parameters.startTime as string, endTime: String(n.parameters.endTime) }));
}

describe.each(files)('example %s', (file) => {
	const example = read(file);
	const text = readFileSync(join(DIR, file), 'utf8');

	// n8n keeps a published trigger's status by node id in a 36-character column: a longer id
	// fails the activation there (n8n 2.41.1 with the workflow publication service on).
	it('gives every node a UUID as n8n does', () => {
		for (const node of example.nodes) expect(node.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		expect(new Set(example.nodes.map((n) => n.id)).size).toBe(example.nodes.length);
	});

	it('has a sticky note with its setup steps', () => {
		const notes = example.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => String(n.parameters.content));
		expect(notes.some((content) => /setup/i.test(content) && /^\s*1\. /m.test(content))).toBe(true);
	});

	it('reads whole periods that tile: the End Time one second before the next period', () => {
		for (const w of windows(example)) {
			const start = START.exec(w.startTime);
			const end = END.exec(w.endTime);
			expect({ node: w.node, startTime: start ? 'convention' : w.startTime, endTime: end ? 'convention' : w.endTime }).toEqual({ node: w.node, startTime: 'convention', endTime: 'convention' });
			expect(end![1]).toBe(start![1]);
			const unit = start![1] as 'hour' | 'day' | 'week' | 'month';
			const count = Number(start![3]);
			// Runs one period apart, at odd times and across a DST change: each window starts one second after the last one ended.
			for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York']) {
				let now = DateTime.fromISO('2026-03-27T07:13:00', { zone });
				for (let run = 0; run < 4; run++) {
					const from = evaluate(w.startTime, now);
					const to = evaluate(w.endTime, now);
					expect(to.plus({ seconds: 1 }).toMillis()).toBe(from.plus({ [unit]: count }).toMillis());
					expect(to.toMillis()).toBeLessThan(now.toMillis());
					const next = now.plus({ [unit]: count });
					expect(evaluate(w.startTime, next).toMillis()).toBe(to.plus({ seconds: 1 }).toMillis());
					now = next;
				}
			}
		}
	});

	it('writes to Google Sheets and PostgreSQL with append-or-update on the record id, in flat columns', () => {
		const writers = example.nodes.filter((n) => ['n8n-nodes-base.googleSheets', 'n8n-nodes-base.postgres'].includes(n.type));
		for (const writer of writers) {
			const upsert = writer.type === 'n8n-nodes-base.postgres' ? 'upsert' : 'appendOrUpdate';
			expect({ node: writer.name, operation: writer.parameters.operation }).toEqual({ node: writer.name, operation: upsert });
			const [key] = (writer.parameters.columns?.matchingColumns ?? []) as string[];
			expect(key).toBeDefined();
			// The node before it names every column, the key among them, each a plain value.
			const [flat] = parentsOf(example, writer.name);
			expect(flat.type).toBe('n8n-nodes-base.set');
			expect(flat.parameters.includeOtherFields ?? false).toBe(false);
			const assignments = flat.parameters.assignments.assignments as Array<{ name: string; type: string; value: string }>;
			expect(assignments.map((a) => a.name)).toContain(key);
			expect(assignments.filter((a) => !['string', 'number', 'boolean'].includes(a.type))).toEqual([]);
			// The record's nested fields go in joined or as JSON text, never as an object.
			for (const a of assignments.filter((a) => /calledInfo|labelName|voiceUrlList/.test(a.value))) {
				expect({ column: a.name, value: /join\(|JSON\.stringify\(/.test(a.value) }).toEqual({ column: a.name, value: true });
			}
		}
	});

	it('reads no field n8n 2.x refuses in expressions (caller, callee, arguments: "Cannot access … due to security concerns")', () => {
		// n8n-workflow's expression sandbox blocks these property names however written; the records' `caller` is renamed first.
		const expressions = example.nodes.flatMap((n) => JSON.stringify(n.parameters).match(/"=(?:[^"\\]|\\.)*"/g) ?? []);
		expect(expressions.filter((e) => /\.(caller|callee|arguments)\b|\[\\?['"](caller|callee|arguments)\\?['"]\]/.test(e))).toEqual([]);
	});

	it('has each value to replace as one placeholder, in one place', () => {
		expect(text).not.toMatch(/REPLACE_ME/);
		const placeholders = [...text.matchAll(/REPLACE_WITH_[A-Z0-9_]+/g)].map((m) => m[0]);
		const counts = Object.fromEntries([...new Set(placeholders)].map((p) => [p, placeholders.filter((q) => q === p).length]));
		expect(Object.values(counts).every((n) => n === 1)).toBe(true);
	});
});

describe('the examples together', () => {
	const examples = files.map(read);
	const types = examples.flatMap((e) => e.nodes.map((n) => n.type));

	it('use every read node of the package, the trigger, and PostgreSQL upserting from the trigger', () => {
		for (const node of ['numberRecords', 'callCenterRecords', 'voiceRecords', 'flashCallCdrs', 'callRecordsTrigger']) expect(types).toContain(PACKAGE + node);
		const sync = examples.find((e) => e.nodes.some((n) => n.type === 'n8n-nodes-base.postgres' && n.parameters.operation === 'upsert'));
		expect(sync?.nodes.map((n) => n.type)).toContain(`${PACKAGE}callRecordsTrigger`);
	});

	it('alert on ASR with Summarize (Single Item) and an IF on totals.asr', () => {
		const alert = examples.find((e) => e.nodes.some((n) => n.type === 'n8n-nodes-base.if' && JSON.stringify(n.parameters).includes('totals.asr')));
		expect(alert).toBeDefined();
		expect(alert!.nodes.some((n) => n.type.startsWith(PACKAGE) && n.parameters.operation === 'summarize' && n.parameters.options?.output === 'single')).toBe(true);
	});

	it("summarize with the package's Summarize, never Get Many into n8n's Summarize node", () => {
		for (const e of examples) {
			const seen = new Set<string>();
			const queue = e.nodes.filter((n) => n.type.startsWith(PACKAGE) && n.parameters.operation === 'getMany').map((n) => n.name);
			while (queue.length) {
				const name = queue.shift()!;
				for (const targets of e.connections[name]?.main ?? [])
					for (const t of targets ?? [])
						if (!seen.has(t.node)) {
							seen.add(t.node);
							queue.push(t.node);
						}
			}
			const summarizers = e.nodes.filter((n) => seen.has(n.name) && n.type === 'n8n-nodes-base.summarize').map((n) => n.name);
			expect({ example: e.name, summarizers }).toEqual({ example: e.name, summarizers: [] });
		}
	});

	it('are each listed once in the README, linked', () => {
		const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
		for (const file of files) expect(readme.split(`](examples/${file})`).length - 1).toBe(1);
	});
});
