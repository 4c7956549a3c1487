import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { Clocks } from '../shared/recordFields';
import { apiDateTime, code, decimal, integer, recordId } from '../shared/recordFields';

export const CALL_SOURCE_LABELS: Record<number, string> = { 2: 'Incoming', 3: 'Outgoing' };

/**
 * A number record as the API sends it, shaped for workflows: numbers as numbers, ISO 8601
 * times, a label for the call source. Laaffic's extra currency fields arrive capitalised as
 * printed in its document (QuoteExchange, SeptleRate, SettlePay) and leave in camel case,
 * with the misspelt "Septle" corrected, like the same fields of Voice Records.
 */
export function numberRecordSchema(clocks: Clocks): z.ZodType<IDataObject, z.ZodTypeDef, unknown> {
	const dateTime = apiDateTime(clocks);
	return z
		.object({
			callid: recordId,
			callSource: code.optional(),
			callDuration: integer.optional(),
			chargedDuration: integer.optional(),
			startTime: dateTime.optional(),
			endTime: dateTime.optional(),
			pay: decimal.optional(),
			customerRate: decimal.optional(),
			QuoteExchange: decimal.optional(),
			SeptleRate: decimal.optional(),
			SettlePay: decimal.optional(),
		})
		.passthrough()
		.transform((record) => {
			const { QuoteExchange, SeptleRate, SettlePay, ...rest } = record;
			const out: IDataObject = { ...rest, callSourceLabel: CALL_SOURCE_LABELS[rest.callSource as number] ?? null };
			if ('QuoteExchange' in record) out.quoteExchange = QuoteExchange;
			if ('SeptleRate' in record) out.settleRate = SeptleRate;
			if ('SettlePay' in record) out.settlePay = SettlePay;
			return out;
		});
}
