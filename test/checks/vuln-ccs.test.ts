import { vulnCcs } from '../../src/checks/vuln-ccs.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnCcs, { vulnerability: 'ccs', name: 'CCS injection', reference: 'CVE-2014-0224', severity: 'critical' });
