// n8n-core keeps an encryption key under the user folder on first use: keep it out of $HOME.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-call-records-test-'));
