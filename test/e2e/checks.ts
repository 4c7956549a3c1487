import { sandboxControl } from '../sandbox/control';

const DAY = 86_400_000;

/** How an e2e check reports: a name, whether it passed, and what it found. */
export type Result = [name: string, ok: boolean, detail: string];

export const log = (message: string) => process.stdout.write(`[e2e] ${message}\n`);

/** Runs one check; says when it starts and how it ended, so a long run is never silent. */
export async function attempt(name: string, check: () => Promise<string>): Promise<Result> {
	const started = Date.now();
	log(`${name}...`);
	let result: Result;
	try {
		result = [name, true, await check()];
	} catch (error) {
		result = [name, false, String((error as Error).message).split('\n').slice(0, 3).join(' ')];
	}
	log(`${result[1] ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s: ${name}`);
	return result;
}

/** The ids of a sandbox endpoint's records in a window, as the API lists them (newest first). */
export async function sandboxIds(url: string, endpoint: string, fromMs = 0, toMs = Date.now() + DAY): Promise<string[]> {
	return (await sandboxControl<{ ids: string[] }>(url, `records?endpoint=${endpoint}&from=${fromMs}&to=${toMs}`)).ids;
}
