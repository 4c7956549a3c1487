/** Starting a benchmark workflow through its webhook, and checking what it answered. */
import { request } from 'http';

import { waitFor } from '../../test/e2e/receiver';

type Answer = { ok: boolean; status: number; text: string; wallMs: number };

/**
 * POSTs to the workflow's webhook and times the answer. n8n reports ready a moment before it has
 * registered the active workflows' webhooks: a call that finds none (404) runs nothing and is
 * made again; the one that runs is timed. Node's http, not fetch: fetch gives up on an answer
 * after 300 s, and a slow row (the HTTP Request node at 250 ms round trips) takes longer.
 */
export async function callWebhook(port: number, path: string): Promise<Answer> {
	return await waitFor('the webhook', 60_000, async () => {
		const answer = await post(`http://127.0.0.1:${port}/webhook/${path}`);
		return answer.status === 404 ? undefined : answer;
	});
}

function post(url: string): Promise<Answer> {
	const started = performance.now();
	return new Promise((ok, fail) => {
		const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const status = res.statusCode ?? 0;
				ok({ ok: status >= 200 && status < 300, status, text: Buffer.concat(chunks).toString('utf8'), wallMs: performance.now() - started });
			});
			res.on('error', fail);
		});
		req.on('error', fail);
		req.end('{}');
	});
}

/** Whether `got` is exactly the records `want`: no repeats, none missing, and in order when `ordered`. */
export function sameIds(got: string[], want: string[], ordered: boolean): boolean {
	if (got.length !== want.length || new Set(got).size !== got.length) return false;
	if (ordered) return got.every((id, k) => id === want[k]);
	const wanted = new Set(want);
	return got.every((id) => wanted.has(id));
}
