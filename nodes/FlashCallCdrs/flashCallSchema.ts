import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { Clocks } from '../shared/recordFields';
import { apiDateTime, decimal } from '../shared/recordFields';

/** A flash-call CDR shaped for workflows: price as a number, times as ISO 8601; callStatus kept as sent. */
export function flashCallSchema(clocks: Clocks): z.ZodType<IDataObject, z.ZodTypeDef, unknown> {
	const dateTime = apiDateTime(clocks);
	return z
		.object({
			id: z.union([z.number(), z.string().min(1)]),
			price: decimal.optional(),
			gmtCreate: dateTime.optional(),
			gmtModified: dateTime.optional(),
			callStartAt: dateTime.optional(),
			callEndAt: dateTime.optional(),
			callbackAt: dateTime.optional(),
		})
		.passthrough() as unknown as z.ZodType<IDataObject, z.ZodTypeDef, unknown>;
}
