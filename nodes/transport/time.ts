import { formatInTimeZone } from './bundled/dateFnsTz';
import { DAY_MS } from './windows';

/**
 * The APIs take and return whole seconds: a window sent from 18:41:52.400 reaches them as
 * 18:41:52 and returns that second's records. So bounds compared with record times are rounded
 * down to the second, never compared in milliseconds.
 */
export function wholeSecond(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}

/** The request formats the endpoints accept for a time window. */
export type WireTimeFormat = 'iso-offset' | 'plain';

const NAIVE_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ABSOLUTE_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const HOUR_MS = 3_600_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => (n < 10 ? `0${n}` : String(n)));

/**
 * The IANA zones of this Node.js (its ICU data), UTC first, as options of a credential's zone
 * field: a credential has no loadOptions, so the list is built when the class loads.
 */
/**
 * Current IANA names that ICU (so Intl) still lists under a former name (Asia/Calcutta for
 * Asia/Kolkata): users look for, and have saved, the current ones.
 */
const CURRENT_ZONE_NAMES = [
	'America/Argentina/Buenos_Aires',
	'America/Argentina/Catamarca',
	'America/Argentina/Cordoba',
	'America/Argentina/Jujuy',
	'America/Argentina/Mendoza',
	'America/Indiana/Indianapolis',
	'America/Kentucky/Louisville',
	'America/Nuuk',
	'Asia/Ho_Chi_Minh',
	'Asia/Kathmandu',
	'Asia/Kolkata',
	'Asia/Yangon',
	'Atlantic/Faroe',
	'Europe/Kyiv',
	'Pacific/Chuuk',
	'Pacific/Kanton',
	'Pacific/Pohnpei',
];

export function timeZoneOptions(): Array<{ name: string; value: string }> {
	// Node >= 18 has Intl.supportedValuesOf; the compile target's lib predates it.
	const supported = (Intl as unknown as { supportedValuesOf: (key: 'timeZone') => string[] }).supportedValuesOf('timeZone');
	const listed = new Set(supported);
	const current = CURRENT_ZONE_NAMES.filter((zone) => !listed.has(zone) && isValidTimeZone(zone));
	const zones = ['UTC', ...[...supported, ...current].filter((zone) => zone !== 'UTC').sort()];
	return zones.map((zone) => ({ name: zone.replace(/_/g, ' '), value: zone }));
}

