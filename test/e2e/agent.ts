/**
 * The read nodes as tools of n8n's own AI Agent (n8n 2.x), run with `n8n execute`: Manual Trigger
 * → a Set node that writes the question (`chatInput`) → AI Agent (prompt defined below, from that
 * field) with an OpenAI Chat Model whose credential's Base URL is the scripted model server here,
 * and the four read nodes as tools. What n8n sends the model is checked: the tools offered with
 * their descriptions and $fromAI keys, and the tool's answer, against the sandbox's own records.
 */
import type { IDataObject } from 'n8n-workflow';

import { nodeClasses } from '../engine/packageTypes';
import { sandboxControl } from '../sandbox/control';
import { attempt, sandboxIds } from './checks';
import type { Result } from './checks';
import type { ChatRequest, ModelServer } from './modelServer';
import { FINAL_ANSWER, startModelServer, toolMessage } from './modelServer';
import type { N8nInstance } from './n8nInstance';
import { CREDENTIAL_IDS, CREDENTIAL_NAMES, READ_NODES } from './workflows';
import type { ReadNodeType } from './workflows';

const DAY = 86_400_000;
const MODEL_CREDENTIAL = { id: 'scriptedmodel01', name: 'Scripted model (127.0.0.1)' };
const WORKFLOW_ID = 'e2eaiagenttools';
/** The tools' default answer cap (Max Answer Size), which the workflows leave as it is. */
const CAP = Number(nodeClasses.callCenterRecords.description.properties.find((p) => p.name === 'maxAnswerCharacters')?.default);

const fromAi = (key: string, description: string) => `={{ $fromAI('${key}', '${description}', 'string') }}`;
const WINDOW = {
	startTime: fromAi('startTime', 'Start of the time window, ISO 8601'),
	endTime: fromAi('endTime', 'End of the time window, ISO 8601'),
};

/** A read node as a tool, with the fields the model defines, as the editor's "Let the model define" writes them. */
export interface ToolSpec {
	type: ReadNodeType;
	/** The canvas node's name, which names the tool. */
	name: string;
	operation: 'getMany' | 'summarize';
	parameters: IDataObject;
	/** The $fromAI keys, sorted. */
	keys: string[];
}

const getManyTool = (type: ReadNodeType): ToolSpec => ({
	type,
	name: READ_NODES[type].displayName,
	operation: 'getMany',
	parameters: { operation: 'getMany', ...WINDOW, returnAll: false, limit: 50 },
	keys: ['endTime', 'startTime'],
});

/** The four Get Many tools (Call Center Records with all of its window and a hang-up reason filter) and a Summarize tool. */
export const AGENT_TOOLS: ToolSpec[] = [
	{
		...getManyTool('callCenterRecords'),
		parameters: {
			operation: 'getMany',
			...WINDOW,
			returnAll: true,
			filters: { hangupReasons: fromAi('hangupReasons', 'Hang-up reasons, codes or labels, comma-separated; empty for all') },
		},
		keys: ['endTime', 'hangupReasons', 'startTime'],
	},
	getManyTool('numberRecords'),
	getManyTool('voiceRecords'),
	getManyTool('flashCallCdrs'),
	{
		type: 'callCenterRecords',
		name: 'Call Center Summary',
		operation: 'summarize',
		parameters: { operation: 'summarize', ...WINDOW, groupBy: fromAi('groupBy', 'Up to two dimensions, comma-separated; empty for the totals only') },
		keys: ['endTime', 'groupBy', 'startTime'],
	},
];
const tool = (name: string) => AGENT_TOOLS.find((t) => t.name === name)!;
export const CALL_CENTER_TOOL = tool('Call Center Records');
export const SUMMARY_TOOL = tool('Call Center Summary');

/** The name n8n gives a tool: the canvas node's name, other characters than [a-zA-Z0-9_-] as "_". */
export const toolName = (spec: ToolSpec) => spec.name.replace(/[^a-zA-Z0-9_-]/g, '_');

/** What a model reads about a tool: the node's tool-only Description default for its operation. */
export const toolText = (spec: ToolSpec) =>
	String(nodeClasses[spec.type].description.properties.find((p) => p.name === 'toolDescription' && p.displayOptions?.show?.operation?.includes(spec.operation))?.default);

/** The tools as `<name>Tool` nodes, on the sandbox's credentials, for an agent or an MCP Server Trigger. */
export function toolNodes(idPrefix: string, connectTo: string, y = 300) {
	const nodes: IDataObject[] = [];
	const connections: IDataObject = {};
	AGENT_TOOLS.forEach((spec, i) => {
		const { credential } = READ_NODES[spec.type];
		nodes.push({
			id: `${idPrefix}-${i}`,
			name: spec.name,
			type: `n8n-nodes-call-records.${spec.type}Tool`,
			typeVersion: 1,
			position: [200 * i, y],
			parameters: spec.parameters,
			credentials: { [credential]: { id: CREDENTIAL_IDS[credential], name: CREDENTIAL_NAMES[credential] } },
		});
		connections[spec.name] = { ai_tool: [[{ node: connectTo, type: 'ai_tool', index: 0 }]] };
	});
	return { nodes, connections };
}

