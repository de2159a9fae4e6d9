import { vulnFreak } from '../../src/checks/vuln-freak.js';
import { vulnerabilityCases } from './helpers.js';

vulnerabilityCases(vulnFreak, { vulnerability: 'freak', name: 'FREAK', reference: 'CVE-2015-0204', severity: 'high' });
