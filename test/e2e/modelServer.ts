/**
 * A scripted, OpenAI-compatible chat model on 127.0.0.1 for n8n's OpenAI Chat Model: asked
 * without a tool answer, it calls the tool it was told to; asked again with the tool's answer as
 * the last message, it ends the conversation. It keeps every request n8n sent (the tools
 * offered, their descriptions and schemas, the tool's answer). It runs in a process of its own
 * (the test waits on `n8n execute` synchronously) and is told and asked through /control/.
 */
import { spawn } from 'child_process';
import { createServer } from 'http';
import type { AddressInfo } from 'net';

export interface ChatMessage {
	role: string;
	content?: string | null;
	tool_call_id?: string;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
}

export interface OfferedTool {
	type: string;
	function: { name: string; description: string; parameters: { properties?: Record<string, { type?: string; description?: string }>; required?: string[] } };
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: OfferedTool[];
	stream?: boolean;
}

export interface ModelServer {
	/** The Base URL for the openAiApi credential. */
	url: string;
	/** Every chat request n8n sent so far. */
	requests: () => Promise<ChatRequest[]>;
	/** The tool call the next conversation makes. */
	script: (call: ToolCall) => Promise<void>;
	close: () => void;
}

interface ToolCall {
	tool: string;
	args: Record<string, unknown>;
}

export const FINAL_ANSWER = 'Here is what the tool returned.';

/** The server itself, in this process; resolves with its Base URL. */
async function serve(): Promise<string> {
	const requests: ChatRequest[] = [];
	let next: ToolCall | undefined;
	let calls = 0;
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const reply = (status: number, body: unknown) => {
				// No keep-alive: the test's fetch would otherwise reuse a socket the server closed while `n8n execute` blocked it.
				res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
				res.end(JSON.stringify(body));
			};
			const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
			if (req.url === '/control/script') {
				next = body as ToolCall;
				return reply(200, {});
			}
			if (req.url === '/control/requests') return reply(200, requests);
			if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return reply(404, { error: { message: `no ${req.method} ${req.url} here` } });
			const request = body as ChatRequest;
			requests.push(request);
			const last = request.messages[request.messages.length - 1];
			const choice =
				last?.role === 'tool' || !next
					? { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: FINAL_ANSWER } }
					: {
							index: 0,
							finish_reason: 'tool_calls',
							message: {
								role: 'assistant',
								content: null,
								tool_calls: [{ id: `call_${++calls}`, type: 'function', function: { name: next.tool, arguments: JSON.stringify(next.args) } }],
							},
						};
			reply(200, {
				id: `chatcmpl-${requests.length}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: request.model,
				choices: [choice],
				usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
			});
		});
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts the model server in its own process. */
export async function startModelServer(): Promise<ModelServer> {
	const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const origin = await new Promise<string>((ok, fail) => {
		child.stdout.once('data', (chunk: Buffer) => ok(chunk.toString().split('\n')[0].trim()));
		child.once('exit', (code) => fail(new Error(`the model server exited with ${code}`)));
	});
	const control = async (path: string, body?: unknown) => {
		const response = await fetch(`${origin}/control/${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
		return (await response.json()) as unknown;
	};
	return {
		url: `${origin}/v1`,
		requests: async () => (await control('requests')) as ChatRequest[],
		script: async (call) => {
			await control('script', call);
		},
		close: () => child.kill('SIGTERM'),
	};
}

if (process.argv.includes('--serve')) {
	void serve().then((origin) => process.stdout.write(`${origin}\n`));
}

/** The answer the tool sent the model in a conversation: the content of its tool message. */
export function toolMessage(requests: ChatRequest[]): string | undefined {
	for (const request of [...requests].reverse()) {
		const message = request.messages.find((m) => m.role === 'tool');
		if (message) return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
	}
	return undefined;
}
