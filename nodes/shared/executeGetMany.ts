import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { toNodeError } from '../transport/errors';
import { readGetManyParameters } from './getManyParameters';
import type { Listing } from './listing';
import { readRecords } from './listing';

/**
 * Records as output items, each record the item's `json` whatever fields it has. Not through
 * returnJsonArray: it takes a record with a truthy `json` field for an item and drops the rest of
 * the record; and with constructExecutionMetaData it copies every item twice. The paired item is
 * shared by the items, as constructExecutionMetaData shares it.
 */
export function asItems(records: IDataObject[], pairedItem?: IPairedItemData): INodeExecutionData[] {
	return pairedItem ? records.map((json) => ({ json, pairedItem })) : records.map((json) => ({ json }));
}

/**
 * The item loop of a Get Many operation: one query per input item, outputs paired to their
 * item, and Continue On Fail turning a failed item into an error item instead of stopping.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	fetchForItem: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			for (const item of asItems(await fetchForItem(itemIndex), { item: itemIndex })) out.push(item);
		} catch (error) {
			if (!ctx.continueOnFail()) throw toNodeError(ctx, error, itemIndex);
			out.push({
				json: { error: error.message, ...(error.description ? { errorDescription: error.description } : {}) },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [out];
}

/** A Get Many node's whole `execute`: per input item, read its parameters, then the records. */
export async function executeGetMany(ctx: IExecuteFunctions, listing: Listing): Promise<INodeExecutionData[][]> {
	return await runPerItem(ctx, async (itemIndex) => {
		const read = readGetManyParameters(ctx, itemIndex, listing);
		return await readRecords(ctx, itemIndex, listing, read);
	});
}
