import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ConcurrencyGate } from '../transport/concurrency';
import type { SendOptions } from '../transport/http';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';
import { isValidTimeZone, parseUserDateTime } from '../transport/time';
import { DEFAULT_MAX_PARALLEL_REQUESTS, MAX_PARALLEL_REQUESTS } from './getManyFields';

export interface GetManyInputs {
	startMs: number;
	endMs: number;
	/** Undefined with Return All. */
	limit?: number;
	concurrency: number;
	/** Per attempt; undefined: the transport's default. */
	timeoutMs?: number;
	rawOutput: boolean;
	/** The workflow's time zone: how offset-less inputs are read and outputs are written. */
	timeZone: string;
	options: IDataObject;
}

/** The checks every Get Many node makes on one input item, then its listing's own filters. */
export function readListingInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	readQuery?: (ctx: IExecuteFunctions, itemIndex: number) => IDataObject,
	readInputs: (ctx: IExecuteFunctions, itemIndex: number) => GetManyInputs = readGetManyInputs,
): { inputs: GetManyInputs; query: IDataObject } {
	const inputs = readInputs(ctx, itemIndex);
	return { inputs, query: readQuery?.(ctx, itemIndex) ?? {} };
}

function inputError(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string) {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

function readInstant(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string, timeZone: string): number {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === '' || value === null || value === undefined) {
		throw inputError(ctx, itemIndex, `${label} is empty`, `Set ${label} to a date and time, e.g. 2024-01-31T00:00:00.`);
	}
	const ms = parseUserDateTime(value, timeZone);
	if (ms === undefined) {
		throw inputError(
			ctx,
			itemIndex,
			`${label} "${String(value)}" is not a date and time`,
			`Use ISO 8601 such as 2024-01-31T00:00:00 (read in the workflow's time zone, ${timeZone}) or 2024-01-31T00:00:00+08:00, or pick one with the date picker.`,
		);
	}
	return ms;
}

/** Reads and checks the fields every Get Many operation shares; nothing is sent before this passes. */
export function readGetManyInputs(ctx: IExecuteFunctions, itemIndex: number): GetManyInputs {
	const timeZone = ctx.getTimezone();
	if (!isValidTimeZone(timeZone)) {
		throw inputError(
			ctx,
			itemIndex,
			`The workflow's time zone "${timeZone}" is not a time zone`,
			'Set a valid time zone in the workflow settings (or the instance default), e.g. Europe/Berlin.',
		);
	}
	const startMs = readInstant(ctx, itemIndex, 'startTime', 'Start Time', timeZone);
	const endMs = readInstant(ctx, itemIndex, 'endTime', 'End Time', timeZone);
	if (endMs <= startMs) {
		throw inputError(
			ctx,
			itemIndex,
			'End Time must be after Start Time',
			`The window runs from ${new Date(startMs).toISOString()} to ${new Date(endMs).toISOString()}. Swap the two or move End Time later.`,
		);
	}

	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as unknown;
	if (typeof returnAll !== 'boolean') {
		throw inputError(ctx, itemIndex, 'Return All must be true or false', `Got "${String(returnAll)}". Use a boolean.`);
	}
	let limit: number | undefined;
	if (!returnAll) {
		const value = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
		if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
			throw inputError(ctx, itemIndex, `Limit must be a whole number of at least 1`, `Got "${String(value)}". Set Limit to 1 or more, or turn on Return All.`);
		}
		limit = value;
	}

	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (typeof options !== 'object' || options === null) {
		throw inputError(ctx, itemIndex, 'Options must be an object', 'Remove the expression from Options or make it return an object.');
	}
	const concurrency = options.maxParallelRequests ?? DEFAULT_MAX_PARALLEL_REQUESTS;
	if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_PARALLEL_REQUESTS) {
		throw inputError(
			ctx,
			itemIndex,
			`Max Parallel Requests must be a whole number from 1 to ${MAX_PARALLEL_REQUESTS}`,
			`Got "${String(concurrency)}". ${DEFAULT_MAX_PARALLEL_REQUESTS} suits most accounts.`,
		);
	}
	const rawOutput = options.rawOutput ?? false;
	if (typeof rawOutput !== 'boolean') {
		throw inputError(ctx, itemIndex, 'Raw Output must be true or false', `Got "${String(rawOutput)}". Use a boolean.`);
	}
	const timeout = options.timeoutSeconds ?? 60;
	if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
		throw inputError(ctx, itemIndex, 'Timeout (Seconds) must be a positive number', `Got "${String(timeout)}". 60 suits most accounts.`);
	}
	return { startMs, endMs, limit, concurrency, timeoutMs: timeout * 1000, rawOutput, timeZone, options };
}

/** Request options for one read: one gate bounds all its parallel parts; retries and time-out as set. */
export function sendOptionsFor(inputs: GetManyInputs, itemIndex: number): SendOptions & { gate: ConcurrencyGate } {
	return { retry: DEFAULT_RETRY_POLICY, gate: new ConcurrencyGate(inputs.concurrency), timeoutMs: inputs.timeoutMs, itemIndex };
}
