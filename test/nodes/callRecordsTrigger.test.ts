/**
 * Call Records Trigger polled through n8n-core's PollContext against the sandbox over HTTP.
 * Time is simulated by moving Date.now for the trigger, the credential's signature and the
 * sandbox alike, so that hours of polling run in seconds.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { ACCOUNT_TIME_ZONE, SANDBOX_RECORDING_HOSTS, platformCredentials } from '../engine/fixtures';
import { PollHarness } from '../engine/poll';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { seededRandom } from '../sandbox/random';
import { recordingBytes, sha256 } from '../sandbox/recordings';

const MIN = 60_000;
const T0 = Date.parse('2025-06-01T08:00:00Z');
let now = T0;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 21, timeZone: ACCOUNT_TIME_ZONE });
	jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterAll(async () => {
	jest.restoreAllMocks();
	await sandbox.stop();
});
beforeEach(() => {
	sandbox.reset();
	for (const key of Object.keys(sandbox.stores) as Array<keyof Sandbox['stores']>) sandbox.stores[key] = [];
	now = T0;
});

const OPTIONS = { lookBackMinutes: 10, settleSeconds: 60 };
const numberTrigger = (options: Record<string, unknown> = {}) =>
	new PollHarness({ source: 'numberRecords', options: { ...OPTIONS, ...options } }, platformCredentials(sandbox, SANDBOX_RECORDING_HOSTS), 'Europe/Paris');
const ids = (items: Array<Record<string, unknown>>) => items.map((i) => String(i.callid));
const sorted = (list: string[]) => [...list].sort();

describe('Call Records Trigger', () => {
	test('first activation starts from now: older records are not emitted, newer ones once', async () => {
		sandbox.addRecords('numberRecords', 30, T0 - 60 * MIN, T0 - 2 * MIN);
		const trigger = numberTrigger();
		expect((await trigger.poll()).items).toEqual([]);
		expect(trigger.state).toMatchObject({ source: 'numberRecords', cursorMs: T0 - MIN });

		const fresh = sandbox.addRecords('numberRecords', 12, T0, T0 + 4 * MIN);
		now = T0 + 6 * MIN;
		const second = await trigger.poll();
		expect(ids(second.items).sort()).toEqual(fresh.map((r) => r.id).sort());
		// Output items have the node's shape: numbers, ISO times, labels.
		expect(typeof second.items[0].pay).toBe('number');
		expect(second.items[0].startTime).toMatch(/\+02:00$/);
		expect(second.items[0].callSourceLabel).toBeDefined();

		now = T0 + 8 * MIN;
		expect((await trigger.poll()).items).toEqual([]);
	});

	test('with Download Recordings each recording is emitted once, with its record; a record whose download keeps failing waits and the next poll retries it', async () => {
		const trigger = numberTrigger({ downloadRecordings: true });
		await trigger.poll();
		const fresh = sandbox.addRecords('numberRecords', 60, T0, T0 + 4 * MIN);
		const recorded = fresh.filter((r) => r.wire.recordingFileUrl !== '');
		expect(recorded.length).toBeGreaterThan(5);
		const pathOf = (url: unknown) => String(url).replace(/^https:\/\/files\.example\.invalid/, '');
		const firstPath = pathOf(recorded[0].wire.recordingFileUrl);
		// Through every retry of the first poll (six attempts), then it answers.
		sandbox.recordings.inject({ kind: 'http', httpStatus: 503, path: firstPath, times: 6 });

		now = T0 + 6 * MIN;
		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		expect(sorted(ids(first.items))).toEqual(sorted(fresh.filter((r) => r !== recorded[0]).map((r) => r.id)));
		expect(first.items.every((item) => item.recordingError === undefined)).toBe(true);
		const fetchedFirst = sandbox.recordings.requests.map((r) => r.path);
		sandbox.recordings.requests.length = 0;

		now = T0 + 7 * MIN;
		const polled = await trigger.poll();
		expect(polled.error).toBeUndefined();
		expect(ids(polled.items)).toEqual([recorded[0].id]);
		const all = [...first.items, ...polled.items];
		const binaries = [...first.binaries, ...polled.binaries];
		all.forEach((item, i) => {
			const binary = binaries[i]?.recording;
			if (item.recordingFileUrl === '') return expect(binary).toBeUndefined();
			const path = new URL(String(item.recordingFileUrl)).pathname;
			expect(sha256(Buffer.from(binary!.data, 'base64'))).toBe(sha256(recordingBytes(path.slice(1), sandbox.recordings.size)));
			expect(binary!.mimeType).toBe('audio/wav');
		});

		now = T0 + 9 * MIN;
		expect((await trigger.poll()).items).toEqual([]);
		// Each file was fetched once, but the failing one: six times on the first poll, once on the second.
		expect(sandbox.recordings.requests.map((r) => r.path)).toEqual([firstPath]);
		expect(fetchedFirst.filter((path) => path === firstPath)).toHaveLength(6);
		expect(sorted(fetchedFirst.filter((path) => path !== firstPath))).toEqual(sorted(recorded.slice(1).map((record) => pathOf(record.wire.recordingFileUrl))));
	});

	test('a record filed late, inside the look-back, is emitted on the next poll, once', async () => {
		const trigger = numberTrigger();
		await trigger.poll();
		now = T0 + 5 * MIN;
		const onTime = sandbox.addRecords('numberRecords', 5, T0, T0 + 3 * MIN);
		expect(ids((await trigger.poll()).items).sort()).toEqual(onTime.map((r) => r.id).sort());

		// Happened before the cursor, filed only now.
		const late = sandbox.addRecords('numberRecords', 3, T0 + 1 * MIN, T0 + 2 * MIN);
		now = T0 + 7 * MIN;
		expect(ids((await trigger.poll()).items).sort()).toEqual(late.map((r) => r.id).sort());
		now = T0 + 9 * MIN;
		expect((await trigger.poll()).items).toEqual([]);
	});

	test('records on the boundary second between two polls are emitted once', async () => {
		const trigger = numberTrigger();
		await trigger.poll();
		now = T0 + 5 * MIN;
		const boundary = Math.floor((now - 60_000) / 1000) * 1000; // the first poll's `until`
		const onEdge = sandbox.addRecords('numberRecords', 4, boundary, boundary);
		const first = await trigger.poll();
		expect(ids(first.items).sort()).toEqual(onEdge.map((r) => r.id).sort());
		const more = sandbox.addRecords('numberRecords', 2, boundary, boundary);
		now = T0 + 6 * MIN;
		expect(ids((await trigger.poll()).items).sort()).toEqual(more.map((r) => r.id).sort());
	});

	test('polls at millisecond offsets: a record on the first second of a later window is not emitted again (issue #17)', async () => {
		// As reported: look-back 2 min, settle 30 s, polls every minute at .437 past the second.
		// Poll 1 reads up to 18:41:52; four polls later the look-back start slides onto that second.
		const trigger = numberTrigger({ lookBackMinutes: 2, settleSeconds: 30 });
		const offset = 437;
		now = T0 + offset;
		await trigger.poll();
		now += 22_000;
		const edge = Math.floor((now - 30_000) / 1000) * 1000; // the first read's last second
		const onEdge = sandbox.addRecords('numberRecords', 5, edge, edge);
		const emitted = ids((await trigger.poll()).items);
		for (let poll = 0; poll < 6; poll++) {
			now += MIN;
			emitted.push(...ids((await trigger.poll()).items));
		}
		expect(emitted.sort()).toEqual(onEdge.map((r) => r.id).sort());
	});

	test('a failed poll does not move the cursor, and the next one emits what it missed', async () => {
		const trigger = numberTrigger();
		await trigger.poll();
		const before = trigger.state;
		const records = sandbox.addRecords('numberRecords', 20, T0, T0 + 3 * MIN);
		now = T0 + 5 * MIN;
		sandbox.inject({ kind: 'status', status: '-30', times: 1 });
		const failed = await trigger.poll();
		expect(failed.error?.message).toBe('The API key is disabled (status -30)');
		expect(trigger.state).toEqual(before);
		now = T0 + 30 * MIN; // past the look-back: only the cursor's standing still can save these
		expect(ids((await trigger.poll()).items).sort()).toEqual(records.map((r) => r.id).sort());
	});

	test('more new records than the cap are emitted over several polls, oldest first, each once', async () => {
		const trigger = numberTrigger({ maxPerPoll: 100 });
		await trigger.poll();
		const records = sandbox.addRecords('numberRecords', 250, T0, T0 + 3 * MIN);
		const emitted: string[] = [];
		const sizes: number[] = [];
		for (let i = 1; i <= 4; i++) {
			now = T0 + (5 + i) * MIN;
			const { items } = await trigger.poll();
			sizes.push(items.length);
			emitted.push(...ids(items));
		}
		expect(sizes).toEqual([100, 100, 50, 0]);
		expect(emitted.sort()).toEqual(records.map((r) => r.id).sort());
	});

	test('a manual test run returns a few recent records and leaves the cursor alone', async () => {
		const trigger = numberTrigger();
		await trigger.poll();
		const before = JSON.stringify(trigger.staticData);
		sandbox.addRecords('numberRecords', 40, T0 - 3 * 86_400_000, T0 + MIN);
		now = T0 + 2 * MIN;
		const sample = await trigger.poll('manual');
		expect(sample.items).toHaveLength(5);
		const newest = sandbox.recordsIn('numberRecords', 0, now).slice(0, 5).map((r) => r.id);
		expect(ids(sample.items)).toEqual(newest);
		expect(JSON.stringify(trigger.staticData)).toBe(before);
	});

	test('Backfill From emits the records since then on the first poll', async () => {
		const old = sandbox.addRecords('numberRecords', 15, T0 - 120 * MIN, T0 - 10 * MIN);
		sandbox.addRecords('numberRecords', 5, T0 - 300 * MIN, T0 - 200 * MIN);
		const trigger = numberTrigger({ backfillFrom: new Date(T0 - 150 * MIN).toISOString() });
		expect(ids((await trigger.poll()).items).sort()).toEqual(old.map((r) => r.id).sort());
	});

	test('Only Hang-Up Reasons (text or code) emits the matching records and skips the rest for good', async () => {
		const trigger = new PollHarness(
			{ source: 'callCenterRecords', filters: { callTypes: [3] }, options: { ...OPTIONS, onlyHangupReasons: 'called party busy, 4' } },
			platformCredentials(sandbox),
		);
		await trigger.poll();
		const records = sandbox.addRecords('callCenterRecords', 200, T0, T0 + 3 * MIN);
		now = T0 + 5 * MIN;
		const { items } = await trigger.poll();
		const want = records.filter((r) => r.wire.callType === 3 && [7, 4].includes(r.wire.hangupReason as number)).map((r) => r.id);
		expect(want.length).toBeGreaterThan(0);
		expect(items.map((i) => String(i.keyId)).sort()).toEqual(want.sort());
		expect(items.every((i) => ['Called party is busy', 'Call failed'].includes(String(i.hangupReasonLabel)))).toBe(true);
		now = T0 + 6 * MIN;
		expect((await trigger.poll()).items).toEqual([]);
	});

	test('Only SIP Codes emits the calls that ended with one of them', async () => {
		const trigger = numberTrigger({ onlySipCodes: '486, 480' });
		await trigger.poll();
		const records = sandbox.addRecords('numberRecords', 300, T0, T0 + 3 * MIN);
		now = T0 + 5 * MIN;
		const { items } = await trigger.poll();
		const want = records.filter((r) => ['486', '480'].includes(String(r.wire.sipCode))).map((r) => r.id);
		expect(want.length).toBeGreaterThan(0);
		expect(ids(items).sort()).toEqual(want.sort());
	});

	test('Flash Call CDRs as a source', async () => {
		const trigger = new PollHarness(
			{ source: 'flashCallCdrs', options: OPTIONS },
			{ nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: ACCOUNT_TIME_ZONE } },
		);
		await trigger.poll();
		const records = sandbox.addRecords('flashCalls', 30, T0, T0 + 3 * MIN);
		now = T0 + 5 * MIN;
		const { items, error } = await trigger.poll();
		expect(error).toBeUndefined();
		expect(items.map((i) => String(i.id)).sort()).toEqual(records.map((r) => r.id).sort());
	});

	test('500 polls over a stream of 20,000 late-filed records, with failed polls: every record exactly once', async () => {
		const random = seededRandom(99);
		// Quarter-hour sweeps: in the stream, at a twenty-fourth of the default's reading.
		const trigger = numberTrigger({ maxPerPoll: 400, longCallHours: 0.25 });
		await trigger.poll();
		const POLLS = 500;
		const STEP = MIN;
		// 40 calls a minute, each filed up to 8 minutes after it happened.
		for (let i = 0; i < POLLS; i++) sandbox.addRecords('numberRecords', 40, T0 + i * STEP, T0 + (i + 1) * STEP - 1000, 8 * MIN);
		const emitted: string[] = [];
		let failures = 0;
		for (let i = 1; i <= POLLS + 20; i++) {
			// Real polls land at any millisecond; the records sit on whole seconds, as the API has them.
			now = T0 + i * STEP + Math.floor(random() * 1000);
			if (random() < 0.05) {
				sandbox.inject({ kind: 'status', status: '-30' });
				failures++;
			}
			const { items, error } = await trigger.poll();
			if (!error) emitted.push(...ids(items));
		}
		const all = sandbox.stores.numberRecords.map((r) => r.id);
		expect(all).toHaveLength(20_000);
		expect(failures).toBeGreaterThan(10);
		expect(emitted).toHaveLength(new Set(emitted).size);
		expect(emitted.sort()).toEqual(all.sort());
		// The remembered ids stay bounded by what a sweep reads back (40 a minute for 15 minutes, and the poll's own window), not by the history.
		expect(Object.keys(trigger.state!.seen as object).length).toBeLessThan(40 * 30);
	}, 300_000);
});

/** Issue #25: the trigger under production conditions. */
type Options = Record<string, string | number | boolean>;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const defaultNumberTrigger = (options: Options = {}) => new PollHarness({ source: 'numberRecords', options }, platformCredentials(sandbox), 'Europe/Paris');
const callCenterTrigger = (options: Options = {}) =>
	new PollHarness({ source: 'callCenterRecords', options }, platformCredentials(sandbox, { recordingBaseUrl: sandbox.url }));
