import type { Clocks, RecordShape } from '../shared/recordShape';
import { defineShape, toCode, toDateTime, toDecimal, toIdText, toInteger } from '../shared/recordShape';
import { platformListing } from '../shared/platformListing';
import { recordingField } from '../shared/recordings';

export const CALL_SOURCE_LABELS: Record<number, string> = { 2: 'Incoming', 3: 'Outgoing' };

const RENAMED = [
	['QuoteExchange', 'quoteExchange'],
	['SeptleRate', 'settleRate'],
	['SettlePay', 'settlePay'],
] as const;

/**
 * A number record as the API sends it, shaped for workflows: numbers as numbers, ISO 8601
 * times, a label for the call source. Laaffic's extra currency fields arrive capitalised as
 * printed in its document (QuoteExchange, SeptleRate, SettlePay) and leave in camel case,
 * with the misspelt "Septle" corrected, like the same fields of Voice Records. Fields the API
 * left out stay out.
 */
export function numberRecordShape(clocks: Clocks): RecordShape {
	const dateTime = toDateTime(clocks);
	return defineShape(
		{
			callid: toIdText,
			callSource: toCode,
			callDuration: toInteger,
			chargedDuration: toInteger,
			startTime: dateTime,
			endTime: dateTime,
			pay: toDecimal,
			customerRate: toDecimal,
			QuoteExchange: toDecimal,
			SeptleRate: toDecimal,
			SettlePay: toDecimal,
		},
		{
			required: ['callid'],
			finish: (out) => {
				out.callSourceLabel = CALL_SOURCE_LABELS[out.callSource as number] ?? null;
				for (const [from, to] of RENAMED) {
					if (from in out) {
						out[to] = out[from];
						delete out[from];
					}
				}
			},
		},
	);
}

/** The calls of the account's virtual numbers. */
export const numberRecordsListing = platformListing({
	name: 'Number Records',
	endpoint: 'numberRecords',
	timeFormat: 'iso-offset',
	windowParams: (strTime, endTime) => ({ strTime, endTime }),
	idField: 'callid',
	timeField: 'startTime',
	sipFields: ['sipCode'],
	reasonFields: ['hangupReason'],
	recordingUrls: (record) => recordingField(record.recordingFileUrl),
	shape: numberRecordShape,
});
