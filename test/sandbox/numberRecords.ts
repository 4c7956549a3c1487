import { ZoneClock } from '../../nodes/transport/time';
import { intBetween, pick, seededRandom } from './random';

/** One stored number record: the instant it is filed under, and its wire shape per platform. */
export interface StoredNumberRecord {
	startMs: number;
	id: string;
	wire: Record<string, unknown>;
	/** Laaffic's extra currency fields, sent only on the /v3 path. */
	currencyFields: Record<string, unknown>;
}

const COUNTRIES = [
	{ ccode: '91', country: 'India', prefix: '91' },
	{ ccode: '86', country: 'China', prefix: '86' },
	{ ccode: '62', country: 'Indonesia', prefix: '62' },
	{ ccode: '55', country: 'Brazil', prefix: '55' },
	{ ccode: '234', country: 'Nigeria', prefix: '234' },
] as const;
const SIP_CODES = ['200', '486', '480', '404', '503', '20'];
const HANGUP = ['normal clearing', 'user busy', 'no answer', 'call rejected', ''];

function digits(random: () => number, n: number): string {
	let out = '';
	for (let i = 0; i < n; i++) out += String(Math.floor(random() * 10));
	return out;
}

/** Builds one record as the provider writes it: times without offset in the account's zone, money as strings. */
export function makeNumberRecord(random: () => number, seq: number, startMs: number, clock: ZoneClock): StoredNumberRecord {
	const where = pick(random, COUNTRIES);
	const duration = random() < 0.25 ? 0 : intBetween(random, 1, 900);
	const charged = duration === 0 ? 0 : Math.ceil(duration / 60) * 60;
	const rate = (0.005 + random() * 0.05).toFixed(4);
	const pay = ((charged / 60) * Number(rate)).toFixed(6);
	const number = where.prefix + digits(random, 10);
	const other = where.prefix + digits(random, 10);
	const outgoing = random() < 0.5;
	const stamp = clock.toPlain(startMs).replace(/\D/g, '').slice(2);
	const id = `${stamp}${String(seq).padStart(6, '0')}`;
	const wire: Record<string, unknown> = {
		callid: id,
		number,
		type: random() < 0.8 ? 'MOBILE' : 'FIXED',
		caller: outgoing ? number : other,
		called: outgoing ? other : number,
		ccode: where.ccode,
		country: where.country,
		callSource: outgoing ? 3 : 2,
		callDuration: duration,
		chargedDuration: charged,
		startTime: clock.toPlain(startMs),
		endTime: clock.toPlain(startMs + duration * 1000),
		pay,
		sipCode: duration > 0 ? '200' : pick(random, SIP_CODES),
		recordingFileUrl: duration > 0 && random() < 0.3 ? `https://files.example.invalid/rec/${id}.wav` : '',
		hangupReason: pick(random, HANGUP),
		appId: `app-${intBetween(random, 1, 3)}`,
		chargedPeriod: '60+60',
		customerRate: rate,
	};
	const eur = random() < 0.4;
	const currencyFields: Record<string, unknown> = eur
		? {
				currency: 'EUR',
				QuoteExchange: '0.9380',
				SeptleRate: (Number(rate) * 0.938).toFixed(4),
				SettlePay: (Number(pay) * 0.938).toFixed(6),
			}
		: { currency: 'USD', QuoteExchange: '', SeptleRate: '', SettlePay: '' };
	return { startMs, id, wire, currencyFields };
}

/** A deterministic set of `count` records spread over [fromMs, toMs), newest first. */
export function generateNumberRecords(seed: number, count: number, fromMs: number, toMs: number, timeZone: string): StoredNumberRecord[] {
	const random = seededRandom(seed);
	const clock = new ZoneClock(timeZone);
	const spanSeconds = Math.max(1, Math.floor((toMs - fromMs) / 1000));
	const out: StoredNumberRecord[] = [];
	for (let seq = 0; seq < count; seq++) {
		const startMs = fromMs + Math.floor(random() * spanSeconds) * 1000;
		out.push(makeNumberRecord(random, seq, startMs, clock));
	}
	return sortNewestFirst(out);
}

export function sortNewestFirst<T extends { startMs: number; id: string }>(records: T[]): T[] {
	return records.sort((a, b) => b.startMs - a.startMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