const idsOf = (items: Array<Record<string, unknown>>, field: string) => items.map((i) => String(i[field]));

/** Files one record that happened at `startMs` and becomes visible only at `filedMs`. */
function fileLate(endpoint: 'numberRecords' | 'callCenterRecords', startMs: number, filedMs: number) {
	const [record] = sandbox.addRecords(endpoint, 1, startMs, startMs, 1);
	record.writtenMs = filedMs;
	return record;
}

describe('Call Records Trigger in production (issue #25)', () => {
	// What the trigger says in n8n's log.
	let warnings: string[] = [];
	beforeAll(() => {
		jest.spyOn(Container.get(Logger), 'warn').mockImplementation((message: string) => {
			warnings.push(message);
		});
	});
	beforeEach(() => {
		warnings = [];
	});

	describe('overlapping polls', () => {
		test('two polls started together, each answer 3 s late: every record is emitted once, and the next poll goes on from the saved cursor', async () => {
			const trigger = defaultNumberTrigger();
			await trigger.poll();
			const records = sandbox.addRecords('numberRecords', 150, T0, T0 + 3 * MIN);
			now = T0 + 5 * MIN;
			sandbox.latencyMs = 3_000;
			const both = await Promise.all([trigger.poll(), trigger.poll()]);
			expect(both.map((p) => p.error)).toEqual([undefined, undefined]);
			const emitted = both.flatMap((p) => ids(p.items));
			expect(sorted(emitted)).toEqual(sorted(records.map((r) => r.id)));

			sandbox.latencyMs = 0;
			const more = sandbox.addRecords('numberRecords', 20, T0 + 4 * MIN, T0 + 6 * MIN);
			now = T0 + 8 * MIN;
			expect(sorted(ids((await trigger.poll()).items))).toEqual(sorted(more.map((r) => r.id)));
		}, 30_000);
	});

	describe('long calls', () => {
		test('with default options, a record visible only 20 minutes after its start, and one visible 4 hours after, are each emitted once', async () => {
			const trigger = defaultNumberTrigger();
			await trigger.poll();
			const twentyMinutes = fileLate('numberRecords', T0 + MIN, T0 + 21 * MIN);
			const fourHours = fileLate('numberRecords', T0 + 2 * MIN, T0 + 2 * MIN + 4 * HOUR);
			const emitted: string[] = [];
			for (let minute = 1; minute <= 5 * 60; minute++) {
				now = T0 + minute * MIN;
				const { items, error } = await trigger.poll();
				expect(error).toBeUndefined();
				emitted.push(...ids(items));
			}
			expect(sorted(emitted)).toEqual(sorted([twentyMinutes.id, fourHours.id]));
			// Most polls read the 15-minute look-back only; one in fifteen also sweeps the 6 hours back (a count and a read of one window).
			const reaches = new Map(sandbox.windows.map((w) => [`${w.fromMs}-${w.toMs}`, w.toMs - w.fromMs]));
			expect([...reaches.values()].filter((ms) => ms > HOUR).length).toBeLessThanOrEqual(Math.ceil((5 * 60) / 15) + 1);
		}, 60_000);

		test('an API that selects by filing time: a record returned by several windows after its own time fell below the forgetting limit is emitted once', async () => {
			sandbox.selectBy('numberRecords', 'filed');
			// No sweeps: only the short windows' memory is under test.
			const trigger = defaultNumberTrigger({ lookBackMinutes: 10, longCallHours: 0 });
			await trigger.poll();
			const late = fileLate('numberRecords', T0 + MIN, T0 + 40 * MIN);
			const emitted: string[] = [];
			for (let minute = 1; minute <= 70; minute++) {
				now = T0 + minute * MIN;
				emitted.push(...ids((await trigger.poll()).items));
			}
			// Windows of eleven polls held it; it was emitted by the first of them only.
			const holding = sandbox.windows.filter((w) => w.fromMs <= T0 + 40 * MIN && w.toMs >= T0 + 40 * MIN);
			expect(holding.length).toBeGreaterThan(5);
			expect(emitted).toEqual([late.id]);
			// Its own time lay far before that window: the log says so.
			expect(warnings.some((w) => w.includes(late.id))).toBe(true);
		}, 30_000);
	});

	describe('catching up', () => {
		test('a backfill of 20,000 records at 1,000 per poll takes about one page request per 100 records', async () => {
			sandbox.addRecords('numberRecords', 20_000, T0 - 2 * DAY, T0 - 10 * MIN);
			const trigger = defaultNumberTrigger({ backfillFrom: new Date(T0 - 2 * DAY).toISOString(), longCallHours: 0 });
			const emitted: string[] = [];
			let polls = 0;
			for (; polls < 40; polls++) {
				now = T0 + polls * MIN;
				const { items, error } = await trigger.poll();
				expect(error).toBeUndefined();
				emitted.push(...ids(items));
				if (emitted.length === 20_000 && items.length === 0) break;
			}
			expect(emitted).toHaveLength(20_000);
			expect(new Set(emitted).size).toBe(20_000);
			const numberRequests = sandbox.requests.filter((r) => r.endpoint === 'numberRecords');
			const counts = numberRequests.filter((r) => r.body?.size === 1).length;
			// 200 pages hold the records; each poll also reads its 15-minute look-back again and a partial page.
			expect(numberRequests.length - counts).toBeLessThan(280);
			// Each catch-up part's count is asked first (issue #33): one request for one record, one or two a poll.
			expect(counts).toBeLessThanOrEqual(2 * polls);
			expect(polls).toBeLessThanOrEqual(22);
		}, 120_000);
	});

	describe('records that cannot be read', () => {
		test('an unconvertible record among good ones is emitted once with recordError, and the records after it flow', async () => {
			const trigger = defaultNumberTrigger();
			await trigger.poll();
			const first = sandbox.addRecords('numberRecords', 30, T0, T0 + 3 * MIN);
			const bad = first[10];
			bad.wire = { ...bad.wire, callDuration: '12.5' };
			const emitted: Array<Record<string, unknown>> = [];
			for (let poll = 1; poll <= 3; poll++) {
				now = T0 + (4 + poll) * MIN;
				if (poll === 2) first.push(...sandbox.addRecords('numberRecords', 10, T0 + 4 * MIN, T0 + 5 * MIN));
				const { items, error } = await trigger.poll();
				expect(error).toBeUndefined();
				emitted.push(...items);
			}
			expect(sorted(ids(emitted))).toEqual(sorted(first.map((r) => r.id)));
			const marked = emitted.filter((i) => i.recordError !== undefined);
			expect(ids(marked)).toEqual([bad.id]);
			expect(marked[0].recordError).toContain('"callDuration" expected a whole number');
			expect(marked[0].callDuration).toBe('12.5');
			// The rest of the bad record is converted as usual.
			expect(typeof marked[0].pay).toBe('number');
			expect(marked[0].startTime).toMatch(/\+02:00$/);
		}, 30_000);

		test('a recording that is gone for good (HTTP 404) is emitted on the first poll with recordingError', async () => {
			const trigger = callCenterTrigger({ downloadRecordings: true });
			await trigger.poll();
			const records = sandbox.addRecords('callCenterRecords', 40, T0, T0 + 3 * MIN);
			const recorded = records.filter((r) => r.wire.voiceUrl !== '');
			expect(recorded.length).toBeGreaterThan(3);
			const gone = recorded[1];
			sandbox.recordings.inject({ kind: 'notFound', path: String(gone.wire.voiceUrl), times: 100 });

			now = T0 + 5 * MIN;
			const { items, error } = await trigger.poll();
			expect(error).toBeUndefined();
			expect(sorted(idsOf(items, 'keyId'))).toEqual(sorted(records.map((r) => r.id)));
			const failed = items.filter((i) => i.recordingError !== undefined);
			expect(idsOf(failed, 'keyId')).toEqual([gone.id]);
			expect(failed[0].recordingError).toContain('HTTP 404');
			now = T0 + 7 * MIN;
			expect((await trigger.poll()).items).toEqual([]);
			// The recordings came from the API's own origin.
			expect(sandbox.recordings.requests.every((r) => r.host === 'api')).toBe(true);
		}, 30_000);

		test('a recording that keeps failing transiently holds its record back, then emits it with recordingError after three polls and ten minutes', async () => {
			const trigger = callCenterTrigger({ downloadRecordings: true, lookBackMinutes: 30 });
			await trigger.poll();
			const records = sandbox.addRecords('callCenterRecords', 20, T0, T0 + 3 * MIN);
			const recorded = records.filter((r) => r.wire.voiceUrl !== '' && (r.wire.voiceUrlList as string[]).length === 1);
			const flaky = recorded[0];
			const healed = recorded[1];
			sandbox.recordings.inject({ kind: 'http', httpStatus: 503, path: String(flaky.wire.voiceUrl), times: 1_000 });
			// Fails through the first poll's retries, then answers.
			sandbox.recordings.inject({ kind: 'http', httpStatus: 503, path: String(healed.wire.voiceUrl), times: 6 });

			const emittedAt: Record<string, number> = {};
			const byId: Record<string, Record<string, unknown>> = {};
			const binaries: Record<string, unknown> = {};
			for (const [poll, minute] of [5, 10, 15, 20].entries()) {
				now = T0 + minute * MIN;
				const { items, error, binaries: files } = await trigger.poll();
				expect(error).toBeUndefined();
				items.forEach((item, i) => {
					const id = String(item.keyId);
					expect(emittedAt[id]).toBeUndefined();
					emittedAt[id] = poll + 1;
					byId[id] = item;
					binaries[id] = files[i]?.recording;
				});
			}
			expect(sorted(Object.keys(emittedAt))).toEqual(sorted(records.map((r) => r.id)));
			expect(emittedAt[healed.id]).toBe(2);
			const path = String(healed.wire.voiceUrl);
			expect(sha256(Buffer.from((binaries[healed.id] as { data: string }).data, 'base64'))).toBe(sha256(recordingBytes(path, sandbox.recordings.size)));
			// Failed on polls 1 (minute 5), 2 and 3 (minute 15: ten minutes on): emitted then, without the file.
			expect(emittedAt[flaky.id]).toBe(3);
			expect(byId[flaky.id].recordingError).toContain('HTTP 503');
			expect(binaries[flaky.id]).toBeUndefined();
		}, 120_000);
	});

	describe('the voice horizon', () => {
		test('a voice trigger whose state is 63 days old reads from the earliest second the API serves, and says what it could not read', async () => {
			const trigger = new PollHarness({ source: 'voiceRecords', options: {} }, platformCredentials(sandbox));
			const old = T0 - 63 * DAY;
			trigger.staticData = { 'node:Call Records Trigger': { state: { source: 'voiceRecords', cursorMs: old, floorMs: old, seen: {} } } };
			sandbox.addRecords('voiceRecords', 30, old, T0 - 62 * DAY);
			const readable = sandbox.addRecords('voiceRecords', 40, T0 - 60 * DAY, T0 - 10 * MIN);
			const emitted: string[] = [];
			for (let poll = 0; poll < 30; poll++) {
				now = T0 + poll * MIN;
				const { items, error } = await trigger.poll();
				expect(error).toBeUndefined();
				emitted.push(...idsOf(items, 'voiceId'));
			}
			expect(sorted(emitted)).toEqual(sorted(readable.map((r) => r.id)));
			expect(sandbox.requests.every((r) => r.answer === 'status 0')).toBe(true);
			expect(warnings.some((w) => /can no longer be read \(older than the two months voice records are kept\)/.test(w))).toBe(true);
		}, 60_000);
	});
});

