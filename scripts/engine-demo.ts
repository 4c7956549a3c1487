/**
 * `npm run demo:engine`: starts the API sandbox, runs a Number Records workflow through n8n's real
 * execution engine (n8n-core) with the package's credential, and prints the records.
 */
import '../test/setup/env';

import { ACCOUNT_TIME_ZONE, platformCredentials } from '../test/engine/fixtures';
import { runNode } from '../test/engine/harness';
import { startSandbox } from '../test/sandbox/server';

async function main() {
	const now = Date.now();
	const sandbox = await startSandbox({
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 1_500, from: new Date(now - 3 * 86_400_000).toISOString(), to: new Date(now).toISOString() },
	});
	try {
		const workflowTimeZone = 'Europe/Berlin';
		process.stdout.write(`API sandbox on ${sandbox.url}; running "Number Records" (Get Many, Return All, last 4 days) in n8n's engine...\n`);
		const started = Date.now();
		const result = await runNode({
			type: 'numberRecords',
			parameters: {
				operation: 'getMany',
				startTime: '={{ $now.minus({ days: 4 }).toISO() }}',
				endTime: '={{ $now.toISO() }}',
				returnAll: true,
			},
			credentials: platformCredentials(sandbox),
			timezone: workflowTimeZone,
		});
		if (result.error) throw new Error(`${result.error.message}\n${result.error.description ?? ''}`);
		const records = result.items.map((item) => item.json);
		process.stdout.write(
			`\n${records.length} records in ${Date.now() - started} ms over ${sandbox.requests.length} signed requests ` +
				`(the sandbox holds ${sandbox.stores.numberRecords.length}). Times are in the workflow's zone, ${workflowTimeZone}.\n\nFirst five:\n`,
		);
		console.table(
			records.slice(0, 5).map((r) => ({
				callid: r.callid,
				startTime: r.startTime,
				source: r.callSourceLabel,
				country: r.country,
				duration: r.callDuration,
				pay: r.pay,
				sipCode: r.sipCode,
			})),
		);
		process.stdout.write(`\nOne full item:\n${JSON.stringify(records[0], null, 2)}\n`);
		if (records.length !== sandbox.stores.numberRecords.length) throw new Error('The demo did not receive every record.');
	} finally {
		await sandbox.stop();
	}
	process.exit(0);
}

main().catch((error) => {
	process.stderr.write(`Demo failed: ${error.message}\n`);
	process.exit(1);
});
