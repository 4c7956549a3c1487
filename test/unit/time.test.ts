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
		expect(formatForWire(ms, 'UTC', 'iso-offset')).toBe('2024-01-31T16:00:00Z');
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
	});

	test('knows a time zone from a typo', () => {
		expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
		expect(isValidTimeZone('Mars/Olympus')).toBe(false);
		expect(isValidTimeZone('')).toBe(false);
	});
});