/** Issue #33: settings changed between polls, a selective catch-up, n8n's poll budget. */
describe('Call Records Trigger under changes and load (issue #33)', () => {
	const setOptions = (trigger: PollHarness, options: Options) => {
		trigger.node.parameters = { ...trigger.node.parameters, options };
	};
	/** Polls every `stepMs` from `fromMs` to `untilMs`; returns the emitted ids, failing on any error. */
	const pollEvery = async (trigger: PollHarness, fromMs: number, untilMs: number, stepMs: number, field = 'callid') => {
		const emitted: string[] = [];
		for (now = fromMs; now <= untilMs; now += stepMs) {
			const { items, error } = await trigger.poll();
			expect(error).toBeUndefined();
			emitted.push(...idsOf(items, field));
		}
		return emitted;
	};
	const duplicates = (list: string[]) => list.filter((id, i) => list.indexOf(id) !== i);

	describe('settings changed between polls', () => {
		test('Long-Call Look-Back raised from 6 to 12 hours after 20 hours of polling: no record is emitted twice, and the wider reach covers late records again once it has grown back', async () => {
			// A call a minute, on time, for 30 hours.
			const records = sandbox.addRecords('numberRecords', 1_800, T0, T0 + 30 * HOUR);
			const trigger = defaultNumberTrigger({ backfillFrom: new Date(T0).toISOString() });
			const emitted = await pollEvery(trigger, T0, T0 + 20 * HOUR, 5 * MIN);
			setOptions(trigger, { backfillFrom: new Date(T0).toISOString(), longCallHours: 12 });
			emitted.push(...(await pollEvery(trigger, now, T0 + 34 * HOUR, 5 * MIN)));
			expect(duplicates(emitted)).toEqual([]);
			expect(sorted(emitted)).toEqual(sorted(records.map((r) => r.id)));
			// Fourteen hours after the change the sweeps reach 12 hours back again: a call filed 10 hours after its start is emitted, once.
			const late = fileLate('numberRecords', T0 + 24 * HOUR, T0 + 34 * HOUR);
			const after = await pollEvery(trigger, now, T0 + 35 * HOUR, 5 * MIN);
			expect(after).toEqual([late.id]);
		}, 120_000);

		test('Look-Back raised from 10 minutes to 2 hours (no sweeps), then lowered to 5 minutes: no record twice, none lost that the look-back in force covers', async () => {
			const records = sandbox.addRecords('numberRecords', 600, T0, T0 + 10 * HOUR);
			const trigger = defaultNumberTrigger({ backfillFrom: new Date(T0).toISOString(), lookBackMinutes: 10, longCallHours: 0 });
			const emitted = await pollEvery(trigger, T0, T0 + 4 * HOUR, 5 * MIN);
			setOptions(trigger, { backfillFrom: new Date(T0).toISOString(), lookBackMinutes: 120, longCallHours: 0 });
			emitted.push(...(await pollEvery(trigger, now, T0 + 7 * HOUR, 5 * MIN)));
			// Filed 90 minutes late, once the two hours are remembered again: the look-back catches it.
			const late = fileLate('numberRecords', T0 + 7 * HOUR, T0 + 8.5 * HOUR);
			emitted.push(...(await pollEvery(trigger, now, T0 + 9 * HOUR, 5 * MIN)));
			setOptions(trigger, { backfillFrom: new Date(T0).toISOString(), lookBackMinutes: 5, longCallHours: 0 });
			emitted.push(...(await pollEvery(trigger, now, T0 + 11 * HOUR, 5 * MIN)));
			expect(duplicates(emitted)).toEqual([]);
			expect(sorted(emitted)).toEqual(sorted([...records.map((r) => r.id), late.id]));
		}, 120_000);

		test('an emit filter loosened: records it passed over are not emitted later; records read after the change are, each once', async () => {
			const trigger = numberTrigger({ onlySipCodes: '486' });
			await trigger.poll();
			const before = sandbox.addRecords('numberRecords', 300, T0, T0 + 3 * MIN);
			now = T0 + 5 * MIN;
			const first = ids((await trigger.poll()).items);
			const busy = before.filter((r) => String(r.wire.sipCode) === '486').map((r) => r.id);
			expect(busy.length).toBeGreaterThan(0);
			expect(sorted(first)).toEqual(sorted(busy));

			setOptions(trigger, { ...OPTIONS, onlySipCodes: '' });
			const after = sandbox.addRecords('numberRecords', 50, T0 + 4 * MIN, T0 + 6 * MIN);
			const emitted: string[] = [];
			for (let minute = 8; minute <= 30; minute++) {
				now = T0 + minute * MIN;
				emitted.push(...ids((await trigger.poll()).items));
			}
			expect(sorted(emitted)).toEqual(sorted(after.map((r) => r.id)));
		}, 60_000);
	});

	describe("n8n's poll budget (getPollBudgetMs, n8n 2.41)", () => {
		afterEach(() => {
			sandbox.latencyMs = 0;
		});
		/** Polls once a minute until `done`, timing each poll on the real clock. */
		const pollTimed = async (trigger: PollHarness, polls: number, field: string) => {
			const emitted: string[] = [];
			const tookMs: number[] = [];
			for (let poll = 1; poll <= polls; poll++) {
				now = T0 + poll * MIN;
				const started = performance.now();
				const { items, error } = await trigger.poll();
				tookMs.push(performance.now() - started);
				expect(error).toBeUndefined();
				emitted.push(...idsOf(items, field));
			}
			return { emitted, tookMs };
		};

		test('a catch-up under a 2-second budget, every answer 500 ms late: each poll stops reading in time and keeps what it read; the next polls go on, every record once', async () => {
			const records = sandbox.addRecords('numberRecords', 1_500, T0 - 12 * HOUR, T0 - 5 * MIN);
			const trigger = defaultNumberTrigger({ backfillFrom: new Date(T0 - 12 * HOUR).toISOString(), longCallHours: 0 });
			trigger.budgetMs = 2_000;
			sandbox.latencyMs = 500;
			const { emitted, tookMs } = await pollTimed(trigger, 16, 'callid');
			expect(duplicates(emitted)).toEqual([]);
			expect(sorted(emitted)).toEqual(sorted(records.map((r) => r.id)));
			// Half the budget for reading, then the read in flight finishes (a count and a page round, 1 s), with slack for a loaded machine: 5.2 s before.
			expect(Math.max(...tookMs)).toBeLessThan(3_000);
			expect(tookMs.filter((ms) => ms > 500).length).toBeGreaterThan(5);
		}, 120_000);

		test('Download Recordings under a 3-second budget, every answer 500 ms late: the downloads stop in time, the records left wait for the next poll, every record once with its file', async () => {
			const trigger = numberTrigger({ downloadRecordings: true });
			await trigger.poll();
			const records = sandbox.addRecords('numberRecords', 200, T0, T0 + 3 * MIN);
			const recorded = records.filter((r) => r.wire.recordingFileUrl !== '');
			expect(recorded.length).toBeGreaterThan(30);
			trigger.budgetMs = 3_000;
			sandbox.latencyMs = 500;
			const emitted: string[] = [];
			const tookMs: number[] = [];
			let withFile = 0;
			for (let minute = 5; minute <= 14; minute++) {
				now = T0 + minute * MIN;
				const started = performance.now();
				const { items, binaries, error } = await trigger.poll();
				tookMs.push(performance.now() - started);
				expect(error).toBeUndefined();
				emitted.push(...ids(items));
				withFile += binaries.filter((b) => b?.recording !== undefined).length;
				expect(items.every((item) => item.recordingError === undefined)).toBe(true);
			}
			expect(duplicates(emitted)).toEqual([]);
			expect(sorted(emitted)).toEqual(sorted(records.map((r) => r.id)));
			expect(withFile).toBe(recorded.length);
			// 80 % of the budget, then the batch in flight (8 downloads, two rounds of 500 ms), with slack for a loaded machine: 7.0 s before.
			expect(Math.max(...tookMs)).toBeLessThan(4_500);
			expect(tookMs.filter((ms) => ms > 1_000).length).toBeGreaterThan(1);
		}, 120_000);
		test('a sweep of 24 hours over 12,000 calls under a 3-second budget, every answer 400 ms late: each poll stays within it, the sweep goes on over the next polls from where it stopped, and late records anywhere in it are emitted once', async () => {
			const history = sandbox.addRecords('numberRecords', 12_000, T0 - 24 * HOUR, T0 - 5 * MIN);
			const options = { backfillFrom: new Date(T0 - 24 * HOUR).toISOString(), longCallHours: 24 };
			const trigger = defaultNumberTrigger(options);
			// Caught up first, with no budget and answers at once.
			const emitted = await pollEvery(trigger, T0, T0 + 3 * HOUR, 5 * MIN);
			expect(sorted(emitted)).toEqual(sorted(history.map((r) => r.id)));

			// Then slices of at most 1,500 records (150 emitted a poll): 15 pages and a count or two, about 1.6 s.
			setOptions(trigger, { ...options, maxPerPoll: 150 });
			trigger.budgetMs = 3_000;
			sandbox.latencyMs = 400;
			const late = [3, 7, 11, 15, 19, 22.5].map((hours) => fileLate('numberRecords', now - hours * HOUR, now));
			const fresh = sandbox.addRecords('numberRecords', 30, now - 3 * MIN, now + 20 * MIN);
			const infos: string[] = [];
			const info = jest.spyOn(Container.get(Logger), 'info').mockImplementation((message: string) => {
				infos.push(message);
			});
			const after: string[] = [];
			const tookMs: number[] = [];
			try {
				// Until all are in (about a dozen polls on a quiet machine), and two polls more.
				const expected = new Set([...late, ...fresh].map((r) => r.id));
				for (let polls = 0, extra = 0; polls < 40 && extra < 2; polls++, now += 10 * MIN) {
					if ([...expected].every((id) => after.includes(id))) extra++;
					const started = performance.now();
					const { items, error } = await trigger.poll();
					tookMs.push(performance.now() - started);
					expect(error).toBeUndefined();
					after.push(...ids(items));
				}
			} finally {
				info.mockRestore();
			}
			expect(duplicates([...emitted, ...after])).toEqual([]);
			expect(sorted(after)).toEqual(sorted([...late, ...fresh].map((r) => r.id)));
			// The sweep was cut on several polls and went on from where it stopped; read whole it takes 9 round trips, 3.6 s, past the budget.
			expect(infos.filter((m) => m.includes("the sweep (Long-Call Look-Back) took this poll's share of n8n's poll budget and reached")).length).toBeGreaterThan(3);
			expect(Math.max(...tookMs)).toBeLessThan(3_000);
		}, 120_000);
	});

	describe('durable poll cursors (n8n 2.41): a poll handed the cursor committed before the last poll', () => {
		// Under N8N_POLLER_DURABLE_CURSORS_ENABLED each poll task reads the cursor committed when it
		// started, and a poll's cursor is committed with its execution only after the poll returned.
		// A task that starts in between (a restarted main runs the killed poll's task once its lease
		// expires, and the ticks it missed, at once) is handed the older cursor.
		test('emits nothing and touches nothing while the last poll commits; the next poll goes on from the committed state, every record once', async () => {
			const trigger = numberTrigger();
			await trigger.poll();
			const records = sandbox.addRecords('numberRecords', 8, T0, T0 + 3 * MIN);
			const before = JSON.parse(JSON.stringify(trigger.staticData));
			now = T0 + 5 * MIN;
			const first = await trigger.poll();
			expect(sorted(ids(first.items))).toEqual(sorted(records.map((r) => r.id)));
			const committed = trigger.staticData;

			trigger.staticData = JSON.parse(JSON.stringify(before));
			now += 2_000;
			const second = await trigger.poll();
			expect(second.error).toBeUndefined();
			expect(second.items).toEqual([]);
			expect(trigger.staticData).toEqual(before);

			// The first poll's commit has landed.
			trigger.staticData = committed;
			const more = sandbox.addRecords('numberRecords', 4, T0 + 4 * MIN, T0 + 5 * MIN);
			now = T0 + 7 * MIN;
			expect(sorted(ids((await trigger.poll()).items))).toEqual(sorted(more.map((r) => r.id)));
		}, 30_000);

		test('a commit n8n refused (the poll had lost its lease, so it started no execution): a minute on, the committed state is read from again', async () => {
			const trigger = numberTrigger();
			await trigger.poll();
			const records = sandbox.addRecords('numberRecords', 8, T0, T0 + 3 * MIN);
			const before = JSON.parse(JSON.stringify(trigger.staticData));
			now = T0 + 5 * MIN;
			await trigger.poll();
			trigger.staticData = JSON.parse(JSON.stringify(before));
			now = T0 + 5 * MIN + 30_000;
			expect((await trigger.poll()).items).toEqual([]);
			now = T0 + 6 * MIN + 1_000;
			expect(sorted(ids((await trigger.poll()).items))).toEqual(sorted(records.map((r) => r.id)));
		}, 30_000);

		test('a Source changed between two polls 20 s apart: the new source is polled at once, not taken for a stale state', async () => {
			const trigger = numberTrigger({ settleSeconds: 0 });
			await trigger.poll();
			sandbox.addRecords('numberRecords', 3, T0, T0 + MIN);
			now = T0 + 2 * MIN;
			await trigger.poll();
			trigger.node.parameters = { ...trigger.node.parameters, source: 'callCenterRecords' };
			now += 20_000;
			// A first activation of the new source: it starts from now.
			expect((await trigger.poll()).error).toBeUndefined();
			const calls = sandbox.addRecords('callCenterRecords', 5, now + 1_000, now + 10_000);
			now += 20_000;
			const next = await trigger.poll();
			expect(next.error).toBeUndefined();
			expect(sorted(idsOf(next.items, 'keyId'))).toEqual(sorted(calls.map((r) => r.id)));
		}, 30_000);
	});

	describe('a selective catch-up', () => {
		test('Backfill From 7 days back over 150,000 calls, Only SIP Codes matching 0.1 %: bounded polls, the cursor moves through the rejected records, every match once', async () => {
			const backfillMs = T0 - 7 * DAY;
			// The account took 150,000 calls in the 32 hours from 32 hours after the backfill start (110,000 a day); one in a thousand ended 486.
			const records = sandbox.addRecords('numberRecords', 150_000, backfillMs + 32 * HOUR + 1000, backfillMs + 64 * HOUR);
			records.forEach((r, i) => (r.wire.sipCode = i % 1000 === 0 ? '486' : '200'));
			const trigger = defaultNumberTrigger({ backfillFrom: new Date(backfillMs).toISOString(), onlySipCodes: '486', longCallHours: 0 });
			const emitted: string[] = [];
			const recordsRead: number[] = [];
			for (let poll = 0; poll < 40; poll++) {
				now = T0 + poll * MIN;
				const requestsBefore = sandbox.requests.length;
				const { items, error } = await trigger.poll();
				expect(error).toBeUndefined();
				emitted.push(...ids(items));
				// Records read: full pages of 100 (a count asks for one record).
				recordsRead.push(sandbox.requests.slice(requestsBefore).reduce((sum, r) => sum + Math.min(Number(r.body?.size ?? 0), 100), 0));
				if ((trigger.state?.cursorMs as number) >= T0 - 2 * MIN) break;
			}
			expect(duplicates(emitted)).toEqual([]);
			expect(sorted(emitted)).toEqual(sorted(records.filter((r) => r.wire.sipCode === '486').map((r) => r.id)));
			// Each poll reads at most 10 × Max Records per Poll records, plus its look-back (about 1,200 records here) and the pages' rounding.
			expect(Math.max(...recordsRead)).toBeLessThanOrEqual(10_000 + 1_200 + 500);
			expect(trigger.state?.cursorMs).toBeGreaterThanOrEqual(T0 - 2 * MIN);
		}, 300_000);

		test('a catch-up part longer than one API window (call center: 93 days) is counted whole: a busy day in its older window still bounds the poll', async () => {
			// Backfill From 300 days back; the parts double through empty months until one runs from about day 171 to now (129 days, two API
			// windows). 3,000 calls fall on day 180, in the older window of that part, and 5 on day 290, in its newer one.
			const backfillMs = T0 - 300 * DAY;
			const records = [
				...sandbox.addRecords('callCenterRecords', 3_000, backfillMs + 180 * DAY, backfillMs + 181 * DAY),
				...sandbox.addRecords('callCenterRecords', 5, backfillMs + 290 * DAY, backfillMs + 291 * DAY),
			];
			const trigger = callCenterTrigger({ backfillFrom: new Date(backfillMs).toISOString(), maxPerPoll: 100, longCallHours: 0 });
			const emitted: string[] = [];
			const recordsRead: number[] = [];
			for (let poll = 0; poll < 60 && emitted.length < records.length; poll++) {
				now = T0 + poll * MIN;
				const requestsBefore = sandbox.requests.length;
				const { items, error } = await trigger.poll();
				expect(error).toBeUndefined();
				emitted.push(...idsOf(items, 'keyId'));
				recordsRead.push(sandbox.requests.slice(requestsBefore).reduce((sum, r) => sum + (r.body?.size === 1 ? 0 : (r.rows ?? 0)), 0));
			}
			expect(duplicates(emitted)).toEqual([]);
			expect(sorted(emitted)).toEqual(sorted(records.map((r) => String(r.wire.keyId))));
			// Records read a poll (counts aside): at most 10 × Max Records per Poll; counted by its newer window only, the part was read whole (3,000).
			expect(Math.max(...recordsRead)).toBeLessThanOrEqual(1_000);
		}, 120_000);
	});
});
