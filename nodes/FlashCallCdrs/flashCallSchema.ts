import type { Clocks, FieldConverter, RecordSchema } from '../shared/recordFields';
import { FieldError, recordShape, toDateTime, toDecimal } from '../shared/recordFields';

const rowId: FieldConverter = (value) => {
	if ((typeof value === 'string' && value !== '') || typeof value === 'number') return value;
	throw new FieldError('expected a row id');
};

/** A flash-call CDR shaped for workflows: price as a number, times as ISO 8601; callStatus kept as sent. */
export function flashCallSchema(clocks: Clocks): RecordSchema {
	const dateTime = toDateTime(clocks);
	return recordShape(
		{
			id: rowId,
			price: toDecimal,
			gmtCreate: dateTime,
			gmtModified: dateTime,
			callStartAt: dateTime,
			callEndAt: dateTime,
			callbackAt: dateTime,
		},
		{ required: ['id'] },
	);
}
