/**
 * Appendix A, input problems: every input row or value tlsproof could not use, with
 * file:line:column, the problem code, the reason and what happened to the data.
 */
import type { InputProblem } from '../../../model/problem.js';
import type { PdfContext } from '../context.js';
import { num } from '../format.js';
import { COLOR } from '../layout.js';
import { location, mono, muted } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';

import { METHODOLOGY_DEST } from './methodology.js';

export const PROBLEMS_DEST = 'sec-problems';

const EFFECT: Readonly<Record<InputProblem['effect'], { text: string; color: string }>> = {
  'row-skipped': { text: 'row skipped', color: '#b42318' },
  'value-ignored': { text: 'value ignored', color: '#a15c07' },
  'file-skipped': { text: 'file skipped', color: '#7a0916' },
};

export function drawProblems(ctx: PdfContext): void {
  const problems = ctx.model.problems;
  ctx.sectionHeading('Input problems', { dest: PROBLEMS_DEST });
  if (problems.length === 0) {
    ctx.paragraph('None: every row of every input file was used.');
    return;
  }
  ctx.paragraph(`${num(problems.length)} problem${problems.length === 1 ? '' : 's'} in the input. Each location is file:line:column `
    + `(column = 1-based CSV field), so it can be checked against the file whose SHA-256 is listed in ${ctx.appendixName(METHODOLOGY_DEST, 'the JSON report')}. Everything else in the `
    + 'file was still used.', { color: COLOR.muted });
  prepareTable(ctx, [
    { header: 'Location', weight: 30 },
    { header: 'Problem', weight: 54 },
    { header: 'Effect', weight: 16 },
  ], problems.map((p): Cell[] => [
    mono(location(p.file, p.line, p.column)),
    { runs: [{ text: p.message }, muted(p.code)] },
    { text: EFFECT[p.effect].text, font: 'bold', color: EFFECT[p.effect].color },
  ])).draw();
}
