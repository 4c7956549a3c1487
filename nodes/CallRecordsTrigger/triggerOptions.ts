import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { Listing, ListingRead } from '../shared/listing';
import { againstHorizon } from '../shared/listing';
import { checkNumber, timeoutMs } from '../shared/parameterValues';
import { DEFAULT_MAX_PARALLEL_REQUESTS } from '../shared/getManyFields';
import { readRecordingOptions } from '../shared/recordings';
import { inputError } from '../transport/errors';
import { isValidTimeZone, parseUserDateTime } from '../transport/time';
import { emitFilter } from './emitFilter';
import type { PollSettings } from './pollState';
import type { SourceId } from './sources';
import { SOURCES } from './sources';

/** The trigger's parameters, read and checked before anything is sent. */
export interface TriggerOptions {
	sourceId: SourceId;
	listing: Listing;
	settings: PollSettings;
	/** Every read of a poll asks for this, with its own window. */
	read: Omit<ListingRead, 'startMs' | 'endMs' | 'limit'>;
	/** Which new records are emitted (Only SIP Codes, Only Hang-Up Reasons). */
	matches: (record: IDataObject) => boolean;
	/** Options → Backfill From as set: read by readBackfillFrom on a first activation only. */
	backfillFrom?: unknown;
	timeZone: string;
}

export const DEFAULT_LONG_CALL_HOURS = 6;

const option = (label: string) => `Options → ${label}`;

export function readTriggerOptions(ctx: IPollFunctions): TriggerOptions {
	const sourceId = ctx.getNodeParameter('source') as SourceId;
	const listing: Listing | undefined = SOURCES[sourceId];
	if (!listing) throw inputError(ctx, `Unknown Source "${String(sourceId)}"`, 'Choose one of the listed sources.');
	const timeZone = ctx.getTimezone();
	if (!isValidTimeZone(timeZone)) {
		throw inputError(ctx, `The workflow's time zone "${timeZone}" is not a time zone`, 'Set a valid time zone in the workflow settings.');
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const settings: PollSettings = {
		lookBackMs: checkNumber(ctx, options.lookBackMinutes ?? 15, { label: option('Look-Back (Minutes)'), min: 0 }) * 60_000,
		settleMs: checkNumber(ctx, options.settleSeconds ?? 60, { label: option('Settle Delay (Seconds)'), min: 0 }) * 1000,
		maxPerPoll: Math.floor(checkNumber(ctx, options.maxPerPoll ?? 1000, { label: option('Max Records per Poll'), min: 1 })),
		longLookBackMs: checkNumber(ctx, options.longCallHours ?? DEFAULT_LONG_CALL_HOURS, { label: option('Long-Call Look-Back (Hours)'), min: 0 }) * 3_600_000,
	};
	const filters = listing.parseFilters?.(ctx, ctx.getNodeParameter('filters', {}), 0) ?? {};
	return {
		sourceId,
		listing,
		settings,
		read: {
			filters,
			rawOutput: false,
			markBadRecords: true,
			timeZone,
			concurrency: DEFAULT_MAX_PARALLEL_REQUESTS,
			timeoutMs: timeoutMs(ctx, options.timeoutSeconds, option('Timeout (Seconds)')),
			recordings: readRecordingOptions(ctx, options, listing, option('')),
		},
		matches: emitFilter(ctx, listing, options),
		backfillFrom: options.backfillFrom,
		timeZone,
	};
}

/** Options → Backfill From as epoch ms; undefined when not set. It must lie within what the API serves. */
export function readBackfillFrom(ctx: IPollFunctions, trigger: TriggerOptions, nowMs: number): number | undefined {
	if (!trigger.backfillFrom) return undefined;
	const backfillMs = parseUserDateTime(trigger.backfillFrom, trigger.timeZone);
	if (backfillMs === undefined) {
		throw inputError(
			ctx,
			`${option('Backfill From')} "${String(trigger.backfillFrom)}" is not a date and time`,
			'Use ISO 8601 such as 2024-01-31T00:00:00, or pick one with the date picker.',
		);
	}
	const horizon = againstHorizon(trigger.listing, backfillMs, nowMs, nowMs);
	if (horizon.tooOld) {
		throw inputError(ctx, `${option('Backfill From')} is older than ${horizon.kept}`, `Use ${new Date(horizon.earliestMs).toISOString()} or later.`);
	}
	return backfillMs;
}