export function modelCredential(url: string) {
	return { ...MODEL_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-scripted', url } };
}

/** Manual Trigger → Question (Set) → AI Agent, with the scripted OpenAI Chat Model and the four tools. */
export function agentWorkflow(id: string, question: string) {
	const tools = toolNodes(id, 'AI Agent');
	return {
		id,
		name: 'E2E AI Agent with the call-record tools',
		active: false,
		settings: { timezone: 'UTC', executionOrder: 'v1' },
		nodes: [
			{ id: `${id}-start`, name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-question`,
				name: 'Question',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { assignments: { assignments: [{ id: 'chatInput', name: 'chatInput', value: question, type: 'string' }] }, options: {} },
			},
			{
				id: `${id}-agent`,
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [400, 0],
				parameters: { promptType: 'define', text: '={{ $json.chatInput }}', options: { systemMessage: 'You answer questions about call records with the tools.' } },
			},
			{
				id: `${id}-model`,
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [400, 200],
				parameters: { model: { __rl: true, mode: 'id', value: 'scripted-model' }, responsesApiEnabled: false, options: { maxRetries: 0 } },
				credentials: { openAiApi: { id: MODEL_CREDENTIAL.id, name: MODEL_CREDENTIAL.name } },
			},
			...tools.nodes,
		],
		connections: {
			'When clicking ‘Execute workflow’': { main: [[{ node: 'Question', type: 'main', index: 0 }]] },
			Question: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			...tools.connections,
		},
	};
}

/** The offered tools as n8n sent them: each with its description and exactly its $fromAI keys. */
export function checkOffered(offered: Array<{ name: string; description?: string; keys: string[] }>): string {
	for (const spec of AGENT_TOOLS) {
		const found = offered.find((t) => t.name === toolName(spec));
		if (!found) throw new Error(`${toolName(spec)} was not offered (offered: ${offered.map((t) => t.name).join(', ')})`);
		if (found.description !== toolText(spec)) throw new Error(`${found.name}'s description differs: ${String(found.description).slice(0, 120)}…`);
		if (found.keys.join() !== spec.keys.join()) throw new Error(`${found.name}'s schema keys are ${found.keys.join(', ')}`);
	}
	const sizes = AGENT_TOOLS.map((spec) => toolText(spec).length);
	return `${offered.length} tools offered, each with its tool Description (${Math.min(...sizes)}–${Math.max(...sizes)} characters) and exactly its $fromAI keys`;
}

/**
 * The Summarize answer by agent for a window: the sandbox's exact count in the totals, complete,
 * and one group per agent name its records carry (seatName; the answers carry no agent id), each
 * with exactly that agent's calls.
 */
export async function checkSummaryAnswer(text: string, sandboxUrl: string, startMs: number, endMs: number): Promise<string> {
	if (text.length > CAP + 2) throw new Error(`the answer has ${text.length} characters, over the cap of ${CAP}`);
	const parsed = JSON.parse(text) as IDataObject | IDataObject[];
	const answer = (Array.isArray(parsed) ? parsed[0] : parsed) as IDataObject & { totals: IDataObject; groups: IDataObject[] };
	const { records } = await sandboxControl<{ records: Array<Record<string, unknown>> }>(sandboxUrl, `wire?endpoint=callCenterRecords&from=${startMs}&to=${endMs}`);
	const want = new Map<string, number>();
	for (const record of records) want.set(String(record.seatName), (want.get(String(record.seatName)) ?? 0) + 1);
	if (answer.totals.calls !== records.length) throw new Error(`totals.calls ${String(answer.totals.calls)}, the sandbox holds ${records.length}`);
	if (answer.complete !== true) throw new Error('the answer is not complete');
	const got = new Map(answer.groups.map((group) => [String(group.agent), Number(group.calls)]));
	if (want.size < 3 || got.size !== want.size || [...want].some(([agent, calls]) => got.get(agent) !== calls)) {
		throw new Error(`groups ${JSON.stringify([...got])}, the sandbox's agents ${JSON.stringify([...want])}`);
	}
	return `totals.calls ${records.length} (the sandbox's count), ${got.size} agent groups, each with exactly its agent's calls in the sandbox, answered ${String(answer.totals.answered)}, in ${text.length} characters`;
}

/** The call-center answer for a window: partial, the window's exact count, the sandbox's newest records in order, within the cap. */
export async function checkPartialAnswer(text: string, sandboxUrl: string, startMs: number, endMs: number): Promise<string> {
	if (text.length > CAP + 2) throw new Error(`the answer has ${text.length} characters, over the cap of ${CAP}`);
	const parsed = JSON.parse(text) as IDataObject | IDataObject[];
	const answer = (Array.isArray(parsed) ? parsed[0] : parsed) as IDataObject & { records: IDataObject[] };
	const want = await sandboxIds(sandboxUrl, 'callCenterRecords', startMs, endMs);
	const got = answer.records.map((r) => String(r.keyId));
	if (answer.recordsInWindow !== want.length) throw new Error(`recordsInWindow ${String(answer.recordsInWindow)}, the sandbox holds ${want.length}`);
	if (answer.complete !== false || !String(answer.note).startsWith('Partial:')) throw new Error(`not marked partial: ${String(answer.note)}`);
	if (got.length === 0 || got.length >= want.length || got.some((id, i) => id !== want[i])) throw new Error(`records ${got.slice(0, 3).join(', ')}… are not the window's newest ${got.length}`);
	return `${got.length} of the window's ${want.length} records, exactly the sandbox's newest, in ${text.length} characters (cap ${CAP}), marked partial`;
}

/** A bad argument comes back to the model as an error that names the field and its accepted values. */
export function checkBadArgument(text: string): string {
	if (!/Hang-Up Reasons/.test(text) || !/7 \(Called party is busy\)/.test(text)) throw new Error(`the model got: ${text.slice(0, 200)}`);
	return `the model got: ${text.slice(0, 110)}…`;
}

function offeredInChat(request: ChatRequest | undefined) {
	return (request?.tools ?? []).map((t) => ({ name: t.function.name, description: t.function.description, keys: Object.keys(t.function.parameters.properties ?? {}).sort() }));
}

/** One conversation: the model calls `tool` with `args`; returns what n8n sent the model and the agent's output. */
async function converse(n8n: N8nInstance, model: ModelServer, tool: string, args: Record<string, unknown>) {
	const before = (await model.requests()).length;
	await model.script({ tool, args });
	const runData = n8n.execute(WORKFLOW_ID);
	const requests = (await model.requests()).slice(before);
	const agent = runData['AI Agent']?.[0];
	if (!agent || agent.error) throw new Error(`the agent failed: ${agent?.error?.message ?? 'did not run'}`);
	const answer = toolMessage(requests);
	if (answer === undefined) throw new Error(`the tool's answer did not reach the model (${requests.length} model requests)`);
	const output = String(agent.data?.main[0][0]?.json.output ?? '');
	if (output !== FINAL_ANSWER) throw new Error(`the agent's output: ${output}`);
	return { requests, answer };
}

/** The AI Agent checks, in one n8n 2.x with the sandbox's credentials imported. */
export async function aiAgentChecks(n8n: N8nInstance, sandboxUrl: string): Promise<Result[]> {
	const model = await startModelServer();
	try {
		n8n.importCredentials([modelCredential(model.url)]);
		n8n.importWorkflows([agentWorkflow(WORKFLOW_ID, 'How many calls did the call center take in the last 30 days?')]);
		const endMs = Math.floor(Date.now() / 1000) * 1000;
		const startMs = endMs - 30 * DAY;
		// The model writes one end with an offset and one without (read in the workflow's zone, UTC).
		const window = { startTime: new Date(startMs).toISOString().slice(0, 19), endTime: new Date(endMs).toISOString(), hangupReasons: '' };
		let first: Awaited<ReturnType<typeof converse>> | undefined;
		const results: Result[] = [
			await attempt('AI Agent: Call Center Records tool over 30 days (more than the cap)', async () => {
				first = await converse(n8n, model, toolName(CALL_CENTER_TOOL), window);
				return `${await checkPartialAnswer(first.answer, sandboxUrl, startMs, endMs)}; the agent answered`;
			}),
			await attempt('AI Agent: tools offered with descriptions and $fromAI keys', async () => {
				if (!first) throw new Error('no conversation ran');
				return checkOffered(offeredInChat(first.requests[0]));
			}),
			await attempt('AI Agent: a bad argument comes back as an error naming the field', async () => {
				const { answer } = await converse(n8n, model, toolName(CALL_CENTER_TOOL), { ...window, hangupReasons: 'loud' });
				return checkBadArgument(answer);
			}),
			await attempt('AI Agent: Call Center Summary tool (Summarize by agent) over 30 days', async () => {
				const { answer } = await converse(n8n, model, toolName(SUMMARY_TOOL), { startTime: window.startTime, endTime: window.endTime, groupBy: 'agent' });
				return await checkSummaryAnswer(answer, sandboxUrl, startMs, endMs);
			}),
		];
		return results;
	} finally {
		model.close();
	}
}
