/**
 * Download Recordings with n8n's filesystem binary mode: memory stays flat over 500+ recordings
 * of 1 MB, because each file goes from the socket to disk as a stream. The sandbox runs in its
 * own process, so only the node's memory is measured here.
 */
import { Container } from '@n8n/di';
import { mkdtempSync, rmSync } from 'fs';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import { tmpdir } from 'os';
import { join } from 'path';

import { startSandboxProcess } from '../e2e/sandboxProcess';
import type { SandboxProcess } from '../e2e/sandboxProcess';
import { ACCOUNT_TIME_ZONE, SANDBOX_RECORDING_HOSTS } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import { recordingBytes, sha256 } from '../sandbox/recordings';
import { DEMO_ACCOUNT } from '../sandbox/server';

const MB = 1_048_576;
let sandbox: SandboxProcess;
let storage: string;

beforeAll(async () => {
	storage = mkdtempSync(join(tmpdir(), 'n8n-binary-'));
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = storage;
	await Container.get(BinaryDataService).init();
	sandbox = await startSandboxProcess({
		seed: 3,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 2_600, from: '2024-03-01T00:00:00Z', to: '2024-03-02T00:00:00Z' },
		recordingBytes: MB,
	});
}, 60_000);
afterAll(() => {
	sandbox?.stop();
	rmSync(storage, { recursive: true, force: true });
});

test('500+ recordings of 1 MB: memory stays flat and every file is on disk, byte-identical', async () => {
	// The heap and what lives outside it (buffers, and the large strings base64 makes), and the
	// process's resident memory: each sampled every 20 ms against where they started.
	const heapAndExternal = () => {
		const { heapUsed, external } = process.memoryUsage();
		return heapUsed + external;
	};
	const start = { memory: heapAndExternal(), rss: process.memoryUsage.rss() };
	let peak = 0;
	let rssPeak = 0;
	const sampler = setInterval(() => {
		peak = Math.max(peak, heapAndExternal() - start.memory);
		rssPeak = Math.max(rssPeak, process.memoryUsage.rss() - start.rss);
	}, 20);
	const result = await runNode({
		type: 'numberRecords',
		parameters: {
			operation: 'getMany',
			startTime: '2024-03-01T00:00:00Z',
			endTime: '2024-03-02T00:00:00Z',
			returnAll: true,
			options: { downloadRecordings: true, maxParallelRequests: 16 },
		},
		credentials: {
			callRecordsApi: { platform: 'custom', baseUrl: sandbox.url, pathStyle: 'legacy', apiKey: DEMO_ACCOUNT.apiKey, apiSecret: DEMO_ACCOUNT.apiSecret, timeZone: ACCOUNT_TIME_ZONE, ...SANDBOX_RECORDING_HOSTS },
		},
	});
	clearInterval(sampler);
	expect(result.error).toBeUndefined();
	const recorded = result.items.filter((item) => item.binary?.recording);
	expect(recorded.length).toBeGreaterThanOrEqual(500);
	expect(recorded.length).toBe(result.items.filter((item) => item.json.recordingFileUrl !== '').length);
	const total = recorded.reduce((sum, item) => sum + (item.binary!.recording.bytes ?? 0), 0);
	// Over 500 MB of audio went through; the heap and buffers grew by a small fraction of it.
	expect(total).toBeGreaterThanOrEqual(500 * MB);
	console.log(
		`${recorded.length} recordings, ${Math.round(total / MB)} MB in all; peaks over the start: heap + external ${Math.round(peak / MB)} MB, RSS ${Math.round(rssPeak / MB)} MB`,
	);
	expect(peak).toBeLessThan(100 * MB);
	expect(rssPeak).toBeLessThan(150 * MB);

	const service = Container.get(BinaryDataService);
	for (const item of recorded) {
		const binary = item.binary!.recording;
		expect(binary.id).toMatch(/^filesystem/);
		const path = new URL(String(item.json.recordingFileUrl)).pathname.slice(1);
		expect(sha256(await service.getAsBuffer(binary))).toBe(sha256(recordingBytes(path, MB)));
	}
}, 180_000);
