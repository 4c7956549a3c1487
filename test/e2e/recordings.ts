/**
 * Download Recordings in real n8n, whichever store n8n keeps binary data in: inline (n8n 1.x's
 * default in-memory mode), on disk (`filesystem`, the default of n8n 2.x outside queue mode and
 * the only local mode n8n 3.0 keeps) or in the database (queue mode's default). Every recording
 * must come out once, as its own binary, with the sandbox's very bytes.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { sandboxControl } from '../sandbox/control';
import { recordingBytes, sha256 } from '../sandbox/recordings';
import { attempt } from './checks';
import type { Result } from './checks';
import type { BinaryMeta, N8nInstance } from './n8nInstance';
import { READ_NODES, lastDays, recordWorkflow } from './workflows';

/** n8n's binary-data setting for the 2.x instances of the e2e: on disk, as n8n 3.0 stores binaries. */
export const BINARY_DATA_ON_DISK = { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' };

export interface RecordingItem {
	json: Record<string, unknown>;
	binary?: Record<string, BinaryMeta>;
}

/** The bytes behind a binary: inline base64, or read from n8n's store by the reference it holds. */
export type BinaryBytes = (binary: BinaryMeta) => Promise<Buffer>;

/**
 * Checks call-center records with Download Recordings on: one binary per path of `voiceUrlList`
 * (`recording`, `recording_1`, …), audio/wav, each with the sandbox's bytes, no store reference
 * used twice. `storedAs` is what `binary.data` must say ('inline' for base64 in the run data).
 */
export async function checkRecordings(items: RecordingItem[], size: number, storedAs: string, bytesOf: BinaryBytes): Promise<{ files: number; references: string[] }> {
	let files = 0;
	const references: string[] = [];
	for (const item of items) {
		const paths = (item.json.voiceUrlList as string[] | undefined) ?? [];
		const binaries = Object.values(item.binary ?? {});
		if (binaries.length !== paths.length) throw new Error(`record ${String(item.json.keyId)}: ${binaries.length} files for ${paths.length} recordings`);
		for (const [n, path] of paths.entries()) {
			const binary = item.binary![n === 0 ? 'recording' : `recording_${n}`];
			if (binary?.mimeType !== 'audio/wav') throw new Error(`${path}: MIME type ${String(binary?.mimeType)}`);
			const kept = binary.id ? String(binary.data) : 'inline';
			if (kept !== storedAs) throw new Error(`${path}: kept ${kept}, expected ${storedAs}`);
			if (binary.id) references.push(binary.id);
			const bytes = await bytesOf(binary);
			if (bytes.length !== size) throw new Error(`${path}: ${bytes.length} bytes, expected ${size}`);
			if (sha256(bytes) !== sha256(recordingBytes(path, size))) throw new Error(`${path}: bytes differ from the sandbox's`);
			files++;
		}
	}
	if (files === 0) throw new Error('no recordings downloaded');
	if (new Set(references).size !== references.length) throw new Error(`${references.length - new Set(references).size} store references used by more than one file`);
	return { files, references };
}

/**
 * Reads a binary as `n8n execute` prints it: inline, or from the filesystem store under the
 * instance's n8n folder (`<folder>/storage/<file id>` in 2.x, the path n8n 3.0 keeps).
 */
export function fromInstance(n8n: N8nInstance): BinaryBytes {
	return async (binary) => {
		if (!binary.id) return Buffer.from(String(binary.data), 'base64');
		const [mode, fileId] = binary.id.split(':');
		if (mode !== 'filesystem-v2') throw new Error(`a ${mode} reference: this check reads only the filesystem store`);
		return readFileSync(join(n8n.userFolder, '.n8n', 'storage', fileId));
	};
}

/**
 * Call Center Records with Download Recordings over 20 days, run with `n8n execute`: in n8n 2.x
 * with binary data on disk (every file a reference to it, read back byte for byte), in 1.x in its
 * default in-memory mode (the bytes inline).
 */
export async function recordings(n8n: N8nInstance, sandboxUrl: string): Promise<Result> {
	const id = 'e2erecordings01';
	const storedAs = n8n.env.N8N_DEFAULT_BINARY_DATA_MODE === 'filesystem' ? 'filesystem-v2' : 'inline';
	n8n.importWorkflows([recordWorkflow(id, 'E2E Call Center Records with recordings', 'callCenterRecords', { ...lastDays(20), options: { downloadRecordings: true } })]);
	return await attempt(`Call Center Records with Download Recordings (binary data ${storedAs === 'inline' ? 'in memory' : 'on disk'})`, async () => {
		const task = n8n.execute(id)[READ_NODES.callCenterRecords.displayName]?.[0];
		if (!task || task.error || !task.data) throw new Error(task?.error?.message ?? 'the node did not run');
		const { size } = await sandboxControl<{ size: number }>(sandboxUrl, 'recordings');
		const items = task.data.main[0];
		const { files } = await checkRecordings(items, size, storedAs, fromInstance(n8n));
		const where = storedAs === 'inline' ? 'inline in the run data' : `each a file under ${n8n.userFolder.split('/').slice(-2).join('/')}/.n8n/storage`;
		return `${files} recordings on ${items.length} records, audio/wav, ${size} bytes each, ${where}, every one the sandbox's bytes`;
	});
}
