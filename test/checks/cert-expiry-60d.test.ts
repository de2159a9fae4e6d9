import { certExpiry60d } from '../../src/checks/cert-expiry-60d.js';
import { checkCases } from './helpers.js';
import { advisoryWindowCases } from './expiry-window-cases.js';

// Report date 2026-10-01: day 60 is 2026-11-30, day 61 is 2026-12-01.
checkCases(certExpiry60d, advisoryWindowCases({ days: 60, lastDay: '2026-11-30', nextDay: '2026-12-01', severity: 'medium' }));
