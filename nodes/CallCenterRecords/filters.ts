import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { commaList, explainCodeList, readCodeList } from '../shared/parameterValues';
import { inputError } from '../transport/errors';
import type { RequestContext } from '../transport/http';
import { CALL_TYPES, HANGING_DIRECTIONS, HANGUP_REASONS, codeOptions } from './codes';

/** The documented filters of the call-center endpoint, as n8n fields. */
export function callCenterFilterFields(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: { show },
		options: [
			// Text, not a number field: a number field's default (0) would be sent as soon as the filter is added.
			{ displayName: 'Agent Group ID', name: 'voiceGroupId', type: 'string', default: '', placeholder: '15', description: 'The agent group (voiceGroupId) to return calls of' },
			{ displayName: 'Agent Group Name', name: 'sipGroupName', type: 'string', default: '', description: 'The agent group name to return calls of' },
			{ displayName: 'Agent IDs', name: 'seatIds', type: 'string', default: '', placeholder: '101, 102', description: 'Comma-separated agent IDs' },
			{ displayName: 'Agent Names', name: 'seatNames', type: 'string', default: '', placeholder: 'alice, bob', description: 'Comma-separated agent names' },
			{ displayName: 'Call Types', name: 'callTypes', type: 'multiOptions', options: codeOptions(CALL_TYPES), default: [] },
			{ displayName: 'Called or Calling Number', name: 'calledOrCaller', type: 'string', default: '', description: 'Only calls from or to this number' },
			{ displayName: 'Country Codes', name: 'countryCodes', type: 'string', default: '', placeholder: '86, 91', description: 'Comma-separated calling codes of the called countries' },
			{ displayName: 'Hang-Up Directions', name: 'hangingDirections', type: 'multiOptions', options: codeOptions(HANGING_DIRECTIONS), default: [] },
			{ displayName: 'Hang-Up Reasons', name: 'hangupReasons', type: 'multiOptions', options: codeOptions(HANGUP_REASONS), default: [] },
			{ displayName: 'Tag Names', name: 'tagNames', type: 'string', default: '', placeholder: 'vip, callback', description: 'Comma-separated tag names; calls with any of them' },
		],
	};
}

/** Names the invalid filter and its fix. */
type Invalid = (field: string, fix: string, got: unknown) => Error;

/** A list given as an array or a comma-separated string; [] when empty. */
function readList(value: unknown, field: string, fail: Invalid): string[] {
	const list = commaList(value);
	if (list === undefined) throw fail(field, 'Use a comma-separated list or an array of values.', value);
	return list;
}

function readIntegers(value: unknown, field: string, fail: Invalid): number[] {
	return readList(value, field, fail).map((text) => {
		if (!/^-?\d+$/.test(text)) throw fail(field, 'Use whole numbers, e.g. "101, 102" or [101, 102].', value);
		return Number(text);
	});
}

/** A coded multi-select: codes or labels (see readCodeList); a wrong entry is named with every accepted value. */
function readCodes(value: unknown, field: string, fail: Invalid, codes: Record<number, string>): number[] {
	const read = readCodeList(value, codes);
	if (Array.isArray(read)) return read;
	throw fail(field, explainCodeList(read, codes), value);
}

/** Turns the Filters collection into the endpoint's `params` fields, checking types first. */
export function parseCallCenterFilters(ctx: RequestContext, value: unknown, itemIndex: number): IDataObject {
	const filters = value as IDataObject;
	const fail: Invalid = (field, fix, got) => inputError(ctx, `Filters → ${field} has an invalid value`, `Got ${JSON.stringify(got)}. ${fix}`, itemIndex);
	if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
		throw fail('Filters', 'Remove the expression or make it return an object.', filters);
	}
	const params: IDataObject = {};
	if (filters.voiceGroupId !== undefined && filters.voiceGroupId !== '') {
		const id = Number(filters.voiceGroupId);
		if (!Number.isInteger(id) || String(filters.voiceGroupId).trim() === '') throw fail('Agent Group ID', 'Use a whole number, e.g. 15.', filters.voiceGroupId);
		params.voiceGroupId = id;
	}
	for (const [key, param, label] of [
		['sipGroupName', 'sipGroupName', 'Agent Group Name'],
		['calledOrCaller', 'calledOrCaller', 'Called or Calling Number'],
	] as const) {
		const value = filters[key];
		if (value === undefined || value === '') continue;
		if (typeof value !== 'string' && typeof value !== 'number') throw fail(label, 'Use text.', value);
		params[param] = String(value).trim();
	}
	const lists: Array<[string, string, () => unknown[]]> = [
		['seatId', 'Agent IDs', () => readIntegers(filters.seatIds, 'Agent IDs', fail)],
		['seatNameList', 'Agent Names', () => readList(filters.seatNames, 'Agent Names', fail)],
		['callType', 'Call Types', () => readCodes(filters.callTypes, 'Call Types', fail, CALL_TYPES)],
		['hangupReason', 'Hang-Up Reasons', () => readCodes(filters.hangupReasons, 'Hang-Up Reasons', fail, HANGUP_REASONS)],
		['hangingDirection', 'Hang-Up Directions', () => readCodes(filters.hangingDirections, 'Hang-Up Directions', fail, HANGING_DIRECTIONS)],
		['ccode', 'Country Codes', () => readList(filters.countryCodes, 'Country Codes', fail).map((c) => c.replace(/^\+/, ''))],
		['labelNames', 'Tag Names', () => readList(filters.tagNames, 'Tag Names', fail)],
	];
	for (const [param, , read] of lists) {
		const values = read();
		if (values.length > 0) params[param] = values as IDataObject[keyof IDataObject];
	}
	if (Array.isArray(params.ccode) && (params.ccode as string[]).some((c) => !/^\d{1,4}$/.test(c))) {
		throw fail('Country Codes', 'Use calling codes, e.g. "86, 91" or [86, 91].', filters.countryCodes);
	}
	return params;
}
