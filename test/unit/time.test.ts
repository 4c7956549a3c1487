import fc from 'fast-check';
import { formatInTimeZone } from 'date-fns-tz';

import { ZoneClock, formatForWire, isValidTimeZone, parseUserDateTime } from '../../nodes/transport/time';

describe('time handling', () => {
	test('reads offset-less input as wall time in the workflow zone', () => {
		expect(parseUserDateTime('2024-01-01T09:00:00', 'Asia/Shanghai')).toBe(Date.parse('2024-01-01T01:00:00Z'));
		expect(parseUserDateTime('2024-01-01 09:00', 'Europe/Berlin')).toBe(Date.parse('2024-01-01T08:00:00Z'));
		expect(parseUserDateTime('2024-07-01', 'America/New_York')).toBe(Date.parse('2024-07-01T04:00:00Z'));
	});

	test('takes input with an offset or Z as an instant whatever the zone', () => {
		expect(parseUserDateTime('2024-01-01T09:00:00+08:00', 'America/New_York')).toBe(Date.parse('2024-01-01T01:00:00Z'));
		expect(parseUserDateTime('2024-01-01T09:00:00.000Z', 'Asia/Tokyo')).toBe(Date.parse('2024-01-01T09:00:00Z'));
		expect(parseUserDateTime(new Date('2024-01-01T00:00:00Z'), 'UTC')).toBe(Date.parse('2024-01-01T00:00:00Z'));
		expect(parseUserDateTime({ toISO: () => '2024-01-01T00:00:00.000+02:00' }, 'UTC')).toBe(Date.parse('2023-12-31T22:00:00Z'));
	});

	test('rejects what is not a date-time', () => {
		for (const bad of ['yesterday', '2024-13-45T00:00:00', '2024-02-30 10:00:00', '2024-01-01 24:00:00', '', '12/01/2024', 12345, null, {}]) {
			expect(parseUserDateTime(bad, 'UTC')).toBeUndefined();
		}
	});

	test('formats windows for the wire in both endpoint formats', () => {
		const ms = Date.parse('2024-01-31T16:00:00Z');
		expect(formatForWire(ms, 'Asia/Shanghai', 'iso-offset')).toBe('2024-02-01T00:00:00+08:00');
		// UTC as the documents write offsets, never `Z`.
		expect(formatForWire(ms, 'UTC', 'iso-offset')).toBe('2024-01-31T16:00:00+00:00');
		expect(formatForWire(ms, 'Etc/GMT', 'iso-offset')).toBe('2024-01-31T16:00:00+00:00');
		expect(formatForWire(ms, 'Europe/London', 'iso-offset')).toBe('2024-01-31T16:00:00+00:00');
		expect(new ZoneClock('UTC').toIso(ms)).toBe('2024-01-31T16:00:00+00:00');
		expect(formatForWire(ms, 'Asia/Shanghai', 'plain')).toBe('2024-02-01 00:00:00');
	});

	test('ZoneClock converts both ways across a daylight-saving change', () => {
		const berlin = new ZoneClock('Europe/Berlin');
		const before = berlin.parseWall('2024-03-31 01:30:00')!;
		const after = berlin.parseWall('2024-03-31 03:30:00')!;
		expect(after - before).toBe(3_600_000);
		expect(berlin.toIso(before)).toBe('2024-03-31T01:30:00+01:00');
		expect(berlin.toIso(after)).toBe('2024-03-31T03:30:00+02:00');
		expect(new ZoneClock('Asia/Kolkata').toIso(Date.parse('2024-01-01T00:00:00Z'))).toBe('2024-01-01T05:30:00+05:30');
		expect(new ZoneClock('America/St_Johns').toPlain(Date.parse('2024-01-01T00:00:00Z'))).toBe('2023-12-31 20:30:00');
		// St. John's springs forward at 05:30 UTC, in the middle of a UTC hour.
		expect(new ZoneClock('America/St_Johns').toIso(Date.parse('2024-03-10T05:45:00Z'))).toBe('2024-03-10T03:15:00-02:30');
	});

	test('knows a time zone from a typo', () => {
		expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
		expect(isValidTimeZone('Mars/Olympus')).toBe(false);
		expect(isValidTimeZone('')).toBe(false);
	});

	// From 1970: before, zones ran on local mean time with offsets in seconds, which no call record needs.
	test('ZoneClock writes and reads every instant as date-fns-tz does, in whole-, half- and quarter-hour zones with and without daylight saving', () => {
		const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];
		fc.assert(
			fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 4e12 }), (zone, ms) => {
				const clock = new ZoneClock(zone);
				expect(clock.toIso(ms)).toBe(formatInTimeZone(new Date(ms), zone, "yyyy-MM-dd'T'HH:mm:ssxxx"));
				expect(clock.toPlain(ms)).toBe(formatInTimeZone(new Date(ms), zone, 'yyyy-MM-dd HH:mm:ss'));
				// Whole seconds away from a clock change (where a wall time is ambiguous) read back exactly.
				const second = Math.floor(ms / 1000) * 1000;
				if (clock.offsetMsAt(second - 7_200_000) === clock.offsetMsAt(second + 7_200_000)) {
					expect(clock.parseWall(clock.toPlain(second))).toBe(second);
					expect(clock.parseWall(clock.toPlain(second).replace(' ', 'T'))).toBe(second);
				}
			}),
			{ numRuns: 2000 },
		);
	});

	// Random instants seldom land on a clock change, so every change is checked to the second. St.
	// John's changed at 00:01 local time until 2011 (not on a quarter hour), Lord Howe by half an hour,
	// Casablanca four times a year around Ramadan.
	test('ZoneClock places each clock change it finds from 1970 to 2040 on the second date-fns-tz has it', () => {
		const iso = (ms: number, zone: string) => formatInTimeZone(new Date(ms), zone, "yyyy-MM-dd'T'HH:mm:ssxxx");
		const stJohns = new ZoneClock('America/St_Johns');
		// 2009-11-01 00:01 NDT, the case a random run found.
		expect(stJohns.toIso(Date.UTC(2009, 10, 1, 2, 31))).toBe('2009-10-31T23:01:00-03:30');
		expect(stJohns.toIso(Date.UTC(2009, 10, 1, 2, 31) - 1000)).toBe('2009-11-01T00:00:59-02:30');
		for (const zone of ['America/St_Johns', 'Australia/Lord_Howe', 'Africa/Casablanca']) {
			const clock = new ZoneClock(zone);
			const changes = clock.offsetChanges(Date.UTC(1970, 0, 1), Date.UTC(2040, 0, 1));
			expect(changes.length).toBeGreaterThan(50);
			for (const change of changes) {
				expect(change.afterMs).not.toBe(change.beforeMs);
				expect(clock.toIso(change.atMs - 1000)).toBe(iso(change.atMs - 1000, zone));
				expect(clock.toIso(change.atMs)).toBe(iso(change.atMs, zone));
				expect(clock.offsetMsAt(change.atMs - 1000)).toBe(change.beforeMs);
				expect(clock.offsetMsAt(change.atMs)).toBe(change.afterMs);
			}
		}
	});

	test('ZoneClock.parseWall refuses malformed wall times of the usual length', () => {
		const utc = new ZoneClock('UTC');
		for (const bad of ['2024-01-0x 10:00:00', '2024/01/01 10:00:00', '2024-01-01 10-00-00', '2024-01-01_10:00:00', '2024-02-30 10:00:00', '2024-01-01 10:60:00', '+024-01-01 10:00:00']) {
			expect(utc.parseWall(bad)).toBeUndefined();
		}
		expect(utc.parseWall('2024-02-29 23:59:59')).toBe(Date.parse('2024-02-29T23:59:59Z'));
	});

	test('ZoneClock is exact through every clock change of a year, minute by minute', () => {
		const day = 86_400_000;
		for (const zone of ['Europe/Berlin', 'America/New_York', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham']) {
			const reference = (ms: number) => formatInTimeZone(new Date(ms), zone, "yyyy-MM-dd'T'HH:mm:ssxxx");
			const clock = new ZoneClock(zone);
			let changeovers = 0;
			for (let start = Date.parse('2024-01-01T00:00:00Z'); start < Date.parse('2025-01-01T00:00:00Z'); start += day) {
				if (reference(start).slice(19) === reference(start + day - 60_000).slice(19)) continue;
				changeovers++;
				for (let ms = start; ms < start + day; ms += 60_000) expect(clock.toIso(ms)).toBe(reference(ms));
			}
			expect(changeovers).toBe(2);
		}
	});
});
