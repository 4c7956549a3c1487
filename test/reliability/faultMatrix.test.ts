/**
 * Faults injected at random pages of a 5,000-record Return All, through the real engine: a
 * transient fault still yields the exact set; a permanent one a clear error. Never a short or
 * duplicated result. Then the same faults under the trigger: no record lost or repeated.
 */
import { runNode } from '../engine/harness';
import { numberRecordsSandbox, platformCredentials } from '../engine/fixtures';
import { PollHarness } from '../engine/poll';
import type { Fault, Sandbox } from '../sandbox/server';
import { seededRandom } from '../sandbox/random';

const WINDOW = { startTime: '2024-03-01T00:00:00Z', endTime: '2024-03-08T00:00:00Z' };
let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await numberRecordsSandbox(5_000);
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

const expected = () => sandbox.recordsIn('numberRecords', Date.parse(WINDOW.startTime), Date.parse(WINDOW.endTime)).map((r) => r.id);
const run = (options: Record<string, unknown> = {}) =>
	runNode({
		type: 'numberRecords',
		parameters: { operation: 'getMany', ...WINDOW, returnAll: true, options: { maxParallelRequests: 8, timeoutSeconds: 1, ...options } },
		credentials: platformCredentials(sandbox),
	});

/** Three distinct pages, chosen by a seed so a failure can be replayed. */
function randomPages(seed: number): number[] {
	const random = seededRandom(seed);
	const pages = new Set<number>();
	while (pages.size < 3) pages.add(1 + Math.floor(random() * 50));
	return [...pages];
}

const TRANSIENT: Array<[string, Omit<Fault, 'page'>]> = [
	['HTTP 500', { kind: 'http', httpStatus: 500 }],
	['HTTP 502', { kind: 'http', httpStatus: 502 }],
	['HTTP 503', { kind: 'http', httpStatus: 503 }],
	['HTTP 429 with Retry-After', { kind: 'http', httpStatus: 429, retryAfter: '1' }],
	['a connection reset', { kind: 'reset' }],
	['a time-out', { kind: 'hang', hangMs: 2_500 }],
	['status -18', { kind: 'status', status: '-18' }],
	['status -16 once', { kind: 'status', status: '-16' }],
	['a truncated body', { kind: 'truncated' }],
	['invalid JSON', { kind: 'invalidJson' }],
	['an empty page before the last', { kind: 'emptyPage' }],
	['a repeated page', { kind: 'repeatPage' }],
];

