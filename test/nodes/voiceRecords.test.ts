/**
 * Voice Records through the real n8n engine against the API sandbox over HTTP. The data set is
 * anchored on today, since the API only serves the last two months.
 */
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { VOICE_MAX_WINDOW_DAYS } from '../sandbox/endpoints/voiceRecords';
import { earliestVoiceStartMs, feedbackLabel } from '../../nodes/VoiceRecords/listing';
import { SIP_REASON_PHRASES } from '../../nodes/shared/sipCodes';
import { ZoneClock } from '../../nodes/transport/time';
import { DAY_MS } from '../../nodes/transport/windows';

const WORKFLOW_TZ = 'Asia/Kolkata';
const out = new ZoneClock(WORKFLOW_TZ);
const HOUR = 3_600_000;
let sandbox: Sandbox;
let windowStart: number;
let windowEnd: number;

beforeAll(async () => {
	const earliest = earliestVoiceStartMs(Date.now());
	windowStart = Math.ceil((earliest + HOUR) / 1000) * 1000;
	windowEnd = windowStart + 60 * DAY_MS; // reaches a little into the future in short months: allowed
	sandbox = await startSandbox({
		seed: 5,
		timeZone: ACCOUNT_TIME_ZONE,
		voiceRecords: { count: 2_300, from: new Date(windowStart - DAY_MS).toISOString(), to: new Date(windowEnd + DAY_MS).toISOString() },
	});
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

const iso = (ms: number) => new Date(ms).toISOString();

function run(parameters: Record<string, unknown> = {}, extra: Partial<NodeRunOptions> = {}) {
	return runNode({
		type: 'voiceRecords',
		parameters: { operation: 'getMany', startTime: iso(windowStart), endTime: iso(windowEnd), returnAll: true, ...parameters } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox),
		timezone: WORKFLOW_TZ,
		...extra,
	});
}
const voiceIds = (result: Awaited<ReturnType<typeof run>>) => result.items.map((item) => item.json.voiceId);
const expected = (from = windowStart, to = windowEnd) => sandbox.recordsIn('voiceRecords', from, to).map((r) => r.id);

describe('Voice Records', () => {
	test('a 60-day window is read as 31-day windows and returns the exact set', async () => {
		const result = await run();
		expect(result.error).toBeUndefined();
		const want = expected();
		expect(want.length).toBeGreaterThan(2_000);
		const got = voiceIds(result);
		expect(new Set(got).size).toBe(got.length);
		expect(got).toEqual(want);
		const spans = sandbox.requests.map((r) => Date.parse(r.body!.params.endTime) - Date.parse(r.body!.params.strTime));
		expect(Math.max(...spans)).toBeLessThanOrEqual(VOICE_MAX_WINDOW_DAYS * DAY_MS);
		expect(new Set(sandbox.requests.map((r) => r.body!.params.strTime)).size).toBe(2);
		expect(sandbox.requests[0].body!.params.strTime).toMatch(/\+05:30$/);
		expect(sandbox.requests.every((r) => r.answer === 'status 0')).toBe(true);
	});

	test('a start older than two months fails before any request, naming the earliest start', async () => {
		const result = await run({ startTime: iso(Date.now() - 70 * DAY_MS) });
		expect(result.error?.message).toBe('Start Time is older than the two months voice records are kept');
		const earliest = result.error?.description?.match(/is (\S+)\./)?.[1];
		expect(Math.abs(Date.parse(earliest!) - earliestVoiceStartMs(Date.now()))).toBeLessThan(60_000);
		expect(result.error?.description).toMatch(/Options → Move an Older Start Into the Last Two Months/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('a window wholly older than two months fails before any request', async () => {
		const result = await run({ startTime: iso(Date.now() - 90 * DAY_MS), endTime: iso(Date.now() - 80 * DAY_MS) });
		expect(result.error?.message).toBe('The whole time window is older than the two months voice records are kept');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('with Clamp, an old start is moved to the earliest one and the output pane says so', async () => {
		const result = await run({ startTime: iso(Date.now() - 70 * DAY_MS), options: { clampToAvailableRange: true } });
		expect(result.error).toBeUndefined();
		const earliestSent = Math.min(...sandbox.requests.map((r) => Date.parse(r.body!.params.strTime)));
		expect(Math.abs(earliestSent - earliestVoiceStartMs(Date.now()))).toBeLessThan(60_000);
		expect(sandbox.requests.every((r) => r.answer === 'status 0')).toBe(true);
		expect(voiceIds(result)).toEqual(expected(Math.ceil(earliestSent / 1000) * 1000));
		const hints = result.run.data.resultData.runData['Node Under Test'][0].hints;
		expect(hints?.[0].message).toMatch(/^Start Time was moved to .*two months only\.$/);
	});

	test('Limit returns the newest records and reads only the newest window', async () => {
		const result = await run({ returnAll: false, limit: 40 });
		expect(voiceIds(result)).toEqual(expected().slice(0, 40));
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0].body).toMatchObject({ current: 1, size: 40 });
	});

	test('billing fields are numbers, times ISO 8601 in the workflow zone, SIP codes and keys labelled', async () => {
		const result = await run({ returnAll: false, limit: 100 });
		const stored = sandbox.recordsIn('voiceRecords', windowStart, windowEnd).slice(0, 100);
		result.items.forEach(({ json }, i) => {
			const wire = stored[i].wire as Record<string, string>;
			for (const field of ['cost', 'rate', 'baseCost', 'settleRate', 'quoteExchange', 'settlePay']) {
				expect(json[field]).toBe(wire[field] === '' ? null : Number(wire[field]));
			}
			expect(json.callTime).toBe(out.toIso(Date.parse(wire.callTime)));
			expect(json.answerTime).toBe(wire.answerTime === '' ? null : out.toIso(Date.parse(wire.answerTime)));
			expect(json.terminationCode).toBe(wire.terminationCode);
			expect(json.terminationLabel).toBe(SIP_REASON_PHRASES[wire.terminationCode]);
			expect(json.feedbackValue).toBe(wire.feedbackValue);
			expect(json.feedbackLabel).toBe(feedbackLabel(wire.feedbackValue));
		});
		expect(result.items.some((i) => i.json.feedbackLabel === 'no key pressed')).toBe(true);
		expect(result.items.some((i) => i.json.terminationLabel === 'OK (answered)')).toBe(true);
	});

	test('Raw Output returns the records exactly as sent', async () => {
		const result = await run({ returnAll: false, limit: 25, options: { rawOutput: true } });
		expect(result.items.map((i) => i.json)).toEqual(sandbox.recordsIn('voiceRecords', windowStart, windowEnd).slice(0, 25).map((r) => r.wire));
	});

	test('the provider\'s own -25 (out of range) is reported with its message', async () => {
		sandbox.inject({ kind: 'status', status: '-25', reason: 'Out of time range' });
		const result = await run();
		expect(result.error?.message).toBe('The time window is out of the range the provider serves (status -25)');
	});
});
