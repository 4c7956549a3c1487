/**
 * Windows sent as wall-clock text (call center, NXCloud) across daylight-saving changes, through
 * the real n8n engine: in Europe/Berlin and in Australia/Adelaide (a 30-minute offset, and its
 * autumn in April). The sandbox compares wall times as such a server does: a window over 93 days
 * on the account's clocks is -76, a start after the end is -22, and in a repeated autumn hour a
 * wall time means both instants that show it.
 */
import { platformCredentials } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Sandbox } from '../sandbox/server';
import { CALL_CENTER_MAX_WINDOW_DAYS, startSandbox } from '../sandbox/server';
import { ZoneClock } from '../../nodes/transport/time';
import { DAY_MS } from '../../nodes/transport/windows';

const MIN = 60_000;
const YEAR = { startTime: '2024-01-01T00:00:00+00:00', endTime: '2024-12-31T00:00:00+00:00' };

/** Each zone, and the instant its clocks go back in 2024 (the repeated hour follows it). */
const ZONES: Array<[string, number]> = [
	['Europe/Berlin', Date.parse('2024-10-27T01:00:00Z')],
	['Australia/Adelaide', Date.parse('2024-04-06T16:30:00Z')],
];

const sandboxes = new Map<string, Sandbox>();
beforeAll(async () => {
	for (const [zone] of ZONES) {
		sandboxes.set(
			zone,
			await startSandbox({
				seed: 21,
				timeZone: zone,
				callCenterRecords: { count: 1_500, from: '2024-01-01T00:00:00Z', to: '2024-12-31T00:00:00Z' },
				flashCalls: { count: 50, from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' },
			}),
		);
	}
});
afterAll(async () => {
	for (const sandbox of sandboxes.values()) await sandbox.stop();
});
beforeEach(() => {
	for (const sandbox of sandboxes.values()) sandbox.reset();
});

function callCenter(sandbox: Sandbox, zone: string, window: { startTime: string; endTime: string }, parameters: Record<string, unknown> = {}) {
	return runNode({
		type: 'callCenterRecords',
		parameters: { operation: 'getMany', ...window, returnAll: true, ...parameters } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox, { timeZone: zone }),
	});
}

function flashCalls(sandbox: Sandbox, zone: string, window: { startTime: string; endTime: string }, parameters: Record<string, unknown> = {}) {
	return runNode({
		type: 'flashCallCdrs',
		parameters: { operation: 'getMany', ...window, returnAll: true, ...parameters } as NodeRunOptions['parameters'],
		credentials: { nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: zone } },
	});
}

const iso = (ms: number) => new Date(ms).toISOString();
/** A wall-clock text as ms since 1970 on those clocks: what a server comparing wall times compares. */
const wallOf = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

describe.each(ZONES)('%s', (zone, fallBackMs) => {
	const clock = new ZoneClock(zone);

	test('a year of call-center records across both changes: every part within 93 days on the account clocks, the exact set', async () => {
		const sandbox = sandboxes.get(zone)!;
		const result = await callCenter(sandbox, zone, YEAR);
		expect(result.error).toBeUndefined();
		const want = sandbox.recordsIn('callCenterRecords', Date.parse(YEAR.startTime), Date.parse(YEAR.endTime)).map((r) => r.id);
		expect(want.length).toBeGreaterThan(1_000);
		expect(result.items.map((item) => String(item.json.keyId))).toEqual(want);
		const sent = sandbox.requests.map((r) => [r.body!.params.startTime as string, r.body!.params.endTime as string]);
		for (const [start, end] of sent) {
			expect(wallOf(end) - wallOf(start)).toBeLessThanOrEqual(CALL_CENTER_MAX_WINDOW_DAYS * DAY_MS);
			expect(wallOf(end)).toBeGreaterThanOrEqual(wallOf(start));
		}
		expect(new Set(sent.map(([start]) => start)).size).toBe(4);
	});

	test('a Limit over the year reads the newest part first, within the limit too', async () => {
		const sandbox = sandboxes.get(zone)!;
		const result = await callCenter(sandbox, zone, YEAR, { returnAll: false, limit: 450 });
		expect(result.error).toBeUndefined();
		const want = sandbox.recordsIn('callCenterRecords', Date.parse(YEAR.startTime), Date.parse(YEAR.endTime)).map((r) => r.id);
		expect(result.items.map((item) => String(item.json.keyId))).toEqual(want.slice(0, 450));
	});

	/** A 40-minute window that starts before the clocks go back and ends after: its end shows an earlier wall time than its start. */
	const overlap = { startTime: iso(fallBackMs - 30 * MIN), endTime: iso(fallBackMs + 10 * MIN) };
	const repeatedHour = (text: string) => {
		const wall = wallOf(text);
		return wall >= wallOf(clock.toPlain(fallBackMs)) && wall < wallOf(clock.toPlain(fallBackMs - 1000)) + 1000;
	};

	test('call center: a window across the autumn change is never sent with its start after its end, and misses no record', async () => {
		const sandbox = sandboxes.get(zone)!;
		const added = sandbox.addRecords('callCenterRecords', 40, fallBackMs - 90 * MIN, fallBackMs + 90 * MIN);
		const result = await callCenter(sandbox, zone, overlap);
		expect(result.error).toBeUndefined();
		const got = new Set(result.items.map((item) => String(item.json.keyId)));
		const inside = added.filter((r) => r.startMs >= Date.parse(overlap.startTime) && r.startMs <= Date.parse(overlap.endTime));
		expect(inside.length).toBeGreaterThan(3);
		for (const record of inside) expect(got.has(record.id)).toBe(true);
		// What else comes back shows a time of the repeated hour: the API's times cannot tell its two halves apart.
		for (const item of result.items.filter((i) => !inside.some((r) => r.id === String(i.json.keyId)))) {
			expect(repeatedHour(clock.toPlain(Date.parse(String(item.json.callStartTime))))).toBe(true);
		}
		const [{ startTime, endTime }] = sandbox.requests.map((r) => r.body!.params);
		expect(wallOf(endTime)).toBeGreaterThanOrEqual(wallOf(startTime));
	});

	test('flash calls: the same window misses no record', async () => {
		const sandbox = sandboxes.get(zone)!;
		const added = sandbox.addRecords('flashCalls', 30, fallBackMs - 90 * MIN, fallBackMs + 90 * MIN);
		const inside = added.filter((r) => r.startMs >= Date.parse(overlap.startTime) && r.startMs <= Date.parse(overlap.endTime));
		expect(inside.length).toBeGreaterThan(3);
		for (const parameters of [{}, { returnAll: false, limit: 100 }]) {
			const result = await flashCalls(sandbox, zone, overlap, parameters);
			expect(result.error).toBeUndefined();
			const got = new Set(result.items.map((item) => String(item.json.id)));
			for (const record of inside) expect(got.has(record.id)).toBe(true);
		}
		for (const request of sandbox.requests) expect(String(request.query?.end ?? '') >= String(request.query?.start ?? '')).toBe(true);
	});
});