describe('fault matrix: Return All over 5,000 records', () => {
	test.each(TRANSIENT.map(([name, fault], i) => [name, randomPages(100 + i), fault] as const))(
		'%s at pages %j: the exact set comes back',
		async (_name, pages, fault) => {
			for (const page of pages) sandbox.inject({ ...fault, page });
			const result = await run();
			expect(result.error).toBeUndefined();
			const got = result.items.map((i) => i.json.callid);
			expect(got).toHaveLength(new Set(got).size);
			expect(got).toEqual(expected());
			// The faults were met: a failed attempt each, or (bad page contents) a second read.
			const failed = sandbox.requests.filter((r) => r.answer !== 'status 0').length;
			expect(failed >= 3 || sandbox.requests.length >= 2 * 50).toBe(true);
		},
		30_000,
	);

	test.each([
		['an HTML error page', { kind: 'html' }, 'The API answered with an HTML page instead of JSON'],
		['HTTP 500 that never ends', { kind: 'http', httpStatus: 500, times: 1_000 }, 'The API answered HTTP 500'],
		['a Retry-After beyond reason', { kind: 'http', httpStatus: 429, retryAfter: '3600', times: 1_000 }, 'The API is rate limiting requests (HTTP 429)'],
		['an authentication failure', { kind: 'status', status: '-1', times: 1_000 }, 'Authentication failed (status -1)'],
		[
			'a redirect to another host (not followed with the signed request)',
			{ kind: 'http', httpStatus: 307, location: 'https://elsewhere.example.com/number/record/queryPage?from=sandbox', times: 1_000 },
			'The API answered HTTP 307, a redirect to https://elsewhere.example.com',
		],
		['a page that is always empty', { kind: 'emptyPage', times: 1_000 }, /pages held only/],
		['a page that always repeats its neighbour', { kind: 'repeatPage', times: 1_000 }, /pages held only/],
		// Kept up on every read of page 7: later pages' totals fall below it, which filing never does.
		['a total larger than the records served', { kind: 'wrongTotal', times: 1_000 }, /reported 5\d\d\d records .* held only/],
	] as Array<[string, Omit<Fault, 'page'>, string | RegExp]>)('%s fails with a clear error', async (_name, fault, message) => {
		sandbox.inject({ ...fault, page: 7 });
		const result = await run();
		expect(result.items).toHaveLength(0);
		if (typeof message === 'string') expect(result.error?.message).toBe(message);
		else expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toBeTruthy();
		// Detected and reported, not looped on: at most the pages of two reads plus the retries.
		expect(sandbox.requests.length).toBeLessThan(2 * 50 + 10);
	}, 60_000);

	test('records filed while the pages are read: none there before lost, none repeated', async () => {
		const original = sandbox.stores.numberRecords;
		try {
			const before = expected();
			sandbox.insertDuringPaging({ endpoint: 'numberRecords', afterRequests: 10, count: 25, fromMs: Date.parse(WINDOW.startTime), toMs: Date.parse(WINDOW.endTime) });
			const result = await run();
			expect(result.error).toBeUndefined();
			const got = result.items.map((i) => String(i.json.callid));
			expect(got).toHaveLength(new Set(got).size);
			// The 25 filed during the read may or may not be returned (docs/reliability.md).
			const gotIds = new Set(got);
			expect(before.filter((id) => !gotIds.has(id))).toEqual([]);
			const all = new Set(expected());
			expect(got.every((id) => all.has(id))).toBe(true);
			expect(all.size).toBe(before.length + 25);
		} finally {
			sandbox.stores.numberRecords = original;
		}
	});
});

describe('fault matrix: the trigger loses and repeats nothing', () => {
	const MIN = 60_000;
	const T0 = Date.parse('2025-02-01T00:00:00Z');
	let now = T0;
	beforeAll(() => {
		jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterAll(() => {
		jest.restoreAllMocks();
	});

	test.each(TRANSIENT.map(([name, fault], i) => [name, fault, 300 + i] as const))(
		'%s on random polls',
		async (_name, fault, seed) => {
			now = T0;
			const random = seededRandom(seed);
			const stream = await numberRecordsSandbox(0);
			try {
				const trigger = new PollHarness({ source: 'numberRecords', options: { lookBackMinutes: 5, settleSeconds: 30, timeoutSeconds: 1 } }, platformCredentials(stream));
				await trigger.poll();
				for (let i = 0; i < 30; i++) stream.addRecords('numberRecords', 120, T0 + i * MIN, T0 + (i + 1) * MIN - 1000, 3 * MIN);
				const emitted: string[] = [];
				let failedPolls = 0;
				for (let i = 1; i <= 45; i++) {
					now = T0 + i * MIN;
					// Faults stop after 35 polls; a fault aimed at a page a poll did not read waits for a later one.
					if (i <= 35 && random() < 0.3) stream.inject({ ...fault, page: 1 + Math.floor(random() * 3) });
					if (i === 36) stream.reset();
					const { items, error } = await trigger.poll();
					// A poll may fail (two stacked faults on one page); the next one must make up for it.
					if (error) failedPolls++;
					emitted.push(...items.map((item) => String(item.callid)));
				}
				expect(failedPolls).toBeLessThan(10);
				expect(emitted).toHaveLength(new Set(emitted).size);
				expect(emitted.sort()).toEqual(stream.stores.numberRecords.map((r) => r.id).sort());
			} finally {
				await stream.stop();
			}
		},
		60_000,
	);
});
