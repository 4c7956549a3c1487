import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { Clocks } from '../shared/recordFields';
import { apiDateTime, decimal, integer } from '../shared/recordFields';
import { sipReasonPhrase } from '../shared/sipCodes';

/** `feedbackValue`: the key the callee pressed, "-1" when none. */
export function feedbackLabel(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	return String(value).trim() === '-1' ? 'no key pressed' : `key ${String(value).trim()} pressed`;
}

export function voiceRecordSchema(clocks: Clocks): z.ZodType<IDataObject, z.ZodTypeDef, unknown> {
	const dateTime = apiDateTime(clocks);
	return z
		.object({
			voiceId: z.union([z.string().min(1), z.number()]).transform(String),
			submitTime: dateTime.optional(),
			callTime: dateTime.optional(),
			ringingTime: dateTime.optional(),
			answerTime: dateTime.optional(),
			hangupTime: dateTime.optional(),
			callDuration: integer.optional(),
			chargedDuration: integer.optional(),
			cost: decimal.optional(),
			rate: decimal.optional(),
			baseCost: decimal.optional(),
			settleRate: decimal.optional(),
			quoteExchange: decimal.optional(),
			settlePay: decimal.optional(),
		})
		.passthrough()
		.transform((record) => {
			const out = { ...record } as IDataObject;
			out.terminationLabel = sipReasonPhrase(record.terminationCode);
			out.feedbackLabel = feedbackLabel(record.feedbackValue);
			return out;
		});
}
