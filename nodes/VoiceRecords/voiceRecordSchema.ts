
import type { Clocks, RecordSchema } from '../shared/recordFields';
import { recordShape, toDateTime, toDecimal, toIdText, toInteger } from '../shared/recordFields';
import { sipReasonPhrase } from '../shared/sipCodes';

/** `feedbackValue`: the key the callee pressed, "-1" when none. */
export function feedbackLabel(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	return String(value).trim() === '-1' ? 'no key pressed' : `key ${String(value).trim()} pressed`;
}

export function voiceRecordSchema(clocks: Clocks): RecordSchema {
	const dateTime = toDateTime(clocks);
	return recordShape(
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
