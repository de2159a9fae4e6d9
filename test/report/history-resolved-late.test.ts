/**
 * A finding resolved after its deadline is not overdue: both renderers say it was fixed late,
 * without the failing colour, while open overdue findings keep theirs. Real PDF read back with
 * pdftotext; the factory's history has RC4 resolved 81 days after its due date and a hostname
 * mismatch still open 172 days past its own.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/report/pdf/render.js';
import { makeReportModel } from '../support/model-factory.js';
import { lacks } from '../support/tools.js';

describe.skipIf(lacks('pdftotext'))('resolved findings fixed after their deadline (PDF)', () => {
  it('read "fixed N d late", and only open findings read "overdue"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-resolved-late-'));
    try {
      const file = join(dir, 'history.pdf');
      await writeFile(file, await renderPdf(makeReportModel({ history: true })));
      const { stdout } = await promisify(execFile)('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const text = stdout.replace(/\s+/g, ' ');
      expect(text).toContain('fixed 81 d late');
      expect(text).not.toContain('81 d overdue');
      expect(text).toContain('172 d overdue');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
