/**
 * The Call Records Trigger under production conditions (issue #25), polled through n8n-core's
 * PollContext against the sandbox over HTTP: polls that overlap, calls filed long after they
 * started, catching up on a backlog, records and recordings that cannot be read, and a voice
 * trigger left off past the two months the API keeps. Time is simulated by moving Date.now for
 * the trigger, the signature and the sandbox alike.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { PollHarness } from '../engine/poll';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { recordingBytes, sha256 } from '../sandbox/recordings';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2025-06-01T08:00:00Z');
let now = T0;
let sandbox: Sandbox;
let warnings: string[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 25, timeZone: ACCOUNT_TIME_ZONE });
	jest.spyOn(Date, 'now').mockImplementation(() => now);
	jest.spyOn(Container.get(Logger), 'warn').mockImplementation((message: string) => {
		warnings.push(message);
	});
});
afterAll(async () => {
	jest.restoreAllMocks();
	await sandbox.stop();
});
beforeEach(() => {
	sandbox.reset();
	for (const key of Object.keys(sandbox.stores) as Array<keyof Sandbox['stores']>) sandbox.stores[key] = [];
	now = T0;
	warnings = [];
});

type Options = Record<string, string | number | boolean>;
const numberTrigger = (options: Options = {}) => new PollHarness({ source: 'numberRecords', options }, platformCredentials(sandbox), 'Europe/Paris');
const callCenterTrigger = (options: Options = {}) =>
	new PollHarness({ source: 'callCenterRecords', options }, platformCredentials(sandbox, { recordingBaseUrl: sandbox.url }));
const ids = (items: Array<Record<string, unknown>>, field = 'callid') => items.map((i) => String(i[field]));
const sorted = (list: string[]) => [...list].sort();
const pageRequests = (endpoint: string) => sandbox.requests.filter((r) => r.endpoint === endpoint).length;

/** Files one record that happened at `startMs` and becomes visible only at `filedMs`. */
function fileLate(endpoint: 'numberRecords' | 'callCenterRecords', startMs: number, filedMs: number) {
	const [record] = sandbox.addRecords(endpoint, 1, startMs, startMs, 1);
	record.writtenMs = filedMs;
	return record;
}

describe('overlapping polls', () => {
	test('two polls started together, each answer 3 s late: every record is emitted once, and the next poll goes on from the saved cursor', async () => {
		const trigger = numberTrigger();
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
		const trigger = numberTrigger();
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
		// Three-quarters of the polls read the 15-minute look-back only; one in fifteen reads the 6 hours back.
		const reaches = sandbox.windows.map((w) => w.toMs - w.fromMs);
		expect(reaches.filter((ms) => ms > HOUR).length).toBeLessThanOrEqual(Math.ceil((5 * 60) / 15) + 1);
	}, 60_000);

	test('an API that selects by filing time: a record returned by several windows after its own time fell below the forgetting limit is emitted once', async () => {
		sandbox.selectBy('numberRecords', 'filed');
		// No sweeps: only the short windows' memory is under test.
		const trigger = numberTrigger({ lookBackMinutes: 10, longCallHours: 0 });
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
		const trigger = numberTrigger({ backfillFrom: new Date(T0 - 2 * DAY).toISOString(), longCallHours: 0 });
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
		const requests = pageRequests("numberRecords");
		// 200 pages hold the records; each poll also reads its 15-minute look-back again and a partial page.
		expect(requests).toBeLessThan(280);
		expect(polls).toBeLessThanOrEqual(22);
	}, 120_000);
});

describe('records that cannot be read', () => {
	test('an unconvertible record among good ones is emitted once with recordError, and the records after it flow', async () => {
		const trigger = numberTrigger();
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
		expect(sorted(ids(items, 'keyId'))).toEqual(sorted(records.map((r) => r.id)));
		const failed = items.filter((i) => i.recordingError !== undefined);
		expect(ids(failed, 'keyId')).toEqual([gone.id]);
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
			emitted.push(...ids(items, 'voiceId'));
		}
		expect(sorted(emitted)).toEqual(sorted(readable.map((r) => r.id)));
		expect(sandbox.requests.every((r) => r.answer === 'status 0')).toBe(true);
		expect(warnings.some((w) => /can no longer be read \(older than the two months voice records are kept\)/.test(w))).toBe(true);
	}, 60_000);
});
