import { ZoneClock } from '../../../nodes/transport/time';
import { intBetween, pick } from '../random';
import { STORAGE_PLACEHOLDER } from '../recordings';
import type { StoredRecord } from '../store';
import { digits } from '../store';

const COUNTRIES = [
	{ ccode: '91', country: 'India' },
	{ ccode: '86', country: 'China' },
	{ ccode: '62', country: 'Indonesia' },
	{ ccode: '55', country: 'Brazil' },
	{ ccode: '234', country: 'Nigeria' },
] as const;
const SIP_CODES = ['200', '486', '480', '404', '503', '20'];
const HANGUP = ['normal clearing', 'user busy', 'no answer', 'call rejected', ''];

/** One number record as the provider writes it: offset-less times in the account's zone, money as strings. */
export function makeNumberRecord(random: () => number, seq: number, startMs: number, clock: ZoneClock): StoredRecord {
	const where = pick(random, COUNTRIES);
	const duration = random() < 0.25 ? 0 : intBetween(random, 1, 900);
	const charged = duration === 0 ? 0 : Math.ceil(duration / 60) * 60;
	const rate = (0.005 + random() * 0.05).toFixed(4);
	const pay = ((charged / 60) * Number(rate)).toFixed(6);
	const number = where.ccode + digits(random, 10);
	const other = where.ccode + digits(random, 10);
	const outgoing = random() < 0.5;
	const id = `${clock.toPlain(startMs).replace(/\D/g, '').slice(2)}${String(seq).padStart(6, '0')}`;
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
		recordingFileUrl: duration > 0 && random() < 0.3 ? `${STORAGE_PLACEHOLDER}/rec/${id}.wav` : '',
		hangupReason: pick(random, HANGUP),
		appId: `app-${intBetween(random, 1, 3)}`,
		chargedPeriod: '60+60',
		customerRate: rate,
	};
	const extra: Record<string, unknown> =
		random() < 0.4
			? {
					currency: 'EUR',
					QuoteExchange: '0.9380',
					SeptleRate: (Number(rate) * 0.938).toFixed(4),
					SettlePay: (Number(pay) * 0.938).toFixed(6),
				}
			: { currency: 'USD', QuoteExchange: '', SeptleRate: '', SettlePay: '' };
	return { startMs, id, wire, extra };
}
