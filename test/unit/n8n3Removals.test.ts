/**
 * n8n 3.0 removes `$getPairedItem`, the Execute Workflow node's "Run once for each item" mode and
 * AI Agent v1 (typeVersion 1.x). Nothing the project ships or runs may use them: the example
 * workflows, the workflows in the docs' code blocks, and the workflows the tests and scripts build.
 */
import { readFileSync, readdirSync, statSync } from 'fs';
import { join, relative, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');

interface WorkflowNode {
	name?: string;
	type?: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
}

/** What 3.0 removes that a workflow uses, one line per use. */
export function removedIn3(workflow: { nodes?: WorkflowNode[] }): string[] {
	const found: string[] = [];
	for (const node of workflow.nodes ?? []) {
		const label = `node "${node.name ?? node.type}"`;
		if (node.type === '@n8n/n8n-nodes-langchain.agent' && Number(node.typeVersion) < 2) found.push(`${label}: AI Agent v${node.typeVersion} (3.0 keeps v2 and later)`);
		if (node.type === 'n8n-nodes-base.executeWorkflow' && node.parameters?.mode === 'each') found.push(`${label}: Execute Workflow "Run once for each item" (mode: each)`);
		if (JSON.stringify(node.parameters ?? {}).includes('$getPairedItem')) found.push(`${label}: $getPairedItem in an expression`);
	}
	return found;
}

/**
 * The same in source text (the tests' and scripts' TypeScript, where workflows are object
 * literals): `$getPairedItem` anywhere, an agent node whose typeVersion is 1.x, an Execute Workflow
 * node with mode 'each'. A node literal spans from its type to the next `type:`.
 */
export function removedIn3InSource(text: string): string[] {
	const found: string[] = [];
	if (text.includes('$getPairedItem')) found.push('$getPairedItem');
	const nodeLiteral = (typeName: string) => [...text.matchAll(new RegExp(`['"]${typeName.replace(/[.@/-]/g, '\\$&')}['"]([\\s\\S]*?)(?=\\btype\\s*:|$)`, 'g'))].map((m) => m[1]);
	for (const rest of nodeLiteral('@n8n/n8n-nodes-langchain.agent')) {
		const version = /typeVersion['"]?\s*:\s*([\d.]+)/.exec(rest)?.[1];
		if (version === undefined || Number(version) < 2) found.push(`AI Agent node with typeVersion ${version ?? '(none: 1)'}`);
	}
	for (const rest of nodeLiteral('n8n-nodes-base.executeWorkflow')) {
		if (/\bmode['"]?\s*:\s*['"]each['"]/.test(rest)) found.push('Execute Workflow node with mode each');
	}
	return found;
}

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
	let entries: string[];
	try {
		entries = readdirSync(dir);
	} catch {
		return [];
	}
	return entries.flatMap((entry) => {
		const path = join(dir, entry);
		return statSync(path).isDirectory() ? (entry === 'node_modules' || entry === 'n8n-locks' ? [] : filesUnder(path, keep)) : keep(path) ? [path] : [];
	});
}

/** Workflows in a Markdown file's ```json code blocks (those that have nodes). */
function workflowsInMarkdown(text: string): Array<{ nodes?: WorkflowNode[] }> {
	return [...text.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((block) => {
		try {
			const value = JSON.parse(block[1]) as unknown;
			const list = Array.isArray(value) ? value : [value];
			return list.filter((w): w is { nodes: WorkflowNode[] } => typeof w === 'object' && w !== null && Array.isArray((w as { nodes?: unknown }).nodes));
		} catch {
			return [];
		}
	});
}

describe('what n8n 3.0 removes', () => {
	describe('the checks find each removed thing', () => {
		it('in a workflow', () => {
			const workflow = {
				nodes: [
					{ name: 'Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 1.7, parameters: {} },
					{ name: 'Agent 3', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3.1, parameters: {} },
					{ name: 'Sub', type: 'n8n-nodes-base.executeWorkflow', typeVersion: 1.2, parameters: { mode: 'each' } },
					{ name: 'Sub once', type: 'n8n-nodes-base.executeWorkflow', typeVersion: 1.2, parameters: { mode: 'once' } },
					{ name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { value: '={{ $getPairedItem("A", "", 0) }}' } },
				],
			};
			expect(removedIn3(workflow)).toEqual([
				'node "Agent": AI Agent v1.7 (3.0 keeps v2 and later)',
				'node "Sub": Execute Workflow "Run once for each item" (mode: each)',
				'node "Set": $getPairedItem in an expression',
			]);
		});

		it('in TypeScript source', () => {
			const source = `nodes: [
				{ name: 'Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 1.9, parameters: {} },
				{ name: 'Sub', type: 'n8n-nodes-base.executeWorkflow', typeVersion: 1.2, parameters: { mode: 'each' } },
				{ name: 'Fine', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3, parameters: {} },
			]`;
			expect(removedIn3InSource(source)).toEqual(['AI Agent node with typeVersion 1.9', 'Execute Workflow node with mode each']);
			expect(removedIn3InSource("const x = '={{ $getPairedItem() }}';")).toEqual(['$getPairedItem']);
		});
	});

	it('the example workflows use none of it', () => {
		const files = filesUnder(join(ROOT, 'examples'), (f) => f.endsWith('.json'));
		expect(files.length).toBeGreaterThan(0);
		const found = files.flatMap((file) => {
			const text = readFileSync(file, 'utf8');
			const uses = [...removedIn3(JSON.parse(text) as { nodes?: WorkflowNode[] }), ...(text.includes('$getPairedItem') ? ['$getPairedItem in the file'] : [])];
			return uses.map((use) => `${relative(ROOT, file)}: ${use}`);
		});
		expect(found).toEqual([]);
	});

	it("the docs' workflow code blocks use none of it", () => {
		const files = [...readdirSync(ROOT).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, f)), ...filesUnder(join(ROOT, 'docs'), (f) => f.endsWith('.md'))];
		expect(files.length).toBeGreaterThan(0);
		const found = files.flatMap((file) => {
			const text = readFileSync(file, 'utf8');
			// An expression that calls it (prose may name what 3.0 removes).
			const calls = /\{\{[^}]*\$getPairedItem/.test(text) ? ['$getPairedItem in an expression'] : [];
			return [...workflowsInMarkdown(text).flatMap(removedIn3), ...calls].map((use) => `${relative(ROOT, file)}: ${use}`);
		});
		expect(found).toEqual([]);
	});

	it('the workflows the tests and scripts build use none of it', () => {
		const self = resolve(__filename);
		const files = [...filesUnder(join(ROOT, 'test'), (f) => /\.(ts|json)$/.test(f)), ...filesUnder(join(ROOT, 'scripts'), (f) => /\.(ts|json)$/.test(f))].filter((f) => f !== self);
		expect(files.length).toBeGreaterThan(10);
		const found = files.flatMap((file) => removedIn3InSource(readFileSync(file, 'utf8')).map((use) => `${relative(ROOT, file)}: ${use}`));
		expect(found).toEqual([]);
	});
});