export function isValidTimeZone(timeZone: unknown): timeZone is string {
	if (typeof timeZone !== 'string' || timeZone.trim() === '') return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/** One UTC day's offset, or on a day the clocks change, when and from what to what. */
type DayOffset = number | { atMs: number; beforeMs: number; afterMs: number };

/**
 * Converts between wall-clock times in one time zone and instants. Offsets are looked up once
 * per UTC day (and the moment of change found on a day the offset changes), because records hit
 * the same days over and over and each lookup through Intl costs tens of microseconds.
 */
export class ZoneClock {
	private readonly offsets = new Map<number, DayOffset>();
	/** `yyyy-MM-ddTHH:` by wall-clock hour (hours since 1970 on this zone's clocks). */
	private readonly isoHours = new Map<number, string>();
	private readonly offsetTexts = new Map<number, string>();

	constructor(readonly timeZone: string) {}

	offsetMsAt(epochMs: number): number {
		const offset = this.dayOffset(Math.floor(epochMs / DAY_MS));
		if (typeof offset === 'number') return offset;
		return epochMs < offset.atMs ? offset.beforeMs : offset.afterMs;
	}

	private dayOffset(day: number): DayOffset {
		let offset = this.offsets.get(day);
		if (offset === undefined) {
			offset = this.lookUpDay(day);
			this.offsets.set(day, offset);
		}
		return offset;
	}

	/**
	 * Clocks change at most once a day, but not only on the hour: St. John's changed at 00:01 local
	 * time until 2011. So a change is found by halving the day down to the second (since 1970 every
	 * change falls on a whole second), about 19 lookups once per changeover day.
	 */
	private lookUpDay(day: number): DayOffset {
		// A day covers the changes in (its start - 1 s, its end - 1 s], so that one at midnight UTC
		// belongs to the day it starts.
		const start = day * DAY_MS;
		let low = start - 1000;
		let high = start + DAY_MS - 1000;
		const beforeMs = this.lookUpOffset(low);
		const afterMs = this.lookUpOffset(high);
		if (beforeMs === afterMs) return beforeMs;
		// Invariant: the offset at `low` is beforeMs, at `high` it is not.
		while (high - low > 1000) {
			const middle = low + Math.floor((high - low) / 2000) * 1000;
			if (this.lookUpOffset(middle) === beforeMs) low = middle;
			else high = middle;
		}
		return { atMs: high, beforeMs, afterMs };
	}

	private lookUpOffset(epochMs: number): number {
		// Read back from the formatted offset: date-fns-tz's getTimezoneOffset is off by an hour
		// inside a daylight-saving change, its formatter is not.
		const text = formatInTimeZone(new Date(epochMs), this.timeZone, 'xxx');
		const sign = text.startsWith('-') ? -1 : 1;
		return sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * 60_000;
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
		// Every record carries several times, so the date and hour part is formatted once per
		// hour and reused; only minutes and seconds are written per call.
		const shifted = epochMs + offset;
		const hour = Math.floor(shifted / HOUR_MS);
		let prefix = this.isoHours.get(hour);
		if (prefix === undefined) {
			prefix = wallString(hour * HOUR_MS, 'T').slice(0, 14);
			this.isoHours.set(hour, prefix);
		}
		const inHour = shifted - hour * HOUR_MS;
		const minute = Math.floor(inHour / 60_000);
		const second = Math.floor((inHour - minute * 60_000) / 1000);
		let suffix = this.offsetTexts.get(offset);
		if (suffix === undefined) {
			suffix = offsetString(offset);
			this.offsetTexts.set(offset, suffix);
		}
		return prefix + pad2(minute) + ':' + pad2(second) + suffix;
	}

	/** The wall time this zone's clocks show at an instant, as ms since 1970 on these clocks (the axis of wallSpan). */
	wallMs(epochMs: number): number {
		return epochMs + this.offsetMsAt(epochMs);
	}

	/** `yyyy-MM-dd HH:mm:ss` as this zone's clocks show it. */
	toPlain(epochMs: number): string {
		return wallString(epochMs + this.offsetMsAt(epochMs), ' ');
	}

	/** The offset changes in (fromMs, toMs]: when, and the offset before and after. */
	offsetChanges(fromMs: number, toMs: number): Array<{ atMs: number; beforeMs: number; afterMs: number }> {
		const changes: Array<{ atMs: number; beforeMs: number; afterMs: number }> = [];
		for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS <= toMs; day++) {
			const offset = this.dayOffset(day);
			if (typeof offset !== 'number' && offset.atMs > fromMs && offset.atMs <= toMs) changes.push({ ...offset });
		}
		return changes;
	}

	/**
	 * The wall-clock span the instants [fromMs, toMs] show on this zone's clocks, in whole seconds
	 * (as ms since 1970 on these clocks). Mostly the clocks at the two ends; but where the clocks
	 * go back inside it, the repeated hour is shown twice, and the span reaches from the earliest
	 * wall time shown to the latest, so that an API reading wall times misses none of them.
	 */
	wallSpan(fromMs: number, toMs: number): { startWallMs: number; endWallMs: number } {
		let start = fromMs + this.offsetMsAt(fromMs);
		let end = toMs + this.offsetMsAt(toMs);
		for (const change of this.offsetChanges(fromMs, toMs)) {
			if (change.afterMs >= change.beforeMs) continue;
			start = Math.min(start, change.atMs + change.afterMs);
			end = Math.max(end, change.atMs - 1000 + change.beforeMs);
		}
		return { startWallMs: wholeSecond(start), endWallMs: wholeSecond(end) };
	}

	/** The window [fromMs, toMs] as `yyyy-MM-dd HH:mm:ss` texts an API that reads wall times is sent (see wallSpan). */
	plainWindow(fromMs: number, toMs: number): [string, string] {
		const { startWallMs, endWallMs } = this.wallSpan(fromMs, toMs);
		return [wallString(startWallMs, ' '), wallString(endWallMs, ' ')];
	}

	/** Reads `yyyy-MM-dd HH:mm:ss` (or with a T) as wall time here; undefined if not a real date-time. */
	parseWall(text: string): number | undefined {
		let year: number, month: number, day: number, hour: number, minute: number, second: number;
		if (isPlainDateTime(text)) {
			// The form nearly every API time has, read without a regular expression (records carry
			// several of them, so this is a hot path).
			year = digitsAt(text, 0, 4);
			month = digitsAt(text, 5, 2);
			day = digitsAt(text, 8, 2);
			hour = digitsAt(text, 11, 2);
			minute = digitsAt(text, 14, 2);
			second = digitsAt(text, 17, 2);
		} else {
			const m = NAIVE_DATE_TIME.exec(text);
			if (!m) return undefined;
			year = +m[1];
			month = +m[2];
			day = +m[3];
			hour = +(m[4] ?? 0);
			minute = +(m[5] ?? 0);
			second = +(m[6] ?? 0);
		}
		// Date.UTC rolls month 13 or day 45 over silently: check the parts first.
		if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
			return undefined;
		}
		return this.wallToEpochMs(year, month, day, hour, minute, second);
	}
}

const ZERO = 48;

/** `yyyy-MM-dd HH:mm:ss` (or with a T), digits where digits belong. */
function isPlainDateTime(text: string): boolean {
	if (text.length !== 19) return false;
	const separator = text.charCodeAt(10);
	if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (separator !== 32 && separator !== 84)) return false;
	if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
	for (const i of DIGIT_POSITIONS) {
		const c = text.charCodeAt(i) - ZERO;
		if (c < 0 || c > 9) return false;
	}
	return true;
}
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

function digitsAt(text: string, start: number, count: number): number {
	let n = 0;
	for (let i = start; i < start + count; i++) n = n * 10 + text.charCodeAt(i) - ZERO;
	return n;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Two digits for 0 to 59 (every field of a date-time or an offset). */
function pad2(n: number): string {
	return TWO_DIGITS[n];
}

/** A wall time (ms since 1970 on some zone's clocks, as wallSpan gives it) as `yyyy-MM-dd HH:mm:ss`. */
export function wallText(wallMs: number): string {
	return wallString(wallMs, ' ');
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

/**
 * Formats an instant for a request, in the workflow's time zone. UTC is written `+00:00`, never
 * `Z`: the documents write every offset as `+08:00`, and a strict server may take only that form.
 */
export function formatForWire(epochMs: number, timeZone: string, format: WireTimeFormat): string {
	const pattern = format === 'iso-offset' ? "yyyy-MM-dd'T'HH:mm:ssxxx" : 'yyyy-MM-dd HH:mm:ss';
	return formatInTimeZone(new Date(epochMs), timeZone, pattern);
}
