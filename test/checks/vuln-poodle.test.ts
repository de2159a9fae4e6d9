import { vulnPoodle } from '../../src/checks/vuln-poodle.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnPoodle, { vulnerability: 'poodle', name: 'POODLE', reference: 'CVE-2014-3566', severity: 'high' });
