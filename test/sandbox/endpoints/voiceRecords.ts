import type { ZoneClock } from '../../../nodes/transport/time';
import { intBetween, pick } from '../random';
import type { StoredRecord } from '../store';
import { digits } from '../store';

const OUTCOMES = [
	{ terminationCode: '200', terminationReason: 'success' },
	{ terminationCode: '486', terminationReason: 'busy' },
	{ terminationCode: '480', terminationReason: 'no answer' },
	{ terminationCode: '404', terminationReason: 'number not exist' },
	{ terminationCode: '503', terminationReason: 'service unavailable' },
	{ terminationCode: '603', terminationReason: 'declined' },
] as const;
const AREAS = ['Afghanistan(Kandahar)', 'India(Mumbai)', 'Indonesia(Jakarta)', 'Brazil(Sao Paulo)'];

/** Voice provider's service window: the most recent two calendar months. */
export function voiceHorizonMs(nowMs: number): number {
	const date = new Date(nowMs);
	date.setUTCMonth(date.getUTCMonth() - 2);
	return date.getTime();
}

export const VOICE_MAX_WINDOW_DAYS = 31;

/** One voice record as sent: ISO 8601 times with the account's offset, money as strings. */
export function makeVoiceRecord(random: () => number, seq: number, startMs: number, clock: ZoneClock): StoredRecord {
	const outcome = random() < 0.6 ? OUTCOMES[0] : pick(random, OUTCOMES.slice(1));
	const answered = outcome.terminationCode === '200';
	// The document's sample runs submitTime < ringingTime < answerTime < hangupTime < callTime.
	const ringMs = startMs + intBetween(random, 1, 30) * 1000;
	const answerMs = ringMs + intBetween(random, 2, 15) * 1000;
	const duration = answered ? intBetween(random, 3, 120) : 0;
	const charged = answered ? Math.ceil(duration / 20) * 20 : 0;
	const rate = (0.01 + random() * 0.2).toFixed(4);
	const cost = ((charged / 60) * Number(rate)).toFixed(4);
	const eur = random() < 0.3;
	const voiceId = `${clock.toPlain(startMs).replace(/\D/g, '').slice(2)}${String(seq).padStart(7, '0')}`;
	const wire: Record<string, unknown> = {
		voiceId,
		callee: `91${digits(random, 10)}`,
		displayNum: `100${digits(random, 7)}`,
		code: pick(random, AREAS),
		submitTime: clock.toIso(startMs),
		callTime: clock.toIso((answered ? answerMs + duration * 1000 : ringMs + 20_000) + intBetween(random, 1, 180) * 1000),
		ringingTime: clock.toIso(ringMs),
		answerTime: answered ? clock.toIso(answerMs) : '',
		hangupTime: clock.toIso(answered ? answerMs + duration * 1000 : ringMs + 20_000),
		callDuration: duration,
		chargedDuration: charged,
		...outcome,
		cost,
		billPeriod: '20+20',
		rate,
		baseCost: (Number(cost) * 0.8).toFixed(4),
		voiceFileId: `${digits(random, 12)}.mp3`,
		feedbackValue: answered && random() < 0.5 ? String(intBetween(random, 0, 9)) : '-1',
		calledInfo: random() < 0.2 ? 'campaign-7' : '',
		settleRate: eur ? (Number(rate) * 1.0661).toFixed(4) : '',
		quoteExchange: eur ? '0.938' : '',
		currency: eur ? 'EUR' : '',
		settlePay: eur ? (Number(cost) * 1.0661).toFixed(4) : '',
	};
	return { startMs, id: voiceId, wire };
}
