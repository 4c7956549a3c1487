/**
 * Steers a sandbox running in another process (`/__sandbox/*`). Retried once: a keep-alive
 * socket the sandbox closed while the caller was busy elsewhere fails the first attempt.
 * A sandbox serving TLS is reached with its certificate (`ca`): the caller's Node does not trust it.
 */
import { request } from 'https';

export type SandboxAddress = string | { url: string; ca: string };

export async function sandboxControl<T = any>(address: SandboxAddress, path: string, body?: unknown): Promise<T> {
	const { url, ca } = typeof address === 'string' ? { url: address, ca: undefined } : address;
	for (let attempt = 1; ; attempt++) {
		try {
			const text = ca ? await httpsCall(`${url}/__sandbox/${path}`, ca, body) : await fetchCall(`${url}/__sandbox/${path}`, body);
			return JSON.parse(text) as T;
		} catch (error) {
			if (attempt >= 3) throw error;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}

async function fetchCall(url: string, body: unknown): Promise<string> {
	const response = await fetch(url, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
	return await response.text();
}

function httpsCall(url: string, ca: string, body: unknown): Promise<string> {
	return new Promise((ok, fail) => {
		const req = request(url, { method: body === undefined ? 'GET' : 'POST', ca }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (text += chunk));
			res.on('end', () => ok(text));
			res.on('error', fail);
		});
		req.on('error', fail);
		req.end(body === undefined ? undefined : JSON.stringify(body));
	});
}
