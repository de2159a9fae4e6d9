import { certExpiry90d } from '../../src/checks/cert-expiry-90d.js';
import { checkCases } from './helpers.js';
import { advisoryWindowCases } from './expiry-window-cases.js';

// Report date 2026-10-01: day 90 is 2026-12-30, day 91 is 2026-12-31.
checkCases(certExpiry90d, advisoryWindowCases({ days: 90, lastDay: '2026-12-30', nextDay: '2026-12-31', severity: 'low' }));
