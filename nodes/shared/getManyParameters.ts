import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../transport/errors';
import { ZoneClock, isValidTimeZone, parseUserDateTime } from '../transport/time';
import { DEFAULT_MAX_PARALLEL_REQUESTS, MAX_PARALLEL_REQUESTS } from './getManyFields';
import type { Listing, ListingRead } from './listing';
import { againstHorizon } from './listing';
import { checkBoolean, checkNumber, timeoutMs } from './parameterValues';
import { readRecordingOptions } from './recordings';

/** What every operation reads before its own fields: the time zone and the Options collection. */
export function readTimeZoneAndOptions(ctx: IExecuteFunctions, itemIndex: number): { timeZone: string; options: IDataObject } {
	const timeZone = ctx.getTimezone();
	if (!isValidTimeZone(timeZone)) {
		throw inputError(
			ctx,
			`The workflow's time zone "${timeZone}" is not a time zone`,
			'Set a valid time zone in the workflow settings (or the instance default), e.g. Europe/Berlin.',
			itemIndex,
		);
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (typeof options !== 'object' || options === null) {
		throw inputError(ctx, 'Options must be an object', 'Remove the expression from Options or make it return an object.', itemIndex);
	}
	return { timeZone, options };
}

/** The filters and the request options, which every operation has. */
export function readFiltersAndRequests(
	ctx: IExecuteFunctions,
	itemIndex: number,
	listing: Listing,
	options: IDataObject,
): Pick<ListingRead, 'filters' | 'concurrency' | 'timeoutMs'> {
	const filters = listing.parseFilters?.(ctx, ctx.getNodeParameter('filters', itemIndex, {}), itemIndex) ?? {};
	const concurrency = checkNumber(
		ctx,
		options.maxParallelRequests ?? DEFAULT_MAX_PARALLEL_REQUESTS,
		{ label: 'Max Parallel Requests', min: 1, max: MAX_PARALLEL_REQUESTS, whole: true, fix: `${DEFAULT_MAX_PARALLEL_REQUESTS} suits most accounts.` },
		itemIndex,
	);
	return { filters, concurrency, timeoutMs: timeoutMs(ctx, options.timeoutSeconds, 'Timeout (Seconds)', itemIndex) };
}

/**
 * Reads and checks one input item's Get Many parameters, in the order the editor shows them:
 * the window, Return All and Limit, the filters, the options. Nothing is sent before this passes.
 */
export function readGetManyParameters(ctx: IExecuteFunctions, itemIndex: number, listing: Listing): ListingRead {
	const { timeZone, options } = readTimeZoneAndOptions(ctx, itemIndex);
	const window = readWindow(ctx, itemIndex, listing, timeZone, options.clampToAvailableRange === true);
	const returnAll = checkBoolean(ctx, ctx.getNodeParameter('returnAll', itemIndex, false), 'Return All', itemIndex);
	const limit = returnAll
		? undefined
		: checkNumber(ctx, ctx.getNodeParameter('limit', itemIndex, 50), { label: 'Limit', min: 1, whole: true, fix: 'Set Limit to 1 or more, or turn on Return All.' }, itemIndex);
	return {
		...window,
		limit,
		...readFiltersAndRequests(ctx, itemIndex, listing, options),
		rawOutput: checkBoolean(ctx, options.rawOutput ?? false, 'Raw Output', itemIndex),
		timeZone,
		recordings: readRecordingOptions(ctx, options, listing, '', itemIndex),
	};
}

function readInstant(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string, timeZone: string): number {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === '' || value === null || value === undefined) {
		throw inputError(ctx, `${label} is empty`, `Set ${label} to a date and time, e.g. 2024-01-31T00:00:00.`, itemIndex);
	}
	const ms = parseUserDateTime(value, timeZone);
	if (ms === undefined) {
		throw inputError(
			ctx,
			`${label} "${String(value)}" is not a date and time`,
			`Use ISO 8601 such as 2024-01-31T00:00:00 (read in the workflow's time zone, ${timeZone}) or 2024-01-31T00:00:00+08:00, or pick one with the date picker.`,
			itemIndex,
		);
	}
	return ms;
}

/**
 * Start Time and End Time, in order and within what the API serves. A start older than the
 * listing's horizon fails, naming the earliest one, unless `clamp` moves it there (noted in the
 * output pane).
 */
export function readWindow(ctx: IExecuteFunctions, itemIndex: number, listing: Listing, timeZone: string, clamp: boolean): { startMs: number; endMs: number } {
	const startMs = readInstant(ctx, itemIndex, 'startTime', 'Start Time', timeZone);
	const endMs = readInstant(ctx, itemIndex, 'endTime', 'End Time', timeZone);
	if (endMs <= startMs) {
		throw inputError(
			ctx,
			'End Time must be after Start Time',
			`The window runs from ${new Date(startMs).toISOString()} to ${new Date(endMs).toISOString()}. Swap the two or move End Time later.`,
			itemIndex,
		);
	}
	const horizon = againstHorizon(listing, startMs, endMs, Date.now());
	if (!horizon.tooOld) return { startMs, endMs };
	const { earliestMs, tooOld, span, kept } = horizon;
	const earliest = new ZoneClock(timeZone).toIso(earliestMs);
	if (tooOld === 'whole') {
		throw inputError(
			ctx,
			`The whole time window is older than ${kept}`,
			`The API serves ${listing.name.toLowerCase()} from ${earliest} on. Move End Time (and Start Time) later.`,
			itemIndex,
		);
	}
	if (!clamp) {
		throw inputError(
			ctx,
			`Start Time is older than ${kept}`,
			`The earliest Start Time that can be queried now is ${earliest}. Move Start Time to it or later, or turn on Options → Move an Older Start Into the Last Two Months.`,
			itemIndex,
		);
	}
	ctx.addExecutionHints({
		message: `Start Time was moved to ${earliest}: ${listing.name.toLowerCase()} are kept for ${span} only.`,
		location: 'outputPane',
	});
	return { startMs: earliestMs, endMs };
}
