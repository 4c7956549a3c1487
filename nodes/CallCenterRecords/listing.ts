import { platformListing } from '../shared/platformListing';
import { recordingField } from '../shared/recordings';
import type { Clocks, FieldConverter, RecordShape } from '../shared/recordShape';
import { FieldError, defineShape, toCode, toDateTime, toInteger } from '../shared/recordShape';
import { DAY_MS } from '../transport/windows';
import { CALL_TYPES, HANGING_DIRECTIONS, HANGUP_REASONS } from './codes';
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
	// voiceUrlList holds every file of the call; voiceUrl is its first, for records without the list.
	recordingUrls: (record) => (Array.isArray(record.voiceUrlList) && record.voiceUrlList.length > 0 ? record.voiceUrlList : recordingField(record.voiceUrl)),
	shape: callCenterRecordShape,
});
