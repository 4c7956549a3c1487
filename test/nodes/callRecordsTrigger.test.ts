/**
 * Call Records Trigger polled through n8n-core's PollContext against the sandbox over HTTP.
 * Time is simulated by moving Date.now for the trigger, the credential's signature and the
 * sandbox alike, so that hours of polling run in seconds.
 */
import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
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
	new PollHarness({ source: 'numberRecords', options: { ...OPTIONS, ...options } }, platformCredentials(sandbox), 'Europe/Paris');
const ids = (items: Array<Record<string, unknown>>) => items.map((i) => String(i.callid));

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

	test('with Download Recordings each recording is emitted once, with its record; a failed download emits nothing and the next poll retries', async () => {
		const trigger = numberTrigger({ downloadRecordings: true });
		await trigger.poll();
		const fresh = sandbox.addRecords('numberRecords', 60, T0, T0 + 4 * MIN);
		const recorded = fresh.filter((r) => r.wire.recordingFileUrl !== '');
		expect(recorded.length).toBeGreaterThan(5);
		const pathOf = (url: unknown) => String(url).replace(/^https:\/\/files\.example\.invalid/, '');
		const firstPath = pathOf(recorded[0].wire.recordingFileUrl);
		sandbox.recordings.inject({ kind: 'notFound', path: firstPath });

		now = T0 + 6 * MIN;
		const stateBefore = JSON.stringify(trigger.state);
		const failed = await trigger.poll();
		expect(failed.error?.message).toContain('HTTP 404');
		expect(failed.items).toEqual([]);
		expect(JSON.stringify(trigger.state)).toBe(stateBefore);
		// The failed poll's other downloads (those in flight when it failed) are thrown away with it.
		sandbox.recordings.requests.length = 0;

		now = T0 + 7 * MIN;
		const polled = await trigger.poll();
		expect(polled.error).toBeUndefined();
		expect(ids(polled.items).sort()).toEqual(fresh.map((r) => r.id).sort());
		polled.items.forEach((item, i) => {
			const binary = polled.binaries[i]?.recording;
			if (item.recordingFileUrl === '') return expect(binary).toBeUndefined();
			const path = new URL(String(item.recordingFileUrl)).pathname;
			expect(sha256(Buffer.from(binary!.data, 'base64'))).toBe(sha256(recordingBytes(path.slice(1), sandbox.recordings.size)));
			expect(binary!.mimeType).toBe('audio/wav');
		});

		now = T0 + 9 * MIN;
		expect((await trigger.poll()).items).toEqual([]);
		// From the poll that emitted on, each file was fetched once.
		const fetched = sandbox.recordings.requests.map((r) => r.path);
		expect(fetched.sort()).toEqual(recorded.map((record) => pathOf(record.wire.recordingFileUrl)).sort());
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
		const trigger = numberTrigger({ maxPerPoll: 400 });
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
		// The remembered ids stay bounded by the look-back window, not by the history.
		expect(Object.keys(trigger.state!.seen as object).length).toBeLessThan(1_000);
	}, 120_000);
});
