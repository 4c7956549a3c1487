/** The API sandbox in a process of its own (`scripts/sandbox.ts`), as n8n reaches it in the demo and the end-to-end test. */
import { spawn } from 'child_process';
import { join, resolve } from 'path';

import type { SandboxOptions } from '../sandbox/server';

const ROOT = resolve(__dirname, '..', '..');

export interface SandboxProcess {
	url: string;
	stop: () => void;
}

export async function startSandboxProcess(options: SandboxOptions): Promise<SandboxProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'sandbox.ts'), '--config', JSON.stringify(options)], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((ok, fail) => {
		child.stdout.once('data', (chunk: Buffer) => ok(chunk.toString().split('\n')[0].trim()));
		child.once('exit', (code) => fail(new Error(`sandbox exited with ${code}`)));
	});
	return { url, stop: () => child.kill('SIGTERM') };
}
