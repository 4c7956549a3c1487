import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { RequestContext } from '../transport/http';
import type { Listing } from './listing';
import type { DownloadRead } from './recordings';
import { attachRecordings } from './recordings';

/**
 * Records as output items, each record the item's `json` whatever fields it has, with its
 * recordings as binary data when the read asks for them. Not through returnJsonArray: it takes a
 * record with a truthy `json` field for an item and drops the rest of the record; and with
 * constructExecutionMetaData it copies every item twice. The paired item is shared by the items,
 * as constructExecutionMetaData shares it.
 */
export async function toItems(
	ctx: RequestContext,
	itemIndex: number,
	listing: Listing,
	records: IDataObject[],
	read: DownloadRead,
	pairedItem?: IPairedItemData,
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = pairedItem ? records.map((json) => ({ json, pairedItem })) : records.map((json) => ({ json }));
	if (read.recordings && items.length > 0) await attachRecordings(ctx, itemIndex, listing, items, read);
	return items;
}
