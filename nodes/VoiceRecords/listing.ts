import { platformListing } from '../shared/platformListing';
import type { Clocks, RecordShape } from '../shared/recordShape';
import { defineShape, toDateTime, toDecimal, toIdText, toInteger } from '../shared/recordShape';
import { sipReasonPhrase } from '../shared/sipCodes';
import type { SummarySpec } from '../shared/summarize/spec';
import { keyField, labelField, numberField, quotedCurrency, secondsBetween, timeDimensions } from '../shared/summarize/spec';
import { DAY_MS } from '../transport/windows';

/**
 * Voice records are served for the most recent two months only (status -25 beyond). We check
 * before sending, with a margin so a request is never refused because our clock and the
 * provider's read "two months ago" a few seconds apart.
 */
export const HORIZON_MARGIN_MS = 10 * 60_000;

/** Two calendar months before `nowMs` (UTC), plus the margin. */
export function earliestVoiceStartMs(nowMs: number): number {
	const date = new Date(nowMs);
	date.setUTCMonth(date.getUTCMonth() - 2);
	return date.getTime() + HORIZON_MARGIN_MS;
}

/** `feedbackValue`: the key the callee pressed, "-1" when none. */
export function feedbackLabel(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	return String(value).trim() === '-1' ? 'no key pressed' : `key ${String(value).trim()} pressed`;
}

/** A voice call shaped for workflows: numbers as numbers, ISO 8601 times, SIP and key-press labels. */
export function voiceRecordShape(clocks: Clocks): RecordShape {
	const dateTime = toDateTime(clocks);
	return defineShape(
		{
			voiceId: toIdText,
			submitTime: dateTime,
			callTime: dateTime,
			ringingTime: dateTime,
			answerTime: dateTime,
			hangupTime: dateTime,
			callDuration: toInteger,
			chargedDuration: toInteger,
			cost: toDecimal,
			rate: toDecimal,
			baseCost: toDecimal,
			settleRate: toDecimal,
			quoteExchange: toDecimal,
			settlePay: toDecimal,
		},
		{
			required: ['voiceId'],
			finish: (out) => {
				out.terminationLabel = sipReasonPhrase(out.terminationCode);
				out.feedbackLabel = feedbackLabel(out.feedbackValue);
			},
		},
	);
}

/** What Summarize reports of voice calls. */
export const voiceSummary: SummarySpec = {
	figuresText: 'calls, answered, ASR, ACD, durations, cost in USD, average ring time and post-dial delay',
	answered: {
		rule: 'a call whose SIP code (terminationCode) is 200 (documented as "the call is successfully established")',
		test: (record) => String(record.terminationCode ?? '').trim() === '200',
	},
	duration: numberField('callDuration'),
	chargedDuration: numberField('chargedDuration'),
	// `cost` is documented in USD; `settlePay` ("local currency") and `rate` (quoted currency) are not
	// the amount charged in a currency the record names, so the sum is of `cost`, in USD.
	cost: (record) => (typeof record.cost === 'number' ? { currency: 'USD', amount: record.cost } : null),
	// The document's sample runs submitTime < ringingTime < callTime (callTime after hang-up): the
	// dial is the submission, not callTime.
	ringTime: (record) => secondsBetween(record, 'ringingTime', record.answerTime ? 'answerTime' : 'hangupTime'),
	postDialDelay: (record) => secondsBetween(record, 'submitTime', 'ringingTime'),
	dimensions: {
		terminationCode: { description: 'The SIP code the call ended with (terminationCode), with its standard phrase (486: Busy Here)', key: keyField('terminationCode'), label: labelField('terminationLabel') },
		country: {
			description: 'The country of the operator\'s area (India for "India(Mumbai)")',
			key: (record) => (typeof record.code === 'string' && record.code.trim() !== '' ? record.code.split('(')[0].trim() : null),
		},
		number: { description: 'The display number the call was made from', key: keyField('displayNum') },
		currency: { description: 'The quoted currency: the record\'s currency, USD when empty, unspecified when the record has none', key: quotedCurrency },
		...timeDimensions('submitTime'),
	},
};

/** The voice-message calls of the account, kept for two months. */
export const voiceListing = platformListing({
	name: 'Voice Records',
	endpoint: 'voiceRecords',
	timeFormat: 'iso-offset',
	windowParams: (strTime, endTime) => ({ strTime, endTime }),
	maxWindowMs: 31 * DAY_MS,
	horizon: { earliestStartMs: earliestVoiceStartMs, span: 'two months' },
	idField: 'voiceId',
	timeField: 'submitTime',
	sipFields: ['terminationCode'],
	reasonFields: ['terminationReason', 'terminationLabel'],
	shape: voiceRecordShape,
	summary: voiceSummary,
});
