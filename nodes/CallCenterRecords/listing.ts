import { platformListing } from '../shared/platformListing';
import { recordingField } from '../shared/recordings';
import { sipReasonPhrase } from '../shared/sipCodes';
import type { SummarySpec } from '../shared/summarize/spec';
import { keyField, labelField, numberField, timeDimensions } from '../shared/summarize/spec';
import type { Clocks, FieldConverter, RecordShape } from '../shared/recordShape';
import { FieldError, defineShape, toCode, toDateTime, toInteger } from '../shared/recordShape';
import { DAY_MS } from '../transport/windows';
import { CALL_TYPES, FORMER_HANGUP_REASON_LABELS, HANGING_DIRECTIONS, HANGUP_REASONS } from './codes';
import { parseCallCenterFilters } from './filters';

/** `calledInfo` is a JSON document inside a string; unreadable text is kept as it came. */
const jsonText: FieldConverter = (value) => {
	if (typeof value !== 'string' || value.trim() === '') return value ?? null;
	try {
		return JSON.parse(value);
	} catch {
		return value;
	}
};

/** `labelName` is a JSON array in a string ("[]"); a plain comma list is accepted too. */
const labelList: FieldConverter = (value) => {
	if (Array.isArray(value)) return value.map(String);
	if (typeof value !== 'string' || value.trim() === '') return [];
	try {
		const parsed = JSON.parse(value);
		if (Array.isArray(parsed)) return parsed.every((label) => typeof label === 'string') ? parsed : parsed.map(String);
	} catch {
		// not JSON: a comma list
	}
	return value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
};

/** `keyId` is an integer; a string of digits is read as one. */
const keyId: FieldConverter = (value) => {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	throw new FieldError('expected an integer id');
};

const COUNTRY = /^\+?(\d+)\s*(?:\((.*)\))?$/;

/** An agent call shaped for workflows: codes with their labels, JSON fields read, times in ISO 8601. */
export function callCenterRecordShape(clocks: Clocks): RecordShape {
	const dateTime = toDateTime(clocks);
	return defineShape(
		{
			keyId,
			callType: toCode,
			hangupReason: toCode,
			hangingDirection: toCode,
			callDuration: toInteger,
			ringDuration: toInteger,
			voiceGroupId: toInteger,
			calledInfo: jsonText,
			labelName: labelList,
			callStartTime: dateTime,
			calledAnswerTime: dateTime,
			calledHangupTime: dateTime,
			createTime: dateTime,
			updateTime: dateTime,
		},
		{
			required: ['keyId'],
			finish: (out) => {
				out.callTypeLabel = CALL_TYPES[out.callType as number] ?? null;
				out.hangupReasonLabel = HANGUP_REASONS[out.hangupReason as number] ?? null;
				out.hangingDirectionLabel = HANGING_DIRECTIONS[out.hangingDirection as number] ?? null;
				const country = typeof out.ccode === 'string' ? COUNTRY.exec(out.ccode.trim()) : null;
				out.countryCode = country ? country[1] : null;
				out.countryName = country?.[2] ?? null;
			},
		},
	);
}

/** The API refuses windows over 93 days (status -76); longer ones are split. */
export const CALL_CENTER_MAX_WINDOW_MS = 93 * DAY_MS;

const agentName = keyField('seatName');

/** What Summarize reports of agent calls (the API documents no charge or cost for them). */
export const callCenterSummary: SummarySpec = {
	figuresText: 'calls, answered, ASR, ACD, total duration, average ring time',
	answered: {
		rule: 'a call with a Called Answer Time (calledAnswerTime)',
		test: (record) => typeof record.calledAnswerTime === 'string' && record.calledAnswerTime !== '',
	},
	duration: numberField('callDuration'),
	ringTime: numberField('ringDuration'),
	dimensions: {
		hangupReason: { description: 'The hang-up reason code (0-9), with its documented meaning (7: called party is busy)', key: keyField('hangupReason'), label: labelField('hangupReasonLabel') },
		sipCode: { description: 'The SIP code the call ended with (hangupCode), with its standard phrase (486: Busy Here)', key: keyField('hangupCode'), label: (record) => sipReasonPhrase(record.hangupCode) },
		country: { description: 'The called country: its calling code, with the country name', key: keyField('countryCode'), label: labelField('countryName') },
		// Answers name the agent by seatName only (seatId is a request filter): an id is the key only where a record carries one.
		agent: {
			description: 'The agent, by name (seatName); by agent ID where a record carries one',
			key: (record) => (typeof record.seatId === 'number' ? record.seatId : agentName(record)),
			label: labelField('seatName'),
		},
		agentGroup: { description: 'The agent group (voiceGroupId), with its name', key: keyField('voiceGroupId'), label: labelField('sipGroupName') },
		callType: { description: 'The call type code (1-3), with its documented meaning', key: keyField('callType'), label: labelField('callTypeLabel') },
		hangupDirection: { description: 'Who hung up: the code (0, 1, 3), with its documented meaning', key: keyField('hangingDirection'), label: labelField('hangingDirectionLabel') },
		...timeDimensions('callStartTime'),
	},
};

/** The agent calls of the account's call center. */
export const callCenterListing = platformListing({
	name: 'Call Center Records',
	endpoint: 'callCenterRecords',
	// The document's table says ISO 8601 but its sample sends "2025-01-08 00:00:00": we send the sample's form.
	timeFormat: 'plain',
	windowParams: (startTime, endTime) => ({ startTime, endTime }),
	maxWindowMs: CALL_CENTER_MAX_WINDOW_MS,
	idField: 'keyId',
	timeField: 'callStartTime',
	parseFilters: parseCallCenterFilters,
	sipFields: ['hangupCode'],
	reasonFields: ['hangupReason', 'hangupReasonLabel'],
	reasonCodes: HANGUP_REASONS,
	reasonAliases: FORMER_HANGUP_REASON_LABELS,
	// voiceUrlList holds every file of the call; voiceUrl is its first, for records without the list.
	recordingUrls: (record) => (Array.isArray(record.voiceUrlList) && record.voiceUrlList.length > 0 ? record.voiceUrlList : recordingField(record.voiceUrl)),
	shape: callCenterRecordShape,
	summary: callCenterSummary,
});
