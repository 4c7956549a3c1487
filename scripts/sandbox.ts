/**
 * `npm run sandbox`: starts the API sandbox on 127.0.0.1 with a demo data set and prints how to
 * point a credential at it. Flags: --port N, --records N, --latency MS.
 */
import { ACCOUNT_TIME_ZONE } from '../test/engine/fixtures';
import { DEMO_ACCOUNT, startSandbox } from '../test/sandbox/server';

function flag(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main() {
	const now = Date.now();
	const sandbox = await startSandbox({
		port: flag('port', 0),
		latencyMs: flag('latency', 0),
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: {
			count: flag('records', 5_000),
			from: new Date(now - 7 * 86_400_000).toISOString(),
			to: new Date(now).toISOString(),
		},
	});
	process.stdout.write(
		[
			`API sandbox listening on ${sandbox.url}`,
			`${sandbox.stores.numberRecords.length} number records over the last 7 days`,
			'',
			'Call Records API credential:',
			'  Platform: Custom',
			`  Base URL: ${sandbox.url}`,
			'  Path Style: Without /v3 (or With /v3 for the Laaffic dialect)',
			`  API Key: ${DEMO_ACCOUNT.apiKey}`,
			`  API Secret: ${DEMO_ACCOUNT.apiSecret}`,
			`  Account Time Zone: ${ACCOUNT_TIME_ZONE}`,
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
