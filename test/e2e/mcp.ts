/**
 * The read nodes served to an MCP client by n8n's MCP Server Trigger (n8n 2.x, Streamable HTTP),
 * in `n8n start` with the workflow published. The client is the MCP SDK's own; it lists the
 * tools and calls one, with the same checks as the AI Agent's (test/e2e/agent.ts).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { CALL_CENTER_TOOL, SUMMARY_TOOL, checkBadArgument, checkOffered, checkPartialAnswer, checkSummaryAnswer, toolName, toolNodes } from './agent';
import { attempt } from './checks';
import type { Result } from './checks';
import type { N8nInstance } from './n8nInstance';
import { freePort } from './n8nInstance';

const DAY = 86_400_000;
const WORKFLOW_ID = 'e2emcpservertoo';
const MCP_PATH = 'call-records';

/** MCP Server Trigger with the four read-node tools. */
export function mcpWorkflow(id: string) {
	const tools = toolNodes(id, 'MCP Server Trigger');
	return {
		id,
		name: 'E2E MCP Server with the call-record tools',
		active: false,
		settings: { timezone: 'UTC', executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'MCP Server Trigger',
				type: '@n8n/n8n-nodes-langchain.mcpTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-webhook`,
				parameters: { authentication: 'none', path: MCP_PATH },
			},
			...tools.nodes,
		],
		connections: tools.connections,
	};
}

/** The text of a tool result, as the SDK hands it over. */
function textOf(result: unknown): string {
	const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
	return content.map((part) => part.text ?? '').join('');
}

/**
 * Connects once n8n serves the path: `n8n start` answers its readiness check before it has
 * activated the published workflows, and until then the path is an unknown webhook (404).
 */
async function connect(url: URL, timeoutMs = 60_000): Promise<Client> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const client = new Client({ name: 'call-records-e2e', version: '1.0.0' });
		try {
			await client.connect(new StreamableHTTPClientTransport(url));
			return client;
		} catch (error) {
			if (!/not registered/.test(String(error)) || Date.now() > deadline) throw error;
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
}

export async function mcpChecks(n8n: N8nInstance, sandboxUrl: string): Promise<Result[]> {
	n8n.importWorkflows([mcpWorkflow(WORKFLOW_ID)]);
	n8n.activate(WORKFLOW_ID);
	let client: Client | undefined;
	try {
		const base = await n8n.start(await freePort());
		const mcp = await connect(new URL(`${base}/mcp/${MCP_PATH}`));
		client = mcp;
		const endMs = Math.floor(Date.now() / 1000) * 1000;
		const startMs = endMs - 30 * DAY;
		const window = { startTime: new Date(startMs).toISOString().slice(0, 19), endTime: new Date(endMs).toISOString(), hangupReasons: '' };
		return [
			await attempt('MCP Server Trigger: listTools gives each tool with its description and $fromAI keys', async () => {
				const { tools } = await mcp.listTools();
				return checkOffered(tools.map((t) => ({ name: t.name, description: t.description, keys: Object.keys(t.inputSchema.properties ?? {}).sort() })));
			}),
			await attempt('MCP Server Trigger: callTool on Call Center Records over 30 days (more than the cap)', async () => {
				const result = await mcp.callTool({ name: toolName(CALL_CENTER_TOOL), arguments: window });
				if (result.isError) throw new Error(`the tool failed: ${textOf(result).slice(0, 200)}`);
				return await checkPartialAnswer(textOf(result), sandboxUrl, startMs, endMs);
			}),
			await attempt('MCP Server Trigger: a bad argument comes back as an error naming the field', async () => {
				const result = await mcp.callTool({ name: toolName(CALL_CENTER_TOOL), arguments: { ...window, hangupReasons: 'loud' } });
				return `${result.isError ? 'isError; ' : ''}${checkBadArgument(textOf(result))}`;
			}),
			await attempt('MCP Server Trigger: callTool on Call Center Summary (Summarize by agent) over 30 days', async () => {
				const result = await mcp.callTool({ name: toolName(SUMMARY_TOOL), arguments: { startTime: window.startTime, endTime: window.endTime, groupBy: 'agent' } });
				if (result.isError) throw new Error(`the tool failed: ${textOf(result).slice(0, 200)}`);
				return await checkSummaryAnswer(textOf(result), sandboxUrl, startMs, endMs);
			}),
		];
	} catch (error) {
		return [['MCP Server Trigger', false, `${(error as Error).message}; n8n's log ends: ${n8n.logTail(8)}`]];
	} finally {
		await client?.close().catch(() => undefined);
		await n8n.stop();
	}
}
