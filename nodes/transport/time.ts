// date-fns-tz is a runtime dependency by design (IANA zone arithmetic we would otherwise
// hand-write); n8n Cloud accepts no dependencies, self-hosted n8n installs them.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { formatInTimeZone } from 'date-fns-tz';

/** The request formats the endpoints accept for a time window. */
export type WireTimeFormat = 'iso-offset' | 'plain';

const NAIVE_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ABSOLUTE_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const HOUR_MS = 3_600_000;

export function isValidTimeZone(timeZone: unknown): timeZone is string {
	if (typeof timeZone !== 'string' || timeZone.trim() === '') return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/**
 * Converts between wall-clock times in one time zone and instants. Offsets are cached per hour
 * because a page of records hits the same few hours over and over and Intl lookups are slow.
 */
export class ZoneClock {
	private readonly offsets = new Map<number, number>();

	constructor(readonly timeZone: string) {}

	offsetMsAt(epochMs: number): number {
		const hour = Math.floor(epochMs / HOUR_MS);
		let offset = this.offsets.get(hour);
		if (offset === undefined) {
			// Read back from the formatted offset: date-fns-tz's getTimezoneOffset is off by an hour
			// inside a daylight-saving change, its formatter is not.
			const text = formatInTimeZone(new Date(hour * HOUR_MS), this.timeZone, 'xxx');
			const sign = text.startsWith('-') ? -1 : 1;
			offset = sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * 60_000;
			this.offsets.set(hour, offset);
		}
		return offset;
	}

	/** The instant at which this zone's clocks show the given wall time. */
	wallToEpochMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
		const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
		let epoch = asUtc - this.offsetMsAt(asUtc);
		// A second pass settles wall times near a daylight-saving change.
		epoch = asUtc - this.offsetMsAt(epoch);
		return epoch;
	}

	/** ISO 8601 with this zone's offset, e.g. 2024-01-01T09:00:00+08:00. */
	toIso(epochMs: number): string {
		const offset = this.offsetMsAt(epochMs);
		return wallString(epochMs + offset, 'T') + offsetString(offset);
	}

	/** `yyyy-MM-dd HH:mm:ss` as this zone's clocks show it. */
	toPlain(epochMs: number): string {
		return wallString(epochMs + this.offsetMsAt(epochMs), ' ');
	}

	/** Reads `yyyy-MM-dd HH:mm:ss` (or with a T) as wall time here; undefined if not a real date-time. */
	parseWall(text: string): number | undefined {
		const m = NAIVE_DATE_TIME.exec(text);
		if (!m) return undefined;
		const year = +m[1];
		const month = +m[2];
		const day = +m[3];
		const hour = +(m[4] ?? 0);
		const minute = +(m[5] ?? 0);
		const second = +(m[6] ?? 0);
		// Date.UTC rolls month 13 or day 45 over silently: check the parts first.
		if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
			return undefined;
		}
		return this.wallToEpochMs(year, month, day, hour, minute, second);
	}
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}

function wallString(shiftedMs: number, separator: string): string {
	const d = new Date(shiftedMs);
	return (
		`${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
		`${separator}${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
	);
}

function offsetString(offsetMs: number): string {
	const sign = offsetMs < 0 ? '-' : '+';
	const minutes = Math.abs(Math.round(offsetMs / 60_000));
	return `${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/**
 * Reads a date-time the user typed or an expression produced. A value with an offset (or Z) is
 * an instant; one without is wall time in `timeZone` (the workflow's), as n8n's date picker
 * means it. Returns undefined when the value is not a date-time.
 */
export function parseUserDateTime(value: unknown, timeZone: string): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (value !== null && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		// A Luxon DateTime, as `{{ $now }}` yields when not turned into a string.
		return parseUserDateTime((value as { toISO: () => string | null }).toISO(), timeZone);
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (ABSOLUTE_DATE_TIME.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : ms;
	}
	const wall = new ZoneClock(timeZone).parseWall(text);
	return wall !== undefined && !Number.isNaN(wall) ? wall : undefined;
}

/** Formats an instant for a request, in the workflow's time zone. */
export function formatForWire(epochMs: number, timeZone: string, format: WireTimeFormat): string {
	const pattern = format === 'iso-offset' ? "yyyy-MM-dd'T'HH:mm:ssXXX" : 'yyyy-MM-dd HH:mm:ss';
	return formatInTimeZone(new Date(epochMs), timeZone, pattern);
}
