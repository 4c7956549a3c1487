import type { Clocks, FieldConverter, RecordSchema } from '../shared/recordFields';
import { FieldError, recordShape, toCode, toDateTime, toInteger } from '../shared/recordFields';
import { CALL_TYPES, HANGING_DIRECTIONS, HANGUP_REASONS } from './codes';

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

export function callCenterRecordSchema(clocks: Clocks): RecordSchema {
	const dateTime = toDateTime(clocks);
	return recordShape(
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
