/**
 * Property (fast-check): Summarize over any window, Group By and parallelism gives the figures
 * that folding Get Many's output gives: the streamed read (pages folded as they arrive, split
 * windows and shards whose requests overlap on their boundary second or, on wall clocks, over the
 * repeated autumn hour) sees exactly the records Get Many returns. In a zone without daylight
 * saving, in Berlin, and in Adelaide (a half-hour offset with daylight saving), with windows
 * drawn around the clocks going back.
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
const HOUR = 3_600_000;

/**
 * Account zones: one without daylight saving, one with it (Berlin), and a half-hour zone with it
 * (Adelaide, whose autumn is in April). Each with the instant its clocks go back in 2024: windows
 * and shards are drawn around it too, so parts meet across the repeated hour.
 */
const ZONES = [
	{ zone: ACCOUNT_TIME_ZONE, fallBackMs: undefined },
	{ zone: 'Europe/Berlin', fallBackMs: Date.parse('2024-10-27T01:00:00Z') },
	{ zone: 'Australia/Adelaide', fallBackMs: Date.parse('2024-04-06T16:30:00Z') },
] as const;
type Zone = (typeof ZONES)[number];

const KINDS = [
	{ type: 'callCenterRecords', listing: callCenterListing, maxWindowMs: 93 * DAY_MS, spanMs: 365 * DAY_MS, from: () => Date.parse('2024-01-01T00:00:00Z') },
	// A day of flash calls around the change (or the first of May): Return All reads it in shards.
	{ type: 'flashCallCdrs', listing: flashCallListing, maxWindowMs: DAY_MS, spanMs: DAY_MS, from: (z: Zone) => (z.fallBackMs ?? Date.parse('2024-05-01T12:00:00Z')) - 12 * HOUR },
] as const;

const sandboxes = new Map<string, Sandbox>();
beforeAll(async () => {
	for (const z of ZONES) {
		const spread = (kind: (typeof KINDS)[number]) => ({ from: new Date(kind.from(z)).toISOString(), to: new Date(kind.from(z) + kind.spanMs).toISOString() });
		const sandbox = await startSandbox({
			seed: 270,
			timeZone: z.zone,
			// Coarse grids: many records share a second, also the seconds where windows and shards meet.
			callCenterRecords: { count: 1_500, ...spread(KINDS[0]), granularityMs: 6 * HOUR },
			flashCalls: { count: 1_500, ...spread(KINDS[1]), granularityMs: 60_000 },
		});
		// Calls in the hours around the change, the repeated hour among them.
		if (z.fallBackMs !== undefined) sandbox.addRecords('callCenterRecords', 200, z.fallBackMs - 3 * HOUR, z.fallBackMs + 3 * HOUR);
		sandboxes.set(z.zone, sandbox);
	}
});
afterAll(async () => {
	for (const sandbox of sandboxes.values()) await sandbox.stop();
});

function run(z: Zone, type: string, parameters: IDataObject) {
	const sandbox = sandboxes.get(z.zone)!;
	return runNode({
		type,
		parameters: parameters as NodeRunOptions['parameters'],
		credentials:
			type === 'flashCallCdrs'
				? { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: z.zone } }
				: platformCredentials(sandbox, { timeZone: z.zone }),
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

/**
 * A window of whole seconds inside the kind's data: anywhere, or (in a zone with daylight saving)
 * one whose split boundary or shard edges fall within two hours of the clocks going back.
 */
function windows(kind: (typeof KINDS)[number], z: Zone) {
	const fromMs = kind.from(z);
	const anywhere = fc
		.tuple(fc.integer({ min: 0, max: Math.floor(kind.spanMs / 1000) - 60 }), fc.integer({ min: 60, max: Math.floor(kind.spanMs / 1000) }))
		.map(([start, span]) => ({ startMs: fromMs + start * 1000, endMs: Math.min(fromMs + kind.spanMs, fromMs + (start + span) * 1000) }));
	if (z.fallBackMs === undefined) return anywhere;
	const fallBackMs = z.fallBackMs;
	// The first part ends (or a shard edge lies) within two hours of the change; the window runs past it.
	const aroundChange = fc
		.tuple(fc.integer({ min: -7_200, max: 7_200 }), fc.integer({ min: 60, max: 3 * 3_600 }))
		.map(([offset, after]) => {
			const boundary = fallBackMs + offset * 1000;
			const startMs = Math.max(fromMs, kind.type === 'callCenterRecords' ? boundary - kind.maxWindowMs : boundary - 2 * HOUR);
			return { startMs, endMs: Math.min(fromMs + kind.spanMs, fallBackMs + after * 1000 + HOUR) };
		});
	return fc.oneof(anywhere, aroundChange);
}

describe.each(ZONES.flatMap((z) => KINDS.map((kind) => [z.zone, kind.type, z, kind] as const)))('Summarize equals the figures of Get Many\'s output: %s, %s', (_zone, _type, z, kind) => {
	test('over any window, Group By and Max Parallel Requests', async () => {
		const dimensions = dimensionsOf(kind.listing);
		await fc.assert(
			fc.asyncProperty(windows(kind, z), fc.subarray(dimensions, { maxLength: 2 }), fc.integer({ min: 1, max: 8 }), async ({ startMs, endMs }, groupBy, parallel) => {
				const window = { startTime: new Date(startMs).toISOString(), endTime: new Date(endMs).toISOString() };
				const options = { maxParallelRequests: parallel };
				const [getMany, summary] = [
					await run(z, kind.type, { operation: 'getMany', ...window, returnAll: true, options }),
					await run(z, kind.type, { operation: 'summarize', ...window, groupBy, options }),
				];
				expect(getMany.error).toBeUndefined();
				expect(summary.error).toBeUndefined();
				const got = summary.items.map(({ json }) => {
					const { windowStart, windowEnd, groupBy: _, ...rest } = json;
					return rest;
				});
				expect(got).toEqual(figuresFromGetMany(kind.listing, getMany.items.map((item) => item.json), groupBy));
			}),
			{ numRuns: 12 },
		);
	}, 300_000);
});
