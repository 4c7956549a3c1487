/**
 * The values a model (or an expression) writes into the fields a tool lets it fill: lists,
 * coded multi-selects, numbers, booleans and times, read by nodes/shared/parameterValues.ts and
 * nodes/transport/time.ts. The nodes' use of them runs through the engine in test/nodes/aiTools.test.ts.
 */
import type { INode } from 'n8n-workflow';

import { HANGING_DIRECTIONS, HANGUP_REASONS } from '../../nodes/CallCenterRecords/codes';
import { checkBoolean, checkNumber, commaList, describeCodes, readCodeList } from '../../nodes/shared/parameterValues';
import type { RequestContext } from '../../nodes/transport/http';
import { parseUserDateTime } from '../../nodes/transport/time';

// A pure helper's context: only getNode, for the error.
const ctx = { getNode: () => ({ name: 'Call Center Records' }) as INode } as unknown as RequestContext;

describe('commaList', () => {
	test.each([
		['7, 8', ['7', '8']],
		['[7,8]', ['7', '8']],
		[' [ "101", 102 ] ', ['101', '102']],
		['["alice","bob"]', ['alice', 'bob']],
		[[7, '8'], ['7', '8']],
		[7, ['7']],
		['', []],
		[undefined, []],
	])('%j reads as %j', (value, list) => {
		expect(commaList(value)).toEqual(list);
	});

	test.each([['[7, 8'], ['[{"a":1}]'], [{ a: 1 }], [Number.NaN], ['[{"a":1}']])('%j is no list', (value) => {
		expect(commaList(value)).toBeUndefined();
	});
});

describe('readCodeList', () => {
	test.each([
		['7, 8', [7, 8]],
		['[7,8]', [7, 8]],
		[[7, 8], [7, 8]],
		[7, [7]],
		['7', [7]],
		['busy', [7]],
		['BUSY', [7]],
		['Called party is busy', [7]],
		['Called party is busy (7)', [7]],
		['call failed, 7', [4, 7]],
		['Transfer successful, hanging up', [3]],
		['Transfer ringing, hung up (2), busy', [2, 7]],
		['7, busy', [7]],
		['["busy", 9]', [7, 9]],
	])('%j is %j', (value, codes) => {
		expect(readCodeList(value, HANGUP_REASONS)).toEqual(codes);
	});

	test('a code or word that names no code is the problem entry, with no candidates', () => {
		expect(readCodeList('7, 42', HANGUP_REASONS)).toEqual({ entry: '42', candidates: [] });
		expect(readCodeList('loud', HANGUP_REASONS)).toEqual({ entry: 'loud', candidates: [] });
	});

	test('a word that fits several labels names them', () => {
		expect(readCodeList('not answered', HANGUP_REASONS)).toEqual({ entry: 'not answered', candidates: [0, 8] });
	});

	test('labels of another code list', () => {
		expect(readCodeList('agent', HANGING_DIRECTIONS)).toEqual([1]);
		expect(readCodeList('customer hung up, none', HANGING_DIRECTIONS)).toEqual([0, 3]);
	});

	test('a value that is no list is undefined', () => {
		expect(readCodeList({ a: 1 }, HANGUP_REASONS)).toBeUndefined();
	});

	test('describeCodes lists every code with its label and gives an example', () => {
		const text = describeCodes(HANGUP_REASONS);
		for (const [code, label] of Object.entries(HANGUP_REASONS)) expect(text).toContain(`${code} (${label})`);
		expect(text).toContain('e.g. "0, 1", [0, 1] or "outgoing call hung up"');
	});
});

describe('numbers and booleans as a model sends them', () => {
	const rule = { label: 'Limit', min: 1, whole: true };
	test('a number written as text is read as the number', () => {
		expect(checkNumber(ctx, '20', rule)).toBe(20);
		expect(checkNumber(ctx, ' 5 ', rule)).toBe(5);
		expect(checkNumber(ctx, 20, rule)).toBe(20);
	});
	test('text that is no number, or out of bounds, fails naming the field', () => {
		expect(() => checkNumber(ctx, 'ten', rule)).toThrow('Limit must be a whole number of at least 1');
		expect(() => checkNumber(ctx, '0', rule)).toThrow('Limit must be a whole number of at least 1');
		expect(() => checkNumber(ctx, '2.5', rule)).toThrow('Limit');
	});
	test('"true" and "false" are booleans; other words fail', () => {
		expect(checkBoolean(ctx, 'true', 'Return All')).toBe(true);
		expect(checkBoolean(ctx, 'FALSE', 'Return All')).toBe(false);
		expect(checkBoolean(ctx, false, 'Return All')).toBe(false);
		expect(() => checkBoolean(ctx, 'yes', 'Return All')).toThrow('Return All must be true or false');
	});
});

describe('times as a model writes them', () => {
	const zone = 'Asia/Shanghai';
	test.each([
		['2024-05-01T00:00:00Z', Date.UTC(2024, 4, 1)],
		['2024-05-01T00:00:00.000Z', Date.UTC(2024, 4, 1)],
		['2024-05-01T08:00:00+08:00', Date.UTC(2024, 4, 1)],
		['2024-05-01T08:00:00+0800', Date.UTC(2024, 4, 1)],
		['2024-05-01T08:00+08:00', Date.UTC(2024, 4, 1)],
		['2024-05-01T08:00:00', Date.UTC(2024, 4, 1)],
		['2024-05-01 08:00:00', Date.UTC(2024, 4, 1)],
		['2024-05-01T08:00', Date.UTC(2024, 4, 1)],
		['2024-05-01', Date.UTC(2024, 3, 30, 16)],
	])('%s is %d', (text, ms) => {
		expect(parseUserDateTime(text, zone)).toBe(ms);
	});
	test.each([['yesterday'], ['05/01/2024'], ['2024-13-01'], [1714521600000]])('%j is no time', (value) => {
		expect(parseUserDateTime(value, zone)).toBeUndefined();
	});
});
