/** What a benchmark reads back from a stopped n8n: a node's execution time from its saved execution. */
import { createRequire } from 'module';
import { join } from 'path';

/** The node's executionTime in the last saved execution of `workflowId`, from n8n's SQLite database (read once n8n has stopped). */
export async function nodeExecutionMs(modules: string, userFolder: string, workflowId: string, nodeName: string): Promise<number> {
	const require = createRequire(join(modules, 'noop.js'));
	const sqlite3 = require('sqlite3') as { Database: new (file: string, cb: (e: Error | null) => void) => { get: (sql: string, params: unknown[], cb: (e: Error | null, row: { data: string }) => void) => void; close: () => void } };
	const { parse } = require('flatted') as { parse: (text: string) => { resultData: { runData: Record<string, Array<{ executionTime: number }>> } } };
	const db = await new Promise<InstanceType<typeof sqlite3.Database>>((ok, fail) => {
		const handle = new sqlite3.Database(join(userFolder, '.n8n', 'database.sqlite'), (error) => (error ? fail(error) : ok(handle)));
	});
	try {
		const row = await new Promise<{ data: string }>((ok, fail) =>
			db.get('SELECT d.data FROM execution_data d JOIN execution_entity e ON e.id = d.executionId WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1', [workflowId], (error, r) => (error ? fail(error) : ok(r))),
		);
		return parse(row.data).resultData.runData[nodeName][0].executionTime;
	} finally {
		db.close();
	}
}
