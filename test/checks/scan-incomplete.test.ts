import { scanIncomplete } from '../../src/checks/scan-incomplete.js';
import { checkCases, fct, observation } from './helpers.js';

const timeout = fct('Scan interrupted: timeout after 600 s', '"scanProblem","mx.example.test/192.0.2.25","25","WARN","Scan interrupted: timeout after 600 s","",""');
const refused = fct('Connection refused', '"scanProblem","mx.example.test/192.0.2.25","25","FATAL","Connection refused","",""');

checkCases(scanIncomplete, {
  pass: [
    { name: 'scan completed', obs: observation(), messageId: 'completed', evidence: [], data: { state: 'completed' } },
  ],
  error: [
    {
      name: 'scan failed: the problems are the message and the evidence',
      obs: observation({ scan: { state: 'failed', problems: [refused, timeout] } }),
      messageId: 'failed',
      severity: 'medium',
      message: 'The scan failed, so the checks for this endpoint were not assessed: Connection refused; Scan interrupted: timeout after 600 s',
      evidence: [refused.source.excerpt, timeout.source.excerpt],
    },
    {
      name: 'scan failed without a reason',
      obs: observation({ scan: { state: 'failed', problems: [] } }),
      data: { problems: 'the scanner gave no reason' },
      evidence: [],
    },
  ],
  warn: [
    {
      name: 'scan partial',
      obs: observation({ scan: { state: 'partial', problems: [timeout] } }),
      messageId: 'partial',
      severity: 'medium',
      data: { state: 'partial', problems: 'Scan interrupted: timeout after 600 s' },
      evidence: [timeout.source.excerpt],
    },
  ],
});
