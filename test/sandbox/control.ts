/**
 * Steers a sandbox running in another process (`/__sandbox/*`). Retried once: a keep-alive
 * socket the sandbox closed while the caller was busy elsewhere fails the first attempt.
 */
export async function sandboxControl<T = any>(url: string, path: string, body?: unknown): Promise<T> {
	const init: RequestInit = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) };
	for (let attempt = 1; ; attempt++) {
		try {
			const response = await fetch(`${url}/__sandbox/${path}`, init);
			return (await response.json()) as T;
		} catch (error) {
			if (attempt >= 3) throw error;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}
