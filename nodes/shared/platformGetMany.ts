import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { z } from 'zod';

import { ConcurrencyGate } from '../transport/concurrency';
import type { SendOptions } from '../transport/http';
import { failure } from '../transport/http';
import { InconsistentPagingError, paginate } from '../transport/paginate';
import type { RawRecord } from '../transport/paginate';
import { getPlatformAccount, queryPlatformPage } from '../transport/platformClient';
import type { PlatformEndpoint } from '../transport/platforms';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';
import type { WireTimeFormat } from '../transport/time';
import { ZoneClock, formatForWire } from '../transport/time';
import type { Clocks } from './recordFields';
import { normalizeRecords } from './recordFields';
import type { GetManyInputs } from './getManyInputs';
import { readGetManyInputs } from './getManyInputs';

/** How one signed endpoint is queried and its records shaped. */
export interface PlatformListing {
	endpoint: PlatformEndpoint;
	timeFormat: WireTimeFormat;
	/** The request's `params` for a window already formatted for the wire. */
	params: (start: string, end: string, inputs: GetManyInputs) => IDataObject;
	idField: string;
	recordSchema: (clocks: Clocks) => z.ZodType<IDataObject, z.ZodTypeDef, unknown>;
}

export function pagingError(ctx: IExecuteFunctions, error: InconsistentPagingError, itemIndex: number) {
	return failure(
		ctx,
		{
			message: error.message,
			description:
				'The provider changed or repeated pages while they were read, so the result would be incomplete. Run again; if it persists, narrow the time window and contact the provider.',
		},
		itemIndex,
	);
}

/** Reads one input item's window from a signed endpoint: validated input, all pages, shaped records. */
export async function getManyFromPlatform(
	ctx: IExecuteFunctions,
	itemIndex: number,
	listing: PlatformListing,
	readInputs: (ctx: IExecuteFunctions, itemIndex: number) => GetManyInputs = readGetManyInputs,
): Promise<IDataObject[]> {
	const inputs = readInputs(ctx, itemIndex);
	const account = await getPlatformAccount(ctx, itemIndex);
	const sendOptions: SendOptions = {
		retry: DEFAULT_RETRY_POLICY,
		gate: new ConcurrencyGate(inputs.concurrency),
		itemIndex,
	};
	const params = listing.params(
		formatForWire(inputs.startMs, inputs.timeZone, listing.timeFormat),
		formatForWire(inputs.endMs, inputs.timeZone, listing.timeFormat),
		inputs,
	);
	let records: RawRecord[];
	try {
		records = await paginate<RawRecord>({
			fetchPage: async (current, size) =>
				await queryPlatformPage(ctx, account, listing.endpoint, { current, size, params }, sendOptions),
			idOf: (record) => String(record[listing.idField]),
			limit: inputs.limit,
			concurrency: inputs.concurrency,
		});
	} catch (error) {
		if (error instanceof InconsistentPagingError) throw pagingError(ctx, error, itemIndex);
		throw error;
	}
	if (inputs.rawOutput) return records;
	const clocks: Clocks = { account: account.accountClock, output: new ZoneClock(inputs.timeZone) };
	return normalizeRecords(ctx, records, listing.recordSchema(clocks), listing.idField, itemIndex);
}
