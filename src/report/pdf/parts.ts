/**
 * Small run builders shared by the sections: status and severity labels (bold word in colour, so
 * the meaning never rests on colour alone), muted notes, monospace excerpts and endpoint links.
 */
import type { TextBlockId } from '../../config/schema.js';
import { paragraphs, renderTextBlock } from '../config.js';
import type { ControlStatus, EndpointSummary } from '../../model/report-model.js';
import type { FindingStatus, Severity } from '../../model/finding.js';
import type { PdfContext, Run } from './context.js';
import {
  COLOR, CONTROL_STATUS_LABEL, FINDING_STATUS_LABEL, SEVERITY_LABEL, TYPE, type Label,
} from './layout.js';

export function labelRun(label: Label, size: number = TYPE.table): Run {
  return { text: label.text, font: 'bold', color: label.color, size };
}

export const controlStatusRun = (s: ControlStatus, size?: number): Run => labelRun(CONTROL_STATUS_LABEL[s], size);
export const findingStatusRun = (s: FindingStatus, size?: number): Run => labelRun(FINDING_STATUS_LABEL[s], size);

/** Severity of a finding that did not fail is shown greyed: it is the check's severity, not a problem. */
export function severityRun(s: Severity, active = true, size?: number): Run {
  const l = SEVERITY_LABEL[s];
  return active ? labelRun(l, size) : { text: l.text, font: 'bold', color: COLOR.faint, size: size ?? TYPE.table };
}

export function muted(text: string, size: number = TYPE.small): Run {
  return { text, color: COLOR.muted, size };
}

export function bold(text: string, size?: number, color?: string): Run {
  return { text, font: 'bold', ...(size !== undefined ? { size } : {}), ...(color !== undefined ? { color } : {}) };
}

export function mono(text: string, size: number = TYPE.mono, color: string = COLOR.ink): Run {
  return { text, font: 'mono', size, color };
}

/** An endpoint's label linking to its detail section. */
export function endpointRun(ep: Pick<EndpointSummary, 'label' | 'anchor'>, size?: number): Run {
  return { text: ep.label, goTo: ep.anchor, color: COLOR.link, ...(size !== undefined ? { size } : {}) };
}

/** "file:line" or "file:line:column" for a source reference. */
export function location(file: string, line?: number, column?: number): string {
  return [file, line, column].filter((x) => x !== undefined).join(':');
}

/** A text block from report.config.yaml, one paragraph per blank-line-separated part; nothing when unset. */
export function drawTextBlock(ctx: PdfContext, id: TextBlockId): void {
  const text = renderTextBlock(ctx.model, ctx.config, id);
  if (text === undefined) return;
  for (const p of paragraphs(text)) ctx.paragraph(p);
  ctx.y += 4;
}
