import type { Clocks, RecordShape } from '../shared/recordShape';
import { defineShape, toCode, toDateTime, toDecimal, toIdText, toInteger } from '../shared/recordShape';
import { platformListing } from '../shared/platformListing';
import { recordingField } from '../shared/recordings';
import { sipReasonPhrase } from '../shared/sipCodes';
import type { SummarySpec } from '../shared/summarize/spec';
import { keyField, labelField, numberField, quotedCurrency, timeDimensions } from '../shared/summarize/spec';

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

/** What Summarize reports of number records. */
export const numberRecordsSummary: SummarySpec = {
	// Not the SIP code: the API's own sample pairs a 10-second call with SIP code "20".
	figuresText: 'calls, answered, ASR and ACD per direction (outgoing, incoming) and over all directions, durations, cost per quoted currency',
	answered: {
		rule: 'a call that lasted (Call Duration above 0 seconds)',
		test: (record) => typeof record.callDuration === 'number' && record.callDuration > 0,
	},
	// callSource: 2 incoming, 3 outgoing (the document's table).
	direction: (record) => (record.callSource === 3 ? 'outgoing' : record.callSource === 2 ? 'incoming' : null),
	duration: numberField('callDuration'),
	chargedDuration: numberField('chargedDuration'),
	// `pay` is in the quoted currency, which only Laaffic's records name (currency): ITNIO's sums come under "unspecified".
	cost: (record) => (typeof record.pay === 'number' ? { currency: quotedCurrency(record), amount: record.pay } : null),
	dimensions: {
		hangupReason: { description: 'The hang-up reason as the API writes it (e.g. user busy)', key: keyField('hangupReason') },
		sipCode: { description: 'The SIP code the call ended with, with its standard phrase (486: Busy Here)', key: keyField('sipCode'), label: (record) => sipReasonPhrase(record.sipCode) },
		country: { description: 'The called country: its calling code, with the country name', key: keyField('ccode'), label: labelField('country') },
		number: { description: 'Your virtual number', key: keyField('number') },
		callType: { description: 'The call source: incoming (2) or outgoing (3)', key: keyField('callSource'), label: labelField('callSourceLabel') },
		currency: { description: 'The quoted currency (Laaffic\'s records name it; "unspecified" where a record has no currency field)', key: quotedCurrency },
		...timeDimensions('startTime'),
	},
};

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
	summary: numberRecordsSummary,
});
