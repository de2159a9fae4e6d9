import { vulnLucky13 } from '../../src/checks/vuln-lucky13.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnLucky13, { vulnerability: 'lucky13', name: 'LUCKY13', reference: 'CVE-2013-0169', severity: 'low' });
