/**
 * Property (fast-check): Summarize over any window, Group By and parallelism gives the figures
 * that folding Get Many's output gives: the streamed read (pages folded as they arrive, split
 * windows and shards sharing only their boundary records) sees exactly the records Get Many returns.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { callCenterListing } from '../../nodes/CallCenterRecords/listing';
import { flashCallListing } from '../../nodes/FlashCallCdrs/listing';
import type { Listing } from '../../nodes/shared/listing';
import { dimensionsOf } from '../../nodes/shared/summarize/fields';
import { summaryFold, summaryResult } from '../../nodes/shared/summarize/fold';
import { DAY_MS } from '../../nodes/transport/windows';

const WORKFLOW_TZ = 'Asia/Kolkata';
const KINDS = [
	{ type: 'callCenterRecords', listing: callCenterListing, fromMs: Date.parse('2024-01-01T00:00:00Z'), spanMs: 240 * DAY_MS },
	{ type: 'flashCallCdrs', listing: flashCallListing, fromMs: Date.parse('2024-05-01T00:00:00Z'), spanMs: DAY_MS },
] as const;

let sandbox: Sandbox;
beforeAll(async () => {
	const spread = (kind: (typeof KINDS)[number]) => ({ from: new Date(kind.fromMs).toISOString(), to: new Date(kind.fromMs + kind.spanMs).toISOString() });
	sandbox = await startSandbox({
		seed: 270,
		timeZone: ACCOUNT_TIME_ZONE,
		// Coarse grids: many records share a second, also the seconds where windows and shards meet.
		callCenterRecords: { count: 1_500, ...spread(KINDS[0]), granularityMs: 6 * 3_600_000 },
		flashCalls: { count: 1_500, ...spread(KINDS[1]), granularityMs: 60_000 },
	});
});
afterAll(async () => {
	await sandbox.stop();
});

function run(type: string, parameters: IDataObject) {
	return runNode({
		type,
		parameters: parameters as NodeRunOptions['parameters'],
		credentials:
			type === 'flashCallCdrs'
				? { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: ACCOUNT_TIME_ZONE } }
				: platformCredentials(sandbox),
		timezone: WORKFLOW_TZ,
	});
}

function figuresFromGetMany(listing: Listing, records: IDataObject[], groupBy: string[]) {
	const plan = { spec: listing.summary, timeField: listing.timeField, groupBy: groupBy as never[] };
	const fold = summaryFold(plan);
	const state = fold.start();
	for (const record of records) fold.add(state, record);
	const { totals, groups } = summaryResult(state, plan);
	return [...groups.map((group) => ({ row: 'group', ...group })), { row: 'totals', groupCount: groups.length, ...totals }];
}

describe.each(KINDS)('Summarize equals the figures of Get Many\'s output: $type', (kind) => {
	test('over any window, Group By and Max Parallel Requests', async () => {
		const dimensions = dimensionsOf(kind.listing);
		await fc.assert(
			fc.asyncProperty(
				// Whole seconds, as the APIs read them; a window of at least a minute.
				fc.integer({ min: 0, max: Math.floor(kind.spanMs / 1000) - 60 }),
				fc.integer({ min: 60, max: Math.floor(kind.spanMs / 1000) }),
				fc.subarray(dimensions, { maxLength: 2 }),
				fc.integer({ min: 1, max: 8 }),
				async (startSecond, spanSeconds, groupBy, parallel) => {
					const startMs = kind.fromMs + startSecond * 1000;
					const endMs = Math.min(kind.fromMs + kind.spanMs, startMs + spanSeconds * 1000);
					const window = { startTime: new Date(startMs).toISOString(), endTime: new Date(endMs).toISOString() };
					const options = { maxParallelRequests: parallel };
					const [getMany, summary] = [
						await run(kind.type, { operation: 'getMany', ...window, returnAll: true, options }),
						await run(kind.type, { operation: 'summarize', ...window, groupBy, options }),
					];
					expect(getMany.error).toBeUndefined();
					expect(summary.error).toBeUndefined();
					const got = summary.items.map(({ json }) => {
						const { windowStart, windowEnd, groupBy: _, ...rest } = json;
						return rest;
					});
					expect(got).toEqual(figuresFromGetMany(kind.listing, getMany.items.map((item) => item.json), groupBy));
				},
			),
			{ numRuns: 12 },
		);
	}, 300_000);
});
