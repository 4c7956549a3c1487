import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { Clocks } from '../shared/recordFields';
import { apiDateTime, code, integer } from '../shared/recordFields';
import { CALL_TYPES, HANGING_DIRECTIONS, HANGUP_REASONS } from './codes';

/** `calledInfo` is a JSON document inside a string; unreadable text is kept as it came. */
const jsonText = z.unknown().transform((value): IDataObject | unknown => {
	if (typeof value !== 'string' || value.trim() === '') return value ?? null;
	try {
		return JSON.parse(value);
	} catch {
		return value;
	}
});

/** `labelName` is a JSON array in a string ("[]"); a plain comma list is accepted too. */
const labelList = z.unknown().transform((value): string[] => {
	if (Array.isArray(value)) return value.map(String);
	if (typeof value !== 'string' || value.trim() === '') return [];
	try {
		const parsed = JSON.parse(value);
		if (Array.isArray(parsed)) return parsed.map(String);
	} catch {
		// not JSON: a comma list
	}
	return value.split(',').map((s) => s.trim()).filter(Boolean);
});

const COUNTRY = /^\+?(\d+)\s*(?:\((.*)\))?$/;

export function callCenterRecordSchema(clocks: Clocks): z.ZodType<IDataObject, z.ZodTypeDef, unknown> {
	const dateTime = apiDateTime(clocks);
	return z
		.object({
			keyId: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
			callType: code.optional(),
			hangupReason: code.optional(),
			hangingDirection: code.optional(),
			callDuration: integer.optional(),
			ringDuration: integer.optional(),
			voiceGroupId: integer.optional(),
			calledInfo: jsonText.optional(),
			labelName: labelList.optional(),
			ccode: z.string().nullish(),
			callStartTime: dateTime.optional(),
			calledAnswerTime: dateTime.optional(),
			calledHangupTime: dateTime.optional(),
			createTime: dateTime.optional(),
			updateTime: dateTime.optional(),
		})
		.passthrough()
		.transform((record) => {
			const out = { ...record } as IDataObject;
			out.callTypeLabel = CALL_TYPES[record.callType as number] ?? null;
			out.hangupReasonLabel = HANGUP_REASONS[record.hangupReason as number] ?? null;
			out.hangingDirectionLabel = HANGING_DIRECTIONS[record.hangingDirection as number] ?? null;
			const country = typeof record.ccode === 'string' ? COUNTRY.exec(record.ccode.trim()) : null;
			out.countryCode = country ? country[1] : null;
			out.countryName = country?.[2] ?? null;
			return out;
		});
}
