import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../transport/http';

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
			const rows = await fetchForItem(itemIndex);
			const paired = ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(rows), {
				itemData: { item: itemIndex },
			});
			for (const row of paired) out.push(row);
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
