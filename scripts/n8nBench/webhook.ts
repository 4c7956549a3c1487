/** Starting a benchmark workflow through its webhook, and checking what it answered. */
import { waitFor } from '../../test/e2e/receiver';

/**
 * POSTs to the workflow's webhook and times the answer. n8n reports ready a moment before it has
 * registered the active workflows' webhooks: a call that finds none (404) runs nothing and is
 * made again; the one that runs is timed.
 */
export async function callWebhook(port: number, path: string): Promise<{ ok: boolean; status: number; text: string; wallMs: number }> {
	return await waitFor('the webhook', 60_000, async () => {
		const started = performance.now();
		const answer = await fetch(`http://127.0.0.1:${port}/webhook/${path}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
		const text = await answer.text();
		return answer.status === 404 ? undefined : { ok: answer.ok, status: answer.status, text, wallMs: performance.now() - started };
	});
}

/** Whether `got` is exactly the records `want`: no repeats, none missing, and in order when `ordered`. */
export function sameIds(got: string[], want: string[], ordered: boolean): boolean {
	if (got.length !== want.length || new Set(got).size !== got.length) return false;
	if (ordered) return got.every((id, k) => id === want[k]);
	const wanted = new Set(want);
	return got.every((id) => wanted.has(id));
}
