import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../transport/errors';
import { readGetManyParameters } from './getManyParameters';
import { toItems } from './items';
import type { Listing } from './listing';
import { readRecords } from './listing';
import { explainedForModel, readMaxAnswerCharacters, runsAsTool, toolAnswer } from './toolAnswer';

/**
 * The item loop of a Get Many operation: one query per input item (its items already paired to
 * it), and Continue On Fail turning a failed item into an error item instead of stopping.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	fetchForItem: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			for (const item of await fetchForItem(itemIndex)) out.push(item);
		} catch (error) {
			if (!ctx.continueOnFail()) throw explainedForModel(ctx, toNodeError(ctx, error, itemIndex));
			out.push({
				json: { error: error.message, ...(error.description ? { errorDescription: error.description } : {}) },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [out];
}

/**
 * Says in the output pane when Limit left records of the window out: "50 of 3,120 records" ("of at
 * least" when parts of a split window went unread), or, where the API gives no count, that the
 * window may hold more. Releases without execution hints (addExecutionHints) just show the records.
 */
function hintWhenLimited(ctx: IExecuteFunctions, itemIndex: number, limit: number | undefined, returned: number, total: { count: number; partial: boolean } | undefined): void {
	if (limit === undefined || returned < limit || (total !== undefined && !total.partial && total.count <= returned)) return;
	if (typeof ctx.addExecutionHints !== 'function') return;
	const item = ctx.getInputData().length > 1 ? `Item ${itemIndex + 1}: ` : '';
	const known = total && total.count > returned ? total : undefined;
	const of = known && `${known.partial ? 'at least ' : ''}${known.count.toLocaleString('en-US')}`;
	const count = of === undefined ? `${returned} records returned (Limit); the window may hold more.` : `${returned} of ${of} records returned (Limit).`;
	ctx.addExecutionHints({ message: `${item}${count} Turn on Return All to get every record of the window.`, location: 'outputPane' });
}

/**
 * A Get Many node's whole `execute`: per input item, read its parameters, then the records. As a
 * tool, one answer per item instead (see toolAnswer.ts), without recordings, which n8n does not
 * hand a model.
 */
export async function executeGetMany(ctx: IExecuteFunctions, listing: Listing): Promise<INodeExecutionData[][]> {
	const asTool = runsAsTool(ctx);
	return await runPerItem(ctx, async (itemIndex) => {
		const read = readGetManyParameters(ctx, itemIndex, listing);
		if (!asTool) {
			// The hint counts the windows read; it asks for no page the Limit did not need.
			let total: { count: number; partial: boolean } | undefined;
			const records = await readRecords(ctx, itemIndex, listing, { ...read, onTotal: (count, partial) => (total = { count, partial }) });
			hintWhenLimited(ctx, itemIndex, read.limit, records.length, total);
			return await toItems(ctx, itemIndex, listing, records, read, { item: itemIndex });
		}
		const maxCharacters = readMaxAnswerCharacters(ctx, itemIndex);
		let total: number | undefined;
		const records = await readRecords(ctx, itemIndex, listing, { ...read, recordings: undefined, countUnread: true, onTotal: (count) => (total = count) });
		const answer = toolAnswer(records, { listing, startMs: read.startMs, endMs: read.endMs, timeZone: read.timeZone, limit: read.limit, total, maxCharacters });
		return [{ json: answer, pairedItem: { item: itemIndex } }];
	});
}
