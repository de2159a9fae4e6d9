/**
 * The run is recorded in the evidence store last, after every output is in place: when recording
 * starts its transaction the report files are whole under their names (so a kill -9 there leaves
 * a complete report and no recorded run: the crash test shows an uncommitted run is dropped), and
 * when recording fails the outputs are taken back and earlier files of the same names restored.
 * Through the real pipeline (runReport) with the store's own fault hook.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReport, type ReportRequest } from '../../src/pipeline.js';
import { EvidenceStore } from '../../src/store/store.js';
import { tempDir } from '../cli/commands/history-support.js';
import { ROOT, tempStorePath } from '../history/support.js';

const INPUT = 'test/fixtures/testssl/smtp-good.csv';
const AT = '2026-10-01T09:00:00.000Z';

function request(outDir: string, store: string, onStage?: (stage: string) => void): ReportRequest {
  return {
    inputs: [INPUT], formats: ['json', 'csv'], outDir, strict: false, generatedAt: AT, observedAt: '2026-09-30T09:00:00Z', cwd: ROOT,
    toolVersion: '0.1.0-test', scan: false, store: { path: store, command: ['report'], recordedAt: AT, ...(onStage ? { hooks: { onStage } } : {}) },
  };
}

const runs = (store: string): number => {
  const es = EvidenceStore.open(store, { toolVersion: 'test', mode: 'read' });
  try {
    return es.listRuns().length;
  } finally {
    es.close();
  }
};

describe('recording comes last', () => {
  it('finds every output whole under its name when the store transaction starts', async () => {
    const out = await tempDir();
    const store = await tempStorePath();
    const seen: string[][] = [];
    const outcome = await runReport(request(out, store, (stage) => {
      if (stage !== 'prepared') return;
      seen.push(readdirSync(out).sort());
      // Whole: the JSON parses and is the model this run renders.
      expect((JSON.parse(readFileSync(join(out, 'tlsproof-2026-10-01.json'), 'utf8')) as { report: { generatedAt: string } }).report.generatedAt).toBe(AT);
    }));
    expect(seen).toEqual([['tlsproof-2026-10-01-controls.csv', 'tlsproof-2026-10-01-findings.csv', 'tlsproof-2026-10-01.json']]);
    expect(outcome.runSeq).toBe(1);
    expect(runs(store)).toBe(1);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('takes the outputs back, and restores the earlier files, when recording fails', async () => {
    const out = await tempDir();
    const store = await tempStorePath();
    await runReport(request(join(out, 'first'), store));
    writeFileSync(join(out, 'tlsproof-2026-10-01.json'), '{"earlier":true}');
    await expect(runReport(request(out, store, (stage) => {
      if (stage === 'before-commit') throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    }))).rejects.toThrow(/database or disk is full/);
    expect(readdirSync(out).sort()).toEqual(['first', 'tlsproof-2026-10-01.json']);
    expect(readFileSync(join(out, 'tlsproof-2026-10-01.json'), 'utf8')).toBe('{"earlier":true}');
    expect(existsSync(join(out, 'tlsproof-2026-10-01-findings.csv'))).toBe(false);
    expect(runs(store)).toBe(1);
  });
});
