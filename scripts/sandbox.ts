/**
 * `npm run sandbox`: starts the API sandbox on 127.0.0.1 and prints how to point credentials
 * at it. Flags: --port N, --records N (number records over the last 7 days), --latency MS, or
 * --config JSON (SandboxOptions, as the benchmark and end-to-end tests use it). The first line
 * printed is the URL. The sandbox is steered over HTTP: POST /__sandbox/{reset,latency,throttle,
 * inject,add}, GET /__sandbox/{stats,requests,records}.
 */
import { ACCOUNT_TIME_ZONE } from '../test/engine/fixtures';
import { NXCLOUD_DEMO_APP } from '../test/sandbox/endpoints/flashCalls';
import type { SandboxOptions } from '../test/sandbox/server';
import { DEMO_ACCOUNT, startSandbox } from '../test/sandbox/server';

function flag(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : undefined;
}

async function main() {
	const now = Date.now();
	const days = (n: number) => new Date(now - n * 86_400_000).toISOString();
	const records = Number(flag('records') ?? 5_000);
	const options: SandboxOptions = flag('config')
		? JSON.parse(flag('config')!)
		: {
				timeZone: ACCOUNT_TIME_ZONE,
				numberRecords: { count: records, from: days(7), to: days(0) },
				callCenterRecords: { count: records, from: days(120), to: days(0) },
				voiceRecords: { count: records, from: days(50), to: days(0) },
				flashCalls: { count: records, from: days(3), to: days(0), granularityMs: 15_000 },
			};
	const sandbox = await startSandbox({ port: Number(flag('port') ?? 0), latencyMs: Number(flag('latency') ?? 0), ...options });
	const counts = Object.entries(sandbox.stores).map(([name, list]) => `${list.length} ${name}`);
	process.stdout.write(
		[
			sandbox.url,
			`API sandbox listening on ${sandbox.url} (${counts.join(', ')})`,
			'',
			'Call Records API credential: Platform "Custom", Base URL as above, Path Style "Without /v3"',
			`  (or "With /v3" for the Laaffic dialect), API Key "${DEMO_ACCOUNT.apiKey}", API Secret "${DEMO_ACCOUNT.apiSecret}",`,
			`  Account Time Zone "${sandbox.timeZone}".`,
			`NXCloud API credential: App Key "${NXCLOUD_DEMO_APP.appKey}", App Secret "${NXCLOUD_DEMO_APP.appSecret}", Base URL as above,`,
			`  API Time Zone "${sandbox.timeZone}".`,
			'',
			'Press Ctrl+C to stop.',
			'',
		].join('\n'),
	);
	const stop = () => void sandbox.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
