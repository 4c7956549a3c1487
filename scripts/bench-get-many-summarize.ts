/**
 * A child of `npm run bench -- summarize`: what a user builds without Summarize, Get Many with
 * Return All and then n8n's own Summarize node (n8n-nodes-base from the locked n8n install, through
 * the same engine), by SIP code. A process of its own so that the bench can stop it: n8n's
 * Summarize node copies a group's items on every item it adds, and at a million records it runs
 * for hours. Prints one JSON line per phase as it ends.
 *
 * Argument: JSON { url, startTime, endTime, parallel }.
 */
import '../test/setup/env';

import { join } from 'path';

import type { INodeType } from 'n8n-workflow';

import { platformCredentials } from '../test/engine/fixtures';
import { runNode } from '../test/engine/harness';
import { CURRENT_N8N, ensureN8n } from '../test/e2e/n8nInstall';
import type { Sandbox } from '../test/sandbox/server';
import { heapPeak, peakRssMib } from './heapPeak';

const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main() {
	const { url, startTime, endTime, parallel } = JSON.parse(process.argv[2]) as { url: string; startTime: string; endTime: string; parallel: number };
	const install = await ensureN8n(CURRENT_N8N);
	const path = join(install.modules, 'n8n-nodes-base', 'dist', 'nodes', 'Transform', 'Summarize', 'Summarize.node.js');
	const { Summarize } = require(path) as { Summarize: new () => INodeType };
	const credentials = platformCredentials({ url } as Sandbox);
	// As in the bench: an unmeasured hour first, so the code loaded on the first run is not counted.
	const hourEnd = new Date(Date.parse(startTime) + 3_600_000 - 1).toISOString();
	await runNode({ type: 'numberRecords', parameters: { operation: 'getMany', startTime, endTime: hourEnd, returnAll: true } as never, credentials: credentials as never, timezone: 'UTC' });
	const read = await heapPeak(async () => {
		const result = await runNode({ type: 'numberRecords', parameters: { operation: 'getMany', startTime, endTime, returnAll: true, options: { maxParallelRequests: parallel } } as never, credentials: credentials as never, timezone: 'UTC' });
		if (result.error) throw new Error(`getMany: ${result.error.message}`);
		return result.items.map((item) => item.json);
	});
	say({ phase: 'getMany', items: read.value.length, ms: read.ms, cpuMs: read.cpuMs, peakBytes: read.peakBytes, rssMib: peakRssMib() });
	// Its heap counts from the start of Get Many: the items stay held while n8n's node runs. Its
	// execute is synchronous, so no sample falls inside it: the process's peak RSS covers that.
	const summarized = await heapPeak(async () => {
		const result = await runNode({
			type: 'n8n-nodes-base.summarize',
			external: { nodeType: new Summarize(), typeVersion: 1.1 },
			parameters: {
				fieldsToSummarize: {
					values: [
						{ aggregation: 'count', field: 'callid' },
						{ aggregation: 'sum', field: 'callDuration' },
						{ aggregation: 'sum', field: 'chargedDuration' },
						{ aggregation: 'sum', field: 'pay' },
						{ aggregation: 'min', field: 'startTime' },
						{ aggregation: 'max', field: 'startTime' },
					],
				},
				fieldsToSplitBy: 'sipCode',
			},
			input: read.value,
			credentials: {},
			timezone: 'UTC',
		});
		if (result.error) throw new Error(`n8n Summarize: ${result.error.message}`);
		return result.items.map((item) => item.json);
	});
	const counts = Object.fromEntries(summarized.value.map((group) => [String(group.sipCode), Number(group.count_callid)]));
	say({ phase: 'summarize', version: CURRENT_N8N.version, ms: summarized.ms, cpuMs: summarized.cpuMs, peakBytes: Math.max(read.peakBytes, summarized.startBytes + summarized.peakBytes - read.startBytes), rssMib: peakRssMib(), counts });
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exit(1);
	},
);
